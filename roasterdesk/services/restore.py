"""Restoring a verified backup in place of the database, crash-atomically (see
:mod:`roasterdesk.store.backup`, section Restore, for the order of the steps)."""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

from ..store.cipher import known_key
from .backup import (
    ATTACHMENTS_PREFIX,
    BEFORE_RESTORE,
    BackupError,
    Progress,
    RestoreResult,
    _extract,
    _fsync_dir,
    attachments_dir_for,
    open_archive,
    verify_backup,
)

log = logging.getLogger(__name__)


def move_aside(db_path: Path, label: str) -> Path | None:
    """Rename the database (with its -wal/-shm files) to ``<name>.<label>-<time>``; never delete."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = db_path.with_name(f"{db_path.name}.{label}-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = db_path.with_name(f"{db_path.name}.{label}-{stamp}-{n}")
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(str(db_path) + suffix)
        if side.exists():
            os.replace(side, Path(str(aside) + suffix))
    os.replace(db_path, aside)
    _fsync_dir(db_path.parent)
    return aside


def set_aside_damaged(db_path: Path | str) -> Path | None:
    """Move a damaged database out of the way (kept for a specialist); returns its new path."""
    return move_aside(Path(db_path), "damaged")


def restore_backup(
    backup: Path | str, db_path: Path | str, *, key: bytes | None = None,
    progress: Progress | None = None, lock: bool = True, aside_label: str = BEFORE_RESTORE,
) -> RestoreResult:
    """Put a verified backup in place of ``db_path`` (see the module text for the order).

    The writer lock of ``db_path`` is taken for the time of the restore (``lock=False``: the
    caller holds it already — the app, with its own connection closed)."""
    from ..store.db import check_compatible, read_file_version
    from .lock import writer_lock

    backup, db_path = Path(backup), Path(db_path)
    key = key if key is not None else known_key(db_path)
    step = progress or (lambda done, total: None)
    if not db_path.parent.is_dir():
        raise BackupError(f"the folder {db_path.parent} does not exist.")
    with writer_lock(db_path) if lock else nullcontext():
        step(0, 100)
        info, copy = verify_backup(backup, db_path.parent, key=key, keep=True)
        assert copy is not None
        try:
            step(60, 100)
            if key is None:
                check_compatible(copy, read_file_version(copy))
            else:
                from ..store import cipher

                conn = cipher.raw_connect(copy, key, readonly=True)
                try:
                    check_compatible(copy, cipher.read_version(conn))
                finally:
                    conn.close()
            att_dir = attachments_dir_for(db_path)
            added = _restore_attachments(backup, att_dir)
            step(90, 100)
            aside = _swap_in(copy, db_path, backup, aside_label, key)
        finally:
            if copy.exists():  # the swap did not happen: as before, marker and -wal too
                finish_interrupted_restore(db_path)
                copy.unlink(missing_ok=True)
    step(100, 100)
    log.info("restored %s from %s (the file before: %s; %d attachments added)", db_path, backup,
             aside, added)
    return RestoreResult(info, db_path, aside, added)


def restore_marker(db_path: Path | str) -> Path:
    """Written before a restore puts its copy in place, removed after: found at the next start,
    it says a restore was interrupted (:func:`finish_interrupted_restore`)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".restore-pending")


def _checkpoint(db_path: Path, key: bytes | None) -> None:
    """Fold a -wal into the file (best effort: a damaged file is kept with its -wal aside)."""
    if not Path(str(db_path) + "-wal").exists():
        return
    try:
        if key is None:
            conn = sqlite3.connect(db_path)
        else:
            from ..store import cipher

            conn = cipher.raw_connect(db_path, key)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - the -wal is linked aside with the file either way
        pass


