"""A checksum of the database file as RoasterDesk left it, to catch damage at rest.

SQLite's ``quick_check`` sees damaged structure (page headers, b-trees, free lists) but not a
flipped byte inside a record. So when the app closes a database cleanly (no ``-wal`` left), it
writes ``<database>.sha256`` beside it: the file's SHA-256 with its size, inode and
modification time. At the next open, if the file still has that size, inode and time — nobody
wrote to it — but another SHA-256, the disk (or a copy that kept the time) damaged it, and the
open is refused like any damaged file. A file written since (by RoasterDesk, the sqlite3 tool,
a restore) has another time or inode: the seal is stale and ignored, never a false alarm.
Encrypted databases need no seal for this: SQLCipher checks every page with an HMAC.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DamagedDatabaseError

_CHUNK = 1024 * 1024


def seal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".sha256")


def _mark(path: Path) -> dict[str, int]:
    st = path.stat()
    return {"size": st.st_size, "inode": st.st_ino, "mtime_ns": st.st_mtime_ns}


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB chunks (the one place the app hashes files)."""
    import hashlib  # only when hashing: opening a database does not pay for OpenSSL

    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def write_seal(db_path: Path | str) -> bool:
    """Seal a cleanly closed database; False (and no seal) if it is in use or mid-write."""
    path = Path(db_path)
    wal = Path(str(path) + "-wal")
    seal = seal_path(path)
    if not path.is_file() or (wal.exists() and wal.stat().st_size > 0):
        seal.unlink(missing_ok=True)
        return False
    before = _mark(path)
    digest = file_sha256(path)
    if _mark(path) != before:
        seal.unlink(missing_ok=True)
        return False
    tmp = seal.with_name(seal.name + ".tmp")
    import json

    tmp.write_text(json.dumps({**before, "sha256": digest}))
    os.replace(tmp, seal)
    return True


def check_seal(db_path: Path | str) -> None:
    """Raise :class:`DamagedDatabaseError` if the file changed at rest since it was sealed."""
    path = Path(db_path)
    seal = seal_path(path)
    if not seal.is_file():
        return
    try:
        import json

        data = json.loads(seal.read_text())
        recorded = {k: int(data[k]) for k in ("size", "inode", "mtime_ns")}
        digest = str(data["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        return  # an unreadable seal proves nothing
    if recorded != _mark(path):
        return  # written since: stale
    if file_sha256(path) != digest and _mark(path) == recorded:  # (a write while reading: stale)
        raise DamagedDatabaseError(
            f"{path} is damaged: its content changed on disk since RoasterDesk closed it, "
            "without anything writing to it. It can be moved aside and the newest backup "
            "restored."
        )
