"""One writer per database: an OS file lock beside it, for headless writes and the app alike.

``<database>.lock`` is locked with ``fcntl.flock`` (POSIX) or ``msvcrt.locking`` (Windows). The
operating system releases the lock when the process ends, however it ends, so a crash never
leaves a stale lock behind. The file itself stays (deleting a lock file races with the next
locker); it holds the process id and host of the holder, for the message only.

The app additionally holds a ``QLockFile`` (:mod:`roasterdesk.ui.lock`); SQLite's own locking
(``busy_timeout``) still guards every single transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from ..errors import UserError


def _hostname() -> str:
    """This computer's name (``os.uname`` where there is one: the app's start then does not
    import the socket module; it gives what ``socket.gethostname`` gives)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


class AlreadyOpenError(UserError):
    """Another RoasterDesk process has the database open for writing."""


def lock_path_for(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".lock")


def already_open_message(db_path: Path | str, pid: str = "", host: str = "") -> str:
    where = "on this computer" if not host or host == _hostname() else f"on {host}"
    who = f" (process {pid})" if pid else ""
    return (f"{db_path} is already open in RoasterDesk {where}{who}. Close it there first; "
            "two programs writing one database at once could damage it.")


class WriterLock:
    """``with WriterLock(db): ...``; :class:`AlreadyOpenError` if another process holds it."""

    def __init__(self, db_path: Path | str, what: str = "roasterdesk") -> None:
        self.db_path = Path(db_path)
        self.path = lock_path_for(db_path)
        self.what = what
        self._fh: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._fh is not None

    def acquire(self) -> WriterLock:
        if self._fh is not None:
            return self
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            _lock(fh)
        except OSError:
            fh.seek(0)
            try:
                pid, host = (fh.read(200).splitlines() + ["", ""])[:2]
            except OSError:  # Windows refuses to read a locked range
                pid, host = "", ""
            fh.close()
            raise AlreadyOpenError(already_open_message(self.db_path, pid, host)) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n{_hostname()}\n{self.what}\n")
        fh.flush()
        self._fh = fh
        return self

    def release(self) -> None:
        if self._fh is None:
            return
        try:
            _unlock(self._fh)
        finally:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


@contextmanager
def writer_lock(db_path: Path | str, what: str = "roasterdesk") -> Iterator[WriterLock]:
    with WriterLock(db_path, what) as lock:
        yield lock


if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(fh: IO[str]) -> None:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fh: IO[str]) -> None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
