"""The full check of a database file: SQLite's ``integrity_check``, when it is due, and when it
last passed.

``quick_check`` (run at every open) sees a damaged page structure, and the seal sees a file
changed at rest; neither sees an index that no longer matches its table or a row that breaks a
UNIQUE constraint — damage a crash or a failing disk can leave. ``integrity_check`` does, but it
reads and compares everything (seconds for a large file), so it runs in the background:

- after an **unclean close**: the file still had a non-empty ``-wal`` beside it when it was
  opened (SQLite removes it when the last connection closes cleanly; a killed app or command
  leaves it);
- **weekly**: when the last pass is older than :data:`EVERY`, or there has never been one.

The result is kept beside the database in ``<database>.checked`` (JSON: when, what, the file's
size), so the window and ``roasterdesk info`` can say when the file last passed.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .errors import DamagedDatabaseError

log = logging.getLogger(__name__)

EVERY = timedelta(days=7)
UNCLEAN = "the last session did not close the file cleanly"
WEEKLY = "a week has passed since the last full check"
NEVER = "the file has never had a full check"


class CheckCancelled(Exception):
    """The full check was stopped before it finished (nothing is recorded)."""


@dataclass(frozen=True)
class LastCheck:
    at: datetime  # timezone-aware, UTC
    passed: bool
    detail: str


def record_path(db_path: Path | str) -> Path:
    p = Path(db_path)
    return p.with_name(p.name + ".checked")


def closed_uncleanly(db_path: Path | str) -> bool:
    """True if a non-empty ``-wal`` lies beside the file (call it before opening the file)."""
    wal = Path(str(db_path) + "-wal")
    try:
        return wal.stat().st_size > 0
    except OSError:
        return False


def last_check(db_path: Path | str) -> LastCheck | None:
    """The recorded result of the last full check, or None (never checked, or unreadable)."""
    try:
        data = json.loads(record_path(db_path).read_text(encoding="utf-8"))
        at = datetime.fromisoformat(str(data["at"]))
        return LastCheck(at if at.tzinfo else at.replace(tzinfo=UTC), bool(data["passed"]),
                         str(data.get("detail", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def due(db_path: Path | str, unclean: bool, now: datetime | None = None) -> str | None:
    """Why a full check should run now, or None."""
    if unclean:
        return UNCLEAN
    last = last_check(db_path)
    if last is None:
        return NEVER
    now = now or datetime.now(UTC)
    if not last.passed or now - last.at >= EVERY:
        return WEEKLY
    return None


def _record(db_path: Path, passed: bool, detail: str) -> None:
    target = record_path(db_path)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    data = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "passed": passed,
            "detail": detail, "bytes": db_path.stat().st_size}
    try:
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:  # a read-only folder: the check still told the truth
        log.warning("could not record the full check of %s: %s", db_path, exc)
        tmp.unlink(missing_ok=True)


def full_check(db_path: Path | str, *, key: bytes | None = None,
               cancelled: Callable[[], bool] | None = None) -> str:
    """Run ``PRAGMA integrity_check`` on a read-only connection of its own and record the
    result. Returns "ok"; a failing file raises :class:`DamagedDatabaseError` (recorded as
    failed); ``cancelled()`` turning true stops it with :class:`CheckCancelled` (not recorded).
    ``key``: the key of an encrypted file (else the one remembered in this process)."""
    from .cipher import known_key, raw_connect

    path = Path(db_path)
    if cancelled is not None and cancelled():
        raise CheckCancelled()
    key = key if key is not None else known_key(path)
    if key is not None:
        conn = raw_connect(path, key, readonly=True)
    else:
        from .db import _ro_uri

        conn = sqlite3.connect(_ro_uri(path), uri=True, check_same_thread=False)
    stopped = False

    def poll() -> int:
        nonlocal stopped
        stopped = bool(cancelled and cancelled())
        return 1 if stopped else 0

    try:
        if cancelled is not None:
            conn.set_progress_handler(poll, 5_000)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check(20)")]
        except Exception as exc:  # sqlite3 or sqlcipher3 DatabaseError
            if stopped:
                raise CheckCancelled() from exc
            from .diagnosis import diagnose

            known = diagnose(exc, path) if isinstance(exc, sqlite3.DatabaseError) else None
            if known is not None:
                raise known from exc
            rows = [str(exc)]
    finally:
        conn.close()
    if rows == ["ok"]:
        _record(path, True, "ok")
        return "ok"
    first = " ".join(rows[0].replace("*** in database main ***", "").split())
    _record(path, False, "; ".join(rows[:5]))
    raise DamagedDatabaseError(
        f"{path} is damaged ({first}; {len(rows)} problem(s) found by the full check). "
        "It can be moved aside and the newest backup restored.")


def describe(db_path: Path | str, now: datetime | None = None) -> str:
    """One line for the window and ``info``: when the file last passed its full check."""
    last = last_check(db_path)
    if last is None:
        return "full check: not run yet"
    now = now or datetime.now(UTC)
    local = last.at.astimezone()
    when = (local.strftime("today %H:%M") if local.date() == now.astimezone().date()
            else local.strftime("%d %b %Y"))
    return f"full check: {'passed' if last.passed else 'FAILED'} {when}"
