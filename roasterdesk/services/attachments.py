"""Photos and other attachments, kept in one folder beside the database, named by content.

A stored file is called ``<sha256 of its bytes><extension>``: the same photo added twice is kept
once, and a name never comes from outside. Nothing that arrives from outside — a file name, a
path, a hash read from a database — can make this module write or read outside
``attachments_dir``: the hash must be 64 hex digits, the extension is reduced to a short run of
lowercase letters and digits, and every final path is checked to lie directly inside the folder.
Files are copied byte for byte (no re-encoding).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..domain.model import Photo
from ..errors import UserError
from ..store.seal import file_sha256

PHOTO_EXTENSIONS = frozenset(
    {".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp"}
)
MAX_BYTES = 200 * 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    path: Path
    original_name: str


def safe_extension(name: str) -> str:
    """The extension of ``name`` as ``.abc`` (lowercase letters and digits, at most 8), or ''."""
    suffix = Path(str(name).replace("\\", "/")).suffix.lower()
    cleaned = "".join(c for c in suffix[1:] if c.isascii() and c.isalnum())[:8]
    return f".{cleaned}" if cleaned else ""


def display_name(name: str) -> str:
    """The last path component of ``name`` (for showing only; never used to build a path)."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(c for c in base if c.isprintable())[-200:] or "photo"


def stored_path(attachments_dir: Path, sha256: str, filename: str) -> Path:
    """Where the file with this hash and (original) name lives; refuses anything unsafe."""
    if not isinstance(sha256, str) or not _HEX64.fullmatch(sha256):
        raise UserError("an attachment is named by a SHA-256 hash (64 hex digits)")
    folder = Path(attachments_dir).resolve()
    path = folder / f"{sha256}{safe_extension(filename)}"
    if path.parent != folder:  # cannot happen with the checks above; kept as the last guard
        raise UserError(f"refusing to use a path outside {folder}")
    return path


def photo_path(attachments_dir: Path, photo: Photo) -> Path:
    return stored_path(attachments_dir, photo.sha256, photo.filename)


def store_file(src: Path | str, attachments_dir: Path, *,
               allowed: frozenset[str] | None = PHOTO_EXTENSIONS) -> StoredFile:
    """Copy ``src`` into ``attachments_dir`` under its content hash; returns where it went.

    The copy is written to a temporary file inside the folder and renamed into place, so a
    crash never leaves a half-written file under a valid hash name.
    """
    src = Path(src)
    ext = safe_extension(src.name)
    if allowed is not None and ext not in allowed:
        kinds = ", ".join(sorted(e[1:] for e in allowed))
        raise UserError(f"{display_name(src.name)} is not a photo ({kinds})")
    try:
        if not src.is_file():
            raise UserError(f"{src} is not a file")
        if src.stat().st_size > MAX_BYTES:
            raise UserError(f"{display_name(src.name)} is larger than {MAX_BYTES // 2**20} MB")
    except OSError as exc:
        raise UserError(f"cannot read {src}: {exc.strerror or exc}") from exc
    folder = Path(attachments_dir)
    folder.mkdir(parents=True, exist_ok=True)
    folder = folder.resolve()
    h = hashlib.sha256()

    def copy(fout: BinaryIO) -> None:
        with open(src, "rb") as fin:
            while chunk := fin.read(_CHUNK):
                h.update(chunk)
                fout.write(chunk)

    tmp: Path | None = None
    try:
        tmp = _written_temp(folder, copy)
        sha = h.hexdigest()
        dest = stored_path(folder, sha, src.name)
        if dest.is_symlink():
            raise UserError(f"{dest} is a link; refusing to replace it")
        if dest.exists() and file_sha256(dest) == sha:
            tmp.unlink()
        else:
            os.replace(tmp, dest)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise UserError(f"cannot copy {display_name(src.name)}: {exc.strerror or exc}") from exc
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    return StoredFile(sha, dest, display_name(src.name))


def _written_temp(folder: Path, write: Callable[[BinaryIO], None]) -> Path:
    """A new temporary file in ``folder`` holding what ``write`` wrote, flushed to disk; the
    caller renames it into place, so a crash never leaves a half-written file under a hash
    name (it is removed if writing fails)."""
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fout:
            write(fout)
            fout.flush()
            os.fsync(fout.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def store_bytes(data: bytes, sha256: str, filename: str, attachments_dir: Path) -> Path:
    """Write bytes that came from outside (the team hub) under their content hash, only if
    they are what the hash says; crash-atomic as :func:`store_file`. Returns the path."""
    dest = stored_path(attachments_dir, sha256, filename)
    if hashlib.sha256(data).hexdigest() != sha256:
        raise UserError(f"the bytes of {display_name(filename)} do not match their hash")
    if dest.is_symlink():
        raise UserError(f"{dest} is a link; refusing to replace it")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = _written_temp(dest.parent, lambda fout: fout.write(data))
    try:
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def add_photo(src: Path | str, attachments_dir: Path, caption: str = "") -> Photo:
    """Copy a photo into the attachments folder and return the record that points at it."""
    stored = store_file(src, attachments_dir)
    return Photo(sha256=stored.sha256, filename=stored.original_name, caption=caption)


__all__ = [
    "PHOTO_EXTENSIONS", "StoredFile", "add_photo", "display_name", "file_sha256", "photo_path",
    "safe_extension", "store_bytes", "store_file", "stored_path",
]