def _swap_in(copy: Path, db_path: Path, backup: Path, label: str, key: bytes | None) -> Path | None:
    """Put the verified ``copy`` at ``db_path`` with no moment without a file there: the current
    file is first *linked* to ``<name>.<label>-<time>`` (a second name for the same bytes; a
    copy where links are not possible), then ``os.replace`` swaps the copy in. A marker file
    beside the database records the step until it is done."""
    from ..store.faults import fault_point

    _checkpoint(db_path, key)
    aside = None
    if db_path.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = db_path.with_name(f"{db_path.name}.{label}-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = db_path.with_name(f"{db_path.name}.{label}-{stamp}-{n}")
    marker = restore_marker(db_path)
    tmp = marker.with_name(marker.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump({"backup": str(backup), "copy": str(copy),
                   "aside": str(aside) if aside else ""}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, marker)
    if aside is not None:
        for suffix in ("", "-wal"):
            src = Path(str(db_path) + suffix)
            if src.exists():
                _link_or_copy(src, Path(str(aside) + suffix))
        _fsync_dir(db_path.parent)
        # the -wal and -shm of the old file must not meet the new one
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
    fault_point("restore:aside")
    os.replace(copy, db_path)
    _fsync_dir(db_path.parent)
    fault_point("restore:replaced")
    marker.unlink()
    _fsync_dir(db_path.parent)
    return aside


def _link_or_copy(src: Path, dest: Path) -> None:
    try:
        os.link(src, dest)
    except OSError:  # no hard links on this file system: a full copy, flushed
        shutil.copy2(src, dest)
        with open(dest, "rb+") as fh:
            os.fsync(fh.fileno())


def finish_interrupted_restore(db_path: Path | str) -> str | None:
    """At start: a restore cut short is found by its marker. Before the swap, it is rolled back
    (the copy removed, the old -wal put back); after it, only confirmed. Either way the message
    names the copy of the database as it was before the restore. None if there was none."""
    db_path = Path(db_path)
    marker = restore_marker(db_path)
    if not marker.exists():
        return None
    try:
        data = json.loads(marker.read_text(encoding="utf-8")[:10_000])
        copy, aside = Path(str(data["copy"])), str(data.get("aside") or "")
    except (OSError, ValueError, KeyError, TypeError):
        copy, aside = Path(""), ""
    kept = f" The database as it was before is kept as {Path(aside).name}." if aside else ""
    if str(copy) and copy.exists() and db_path.exists():  # killed before the swap
        copy.unlink()
        wal, old_wal = Path(str(db_path) + "-wal"), Path(str(aside) + "-wal")
        if aside and old_wal.exists() and not wal.exists():
            _link_or_copy(old_wal, wal)
        text = (f"a restore into {db_path.name} was interrupted before it changed anything; "
                f"the database is as it was.{kept}")
    elif str(copy) and copy.exists():  # no file at the path: finish the swap
        os.replace(copy, db_path)
        text = f"an interrupted restore into {db_path.name} was finished.{kept}"
    else:
        text = (f"a restore into {db_path.name} was interrupted after the backup was put in "
                f"place; the restored database is in use.{kept}")
    marker.unlink()
    log.warning("%s", text)
    return text


def _restore_attachments(backup: Path, att_dir: Path) -> int:
    zf, _ = open_archive(backup)  # names checked again: the file could have changed
    added = 0
    with zf:
        names = [n for n in zf.namelist() if n.startswith(ATTACHMENTS_PREFIX)]
        if not names:
            return 0
        att_dir.mkdir(parents=True, exist_ok=True)
        root = att_dir.resolve()
        for name in names:
            target = root / name[len(ATTACHMENTS_PREFIX):]
            if target.parent != root:  # the name pattern rules this out; kept as a last guard
                raise BackupError(f"refusing to write outside {root}: {name}")
            if target.exists():
                continue  # same name = same content
            tmp = root / f".restore-{os.getpid()}-{target.name}"
            _extract(zf, name, tmp)
            os.replace(tmp, target)
            added += 1
    return added


