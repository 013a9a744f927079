"""What the next start does about a file operation that was cut short (a crash, a kill, a full
disk): each step leaves either the old state or the new one, and a marker or temporary that
says which. :func:`recover_at_start` finds them, finishes or rolls back, and returns one message
per finding for the user. It runs only under the writer lock (the command line and the app
take it first): another process's operation in progress is never mistaken for an interrupted
one.

- an interrupted ``encrypt`` (:func:`roasterdesk.services.encryption.finish_interrupted`);
- an interrupted restore (:func:`roasterdesk.services.backup.finish_interrupted_restore`);
- an unfinished demo build (``.<name>.demo-build``: the demo builds beside its target and
  renames);
- stale temporary files and folders (``.verify-<pid>-*``, ``.backup-<pid>-*``,
  ``.verified-<pid>-*.sqlite``) of processes that are gone, or older than a day whatever their
  owner; those of a living process (another backup running) are left alone;
- lot figures an import or a sync committed its records without and was stopped before
  computing (:mod:`roasterdesk.services.parallel_figures`, "pending"): computed now.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..store.errors import EnvironmentStoreError
from ..store.lock import AlreadyOpenError, WriterLock
from ..store.temporaries import remove_stale_temporaries

log = logging.getLogger(__name__)


def recover_at_start(db_path: Path | str, *, locked: bool = False) -> list[str]:
    """Finish or roll back what a cut-short operation left beside ``db_path``; messages for the
    user. ``locked``: the caller holds the writer lock; otherwise it is tried without waiting
    and, if another process holds it, nothing is done (that process may be mid-operation)."""
    path = Path(db_path)
    if not path.parent.is_dir():
        return []
    if not locked:
        try:
            with WriterLock(path, "roasterdesk (start-up check)", reentrant=True):
                return recover_at_start(path, locked=True)
        except AlreadyOpenError:
            return []
        except (OSError, EnvironmentStoreError):  # a read-only folder: nothing was left by us
            return []
    # the modules that know each step load only when it left something (the app's first paint
    # does without them)
    messages: list[str] = []
    if path.with_name(f".{path.name}.encrypting").exists():
        from .encryption import finish_interrupted

        messages.append(finish_interrupted(path) or "")
    if path.with_name(path.name + ".restore-pending").exists():
        from .restore import finish_interrupted_restore

        messages.append(finish_interrupted_restore(path) or "")
    build = path.with_name(f".{path.name}.demo-build")  # a demo cut short before its rename
    if build.exists():
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{build}{suffix}").unlink(missing_ok=True)
        messages.append(f"removed an unfinished demo database beside {path.name} (its build was "
                        f"interrupted; {path.name} itself was not changed).")
    messages = [m for m in messages if m]
    removed = remove_stale_temporaries(path.parent)
    removed += remove_stale_temporaries(path.with_name(f"{path.stem}-backups"))
    if removed:
        messages.append(f"removed {len(removed)} temporary file(s) left by an interrupted "
                        "backup, verification or restore.")
    if _figures_pending(path):
        note = _compute_pending_figures(path)
        if note:
            messages.append(note)
    for message in messages:
        log.warning("start-up recovery of %s: %s", path, message)
    return messages


def _figures_pending(path: Path) -> bool:
    """A pending mark in a plain file, read without opening a store (the module that computes
    the figures loads only when there is one); an encrypted file's next sync computes them."""
    import sqlite3

    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT 1 FROM sync_state WHERE key = 'metrics_dirty'").fetchone()
        finally:
            con.close()
    except (OSError, ValueError, sqlite3.Error):  # no file, or no sync_state yet: none
        return False
    return row is not None


def _compute_pending_figures(path: Path) -> str:
    import sqlite3

    from ..store import Store
    from ..store.errors import StoreError
    from .parallel_figures import refresh_pending

    try:
        with Store.open(path, create=False) as store:
            done = refresh_pending(store)
    except (StoreError, OSError, sqlite3.Error) as exc:  # the next start or sync tries again
        log.warning("pending lot figures of %s not computed: %s", path, exc)
        return ""
    return (f"computed the figures of {done:,} lots left to compute (by an interrupted import "
            "or sync, or rules that changed).")
