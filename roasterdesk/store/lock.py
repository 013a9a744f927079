"""One writer per database: an OS file lock beside it, for headless writes and the app alike.

``<database>.lock`` is locked with ``fcntl.flock`` (POSIX) or ``msvcrt.locking`` (Windows). The
operating system releases the lock when the process ends, however it ends, so a crash never
leaves a stale lock behind. The file itself stays (deleting a lock file races with the next
locker); it holds the process id and host of the holder, for the message only.

The app additionally holds a ``QLockFile`` (:mod:`roasterdesk.ui.lock`); SQLite's own locking
(``busy_timeout``) still guards every single transaction.

Every writer takes this lock before its first write: the app, every command that writes (the
command line takes it for each command whose module says ``WRITES = True``, see
:func:`roasterdesk.cli.main`) and every migration. A lock taken with ``reentrant=True`` (the
command line's) may be taken again in the same process (the command's service takes it too);
any other is refused in its own process as well (a headless restore while the app in this
process has the file open), and a migration runs under whichever lock this process holds. A
second writer waits a bounded time (:func:`default_wait`, with a progress line on stderr when
that is a terminal), then is refused with one line naming the holder.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

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


def already_open_message(db_path: Path | str, pid: str = "", host: str = "",
                         what: str = "") -> str:
    where = "on this computer" if not host or host == _hostname() else f"on {host}"
    who = ", ".join(x for x in (what.strip(), f"process {pid}" if pid else "") if x)
    who = f" ({who})" if who else ""
    return (f"{db_path} is already open in RoasterDesk {where}{who}. Close it there first; "
            "two programs writing one database at once could damage it.")


WAIT_ENV = "ROASTERDESK_LOCK_WAIT"
DEFAULT_WAIT_S = 20.0


def default_wait() -> float:
    """Seconds a command waits for another writer to finish (``ROASTERDESK_LOCK_WAIT``)."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT_S)))
    except ValueError:
        return DEFAULT_WAIT_S


# lock file (resolved) -> [its open file (holds the OS lock), holders, re-entrant]
_HELD: dict[str, list[Any]] = {}
_HELD_GUARD = threading.Lock()


class WriterLock:
    """``with WriterLock(db): ...``; :class:`AlreadyOpenError` if another process holds it
    (after waiting up to ``wait`` seconds). Re-entrant within one process."""

    def __init__(self, db_path: Path | str, what: str = "roasterdesk", wait: float = 0.0,
                 reentrant: bool = False) -> None:
        self.db_path = Path(db_path)
        self.reentrant = reentrant
        self.path = lock_path_for(db_path)
        self.what = what
        self.wait = wait
        self._counted = False

    @property
    def held(self) -> bool:
        return self._counted

    def _key(self) -> str:
        return str(self.path.resolve())

    def acquire(self) -> WriterLock:
        if self._counted:
            return self
        key = self._key()
        with _HELD_GUARD:
            entry = _HELD.get(key)
            if entry is not None:
                if not entry[2]:
                    pid, host, what = self.holder()
                    raise AlreadyOpenError(already_open_message(self.db_path, pid, host, what))
                entry[1] += 1
                self._counted = True
                return self
        deadline = time.monotonic() + self.wait
        shown = False
        while True:
            try:
                fh = self._try_lock()
                break
            except AlreadyOpenError:
                left = deadline - time.monotonic()
                if left <= 0:
                    if shown:
                        sys.stderr.write("\n")
                    raise
                if sys.stderr is not None and sys.stderr.isatty():
                    sys.stderr.write(f"\rwaiting for another writer of {self.db_path.name} "
                                     f"to finish ({left:.0f} s left)… ")
                    sys.stderr.flush()
                    shown = True
                time.sleep(min(0.2, left))
        if shown:
            sys.stderr.write("\n")
        with _HELD_GUARD:
            _HELD[key] = [fh, 1, self.reentrant]
        self._counted = True
        return self

    def holder(self) -> tuple[str, str, str]:
        """(pid, host, what) of the holder as written in the lock file ("" where unknown)."""
        try:
            with open(self.path, encoding="utf-8") as fh:
                pid, host, what = (fh.read(400).splitlines() + ["", "", ""])[:3]
        except OSError:  # Windows refuses to read a locked range
            return "", "", ""
        return pid, host, what

    def _try_lock(self) -> IO[str]:
        try:
            fh = open(self.path, "a+", encoding="utf-8")
        except OSError as exc:  # a read-only folder, no permission: said as such
            from .diagnosis import diagnose

            raise (diagnose(exc, self.db_path) or exc) from exc
        try:
            _lock(fh)
        except OSError:
            fh.close()
            pid, host, what = self.holder()
            raise AlreadyOpenError(already_open_message(self.db_path, pid, host, what)) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"{os.getpid()}\n{_hostname()}\n{self.what}\n")
        fh.flush()
        return fh

    def release(self) -> None:
        if not self._counted:
            return
        self._counted = False
        with _HELD_GUARD:
            entry = _HELD.get(self._key())
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] > 0:  # another holder in this process keeps it
                return
            del _HELD[self._key()]
        fh = entry[0]
        try:
            _unlock(fh)
        finally:
            fh.close()

    def __enter__(self) -> WriterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def held_here(db_path: Path | str) -> bool:
    """True if this process holds the writer lock of ``db_path``."""
    with _HELD_GUARD:
        return str(lock_path_for(db_path).resolve()) in _HELD


@contextmanager
def writer_lock(db_path: Path | str, what: str = "roasterdesk", wait: float | None = None,
                reentrant: bool = False) -> Iterator[WriterLock]:
    """The writer lock for a block; ``wait`` seconds for another writer (default:
    :func:`default_wait`)."""
    with WriterLock(db_path, what, default_wait() if wait is None else wait,
                    reentrant) as lock:
        yield lock


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
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
