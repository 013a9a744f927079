"""Photo files through the team hub, by content hash: uploaded before the rows that name them
(:func:`files_to_upload`, in the push's transaction), and fetched after a pull by a laptop that
lacks them (:func:`fetch_missing`), so a joined laptop's statements show the same photos.

A pull that brings photo rows marks it in ``sync_state`` in the same transaction
(:func:`mark_wanted`); the fetch clears the mark when done, so a sync stopped in between fetches
them at the next one. The bytes are checked against their hash before they are written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from .attachments import store_bytes, stored_path

if TYPE_CHECKING:
    from ..store import Store

WANTED = "photos_wanted"
"""``sync_state`` key: photo rows were pulled whose files may be missing here."""

FETCH_AT_ONCE = 20
"""Photo files asked of the hub per query (each may be several MB)."""


def _folder(store: Store) -> Path:
    from .backup import attachments_dir_for

    return attachments_dir_for(store.path)


def files_to_upload(store: Store, batch: list[Any]) -> list[tuple[str, Path]]:
    """(hash, file) of each new photo row of ``batch`` whose file is here."""
    found = []
    folder = _folder(store)
    for c in batch:
        if c.table == "photos" and c.field == "*":
            sha = json.loads(c.new).get("sha256")
            if sha:
                for p in folder.glob(f"{sha}*"):
                    found.append((sha, p))
                    break
    return found


def mark_wanted(store: Store) -> None:
    """In the pull's transaction: photo rows came in, fetch their files after the pull."""
    store.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, '1')", [WANTED])


def missing_files(store: Store) -> list[tuple[str, str]]:
    """(hash, file name) of the photos on record whose file is not in the attachments folder."""
    folder = _folder(store)
    out = []
    for sha, name in store.db.execute(
            "SELECT DISTINCT sha256, filename FROM photos WHERE deleted_at IS NULL"):
        try:
            if not stored_path(folder, sha, name).is_file():
                out.append((sha, name))
        except UserError:  # not a hash: nothing to fetch under it
            continue
    return out


def fetch_missing(store: Store, conn: Any) -> tuple[int, int]:
    """Fetch from the hub the files of photos on record but missing here, when a pull brought
    photo rows (:func:`mark_wanted`); returns (files fetched, files the hub does not have, or
    whose bytes do not match their hash)."""
    if store.db.execute("SELECT 1 FROM sync_state WHERE key = ?", [WANTED]).fetchone() is None:
        return 0, 0
    folder = _folder(store)
    want = missing_files(store)
    names: dict[str, list[str]] = {}
    for sha, name in want:
        names.setdefault(sha, []).append(name)
    shas = sorted(names)
    got = 0
    for i in range(0, len(shas), FETCH_AT_ONCE):
        chunk = shas[i:i + FETCH_AT_ONCE]
        for sha, data in conn.execute(
                "SELECT sha256, data FROM roasterdesk.photos WHERE sha256 = ANY(%s)", [chunk]):
            for name in names[sha]:
                try:
                    store_bytes(bytes(data), sha, name, folder)
                except UserError:  # bytes that are not what their hash says: left out, counted
                    continue
                got += 1
        conn.commit()
    with store.db.atomic():
        store.db.execute("DELETE FROM sync_state WHERE key = ?", [WANTED])
    return got, len(want) - got
