"""Attachments are copied by content hash into one folder, and nothing escapes that folder."""

from __future__ import annotations

import hashlib
import os

import pytest

from roasterdesk.domain.model import Photo
from roasterdesk.errors import UserError
from roasterdesk.services.attachments import (
    add_photo,
    display_name,
    photo_path,
    safe_extension,
    store_file,
    stored_path,
)

JPEG = b"\xff\xd8\xff\xe0" + b"farm photo bytes" * 100


def _files(folder):
    return sorted(p.name for p in folder.rglob("*"))


def test_photo_is_copied_under_its_hash_unchanged(tmp_path):
    src = tmp_path / "drying beds.JPG"
    src.write_bytes(JPEG)
    att = tmp_path / "db-attachments"
    photo = add_photo(src, att, caption="raised beds")
    sha = hashlib.sha256(JPEG).hexdigest()
    assert photo == Photo(sha256=sha, filename="drying beds.JPG", caption="raised beds")
    assert _files(att) == [f"{sha}.jpg"]
    assert (att / f"{sha}.jpg").read_bytes() == JPEG
    assert photo_path(att, photo) == (att / f"{sha}.jpg").resolve()
    assert src.read_bytes() == JPEG  # the original is left alone


def test_same_content_twice_is_kept_once(tmp_path):
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    a.write_bytes(JPEG)
    b.write_bytes(JPEG)
    att = tmp_path / "att"
    assert add_photo(a, att).sha256 == add_photo(b, att).sha256
    assert len(_files(att)) == 1


@pytest.mark.parametrize("name", [
    "../../evil.jpg", "..\\..\\evil.jpg", "/etc/passwd.jpg", "x.jpg/../../y.jpg",
    "photo.j/../../pg", "ok.JP\x00G", "a." + "j" * 300,
])
def test_hostile_names_never_leave_the_folder(tmp_path, name):
    att = tmp_path / "inner" / "att"
    path = stored_path(att, "a" * 64, name)
    assert path.parent == att.resolve()
    assert path.name.startswith("a" * 64)
    assert "/" not in path.name[64:] and ".." not in path.name[64:]


@pytest.mark.parametrize(
    "sha", ["../" + "a" * 61, "A" * 64, "a" * 63, "g" * 64, "", "a" * 64 + "/"]
)
def test_a_bad_hash_is_refused(tmp_path, sha):
    with pytest.raises(UserError):
        stored_path(tmp_path, sha, "x.jpg")


def test_extension_and_display_name_are_cleaned():
    assert safe_extension("IMG_1.JPEG") == ".jpeg"
    assert safe_extension("noext") == ""
    assert safe_extension("a.t$x/t") == ""  # the last component has no dot
    assert safe_extension("a.p/n*g") == ""
    assert display_name("C:\\Users\\me\\farm.jpg") == "farm.jpg"
    assert display_name("../../x/farm.jpg") == "farm.jpg"
    assert display_name("") == "photo"


def test_a_file_that_is_not_a_photo_is_refused(tmp_path):
    src = tmp_path / "notes.txt"
    src.write_text("hello")
    att = tmp_path / "att"
    with pytest.raises(UserError, match="not a photo"):
        add_photo(src, att)
    assert not att.exists() or _files(att) == []


def test_a_missing_file_or_folder_is_a_user_error(tmp_path):
    att = tmp_path / "att"
    with pytest.raises(UserError):
        add_photo(tmp_path / "missing.jpg", att)
    folder = tmp_path / "folder.jpg"
    folder.mkdir()
    with pytest.raises(UserError):
        add_photo(folder, att)


def test_a_symlink_in_place_of_the_target_is_not_followed(tmp_path):
    src = tmp_path / "p.png"
    src.write_bytes(b"png bytes")
    sha = hashlib.sha256(b"png bytes").hexdigest()
    att = tmp_path / "att"
    att.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    os.symlink(outside, att / f"{sha}.png")
    with pytest.raises(UserError, match="link"):
        store_file(src, att)
    assert outside.read_text() == "keep me"
    assert [p.name for p in att.iterdir()] == [f"{sha}.png"]  # no temporary file left behind


def test_a_damaged_copy_under_the_hash_name_is_replaced(tmp_path):
    src = tmp_path / "p.png"
    src.write_bytes(b"good bytes")
    att = tmp_path / "att"
    att.mkdir()
    sha = hashlib.sha256(b"good bytes").hexdigest()
    (att / f"{sha}.png").write_bytes(b"truncated")
    store_file(src, att)
    assert (att / f"{sha}.png").read_bytes() == b"good bytes"
