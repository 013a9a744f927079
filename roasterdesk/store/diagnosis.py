"""What went wrong with a database file, told truthfully: SQLite and OS errors classified into
known conditions, each with its own message and advice.

Conditions of the environment — a full disk, a read-only file system, a missing permission,
another program holding the file, a failing drive — are never called damage: the file is
intact and restoring a backup over it would drop newer work. Only a check that proves damage
(``quick_check``/``integrity_check`` rows, SQLite's CORRUPT / NOTADB) leads to
:class:`~roasterdesk.store.errors.DamagedDatabaseError` and the offer of a backup.

:func:`diagnose` returns the known error for an exception, or None for anything else (a bug,
which keeps its traceback).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import sys
from pathlib import Path

from .errors import (
    BusyDatabaseError,
    DiskFullError,
    DiskIOError,
    EnvironmentStoreError,
    PermissionStoreError,
    ReadOnlyStoreError,
)

# SQLite primary result codes (the low byte of an extended code)
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 10, 11, 13, 14, 26
LOW_SPACE_BYTES = 4 * 1024 * 1024
"""Free space below which an I/O error is taken for a full disk (SQLite reports a failed
write of its -wal or -shm as a plain I/O error)."""


def is_sqlite_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return True
    mod = sys.modules.get("sqlcipher3.dbapi2")
    return mod is not None and isinstance(exc, mod.Error)


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _read_only_fs(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # Windows has no statvfs
        return False


def _folder(path: Path) -> Path:
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def full(path: Path) -> DiskFullError:
    return DiskFullError(
        f"the disk holding {path} is full. Free some space and try again; the file is not "
        "damaged and what was saved before is kept (do not restore a backup over it).")


def read_only(path: Path) -> ReadOnlyStoreError:
    return ReadOnlyStoreError(
        f"{path} is on a read-only disk or folder; nothing can be written there. Copy it to a "
        "writable folder, or make the disk writable; the file is not damaged.")


def no_permission(path: Path) -> PermissionStoreError:
    return PermissionStoreError(
        f"this user may not read or write {path} (or its folder). Give yourself the permission "
        "or copy the file to a folder of yours; the file is not damaged.")


def busy(path: Path) -> BusyDatabaseError:
    return BusyDatabaseError(
        f"{path} is busy: another program is writing it. Wait for it to finish and try again; "
        "nothing was changed.")


def io_error(path: Path, detail: str) -> DiskIOError:
    return DiskIOError(
        f"{path} could not be read or written ({detail}). Check the drive (is it still "
        "connected? does it report errors?) and try again; this is not a sign that the file is "
        "damaged, so do not restore a backup over it yet.")


def probe(path: Path) -> EnvironmentStoreError | None:
    """The environment condition at ``path`` that explains a failure, if one is found."""
    folder = _folder(path)
    if _read_only_fs(folder):
        return read_only(path)
    free = _free_bytes(folder)
    if free is not None and free < LOW_SPACE_BYTES:
        return full(path)
    target = path if path.exists() else folder
    if not os.access(target, os.R_OK | os.W_OK) or not os.access(folder, os.W_OK):
        return no_permission(path)
    return None


def diagnose(exc: BaseException, path: Path | str) -> EnvironmentStoreError | None:
    """The known condition behind ``exc`` (a SQLite or OS error) for the file ``path``."""
    path = Path(path)
    if isinstance(exc, EnvironmentStoreError):
        return exc
    if isinstance(exc, OSError) and not is_sqlite_error(exc):
        if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
            return full(path)
        if exc.errno == errno.EROFS:
            return read_only(path)
        if exc.errno in (errno.EACCES, errno.EPERM):
            return no_permission(path)
        if exc.errno == errno.EIO:
            return probe(path) or io_error(path, str(exc.strerror or exc))
        return None
    if not is_sqlite_error(exc):
        return None
    code, text = _code(exc), str(exc).lower()
    if code == SQLITE_FULL or "database or disk is full" in text:
        return full(path)
    if code == SQLITE_READONLY or "readonly database" in text:
        return probe(path) or read_only(path)
    if code in (SQLITE_BUSY, SQLITE_LOCKED) or "database is locked" in text \
            or "table is locked" in text:
        return busy(path)
    if code == SQLITE_PERM:
        return no_permission(path)
    if code == SQLITE_CANTOPEN or "unable to open database file" in text:
        return probe(path) or (no_permission(path) if path.exists() else None)
    if code == SQLITE_IOERR or "disk i/o error" in text:
        return probe(path) or io_error(path, str(exc))
    return None
