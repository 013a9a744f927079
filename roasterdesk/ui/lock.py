"""The app's claim on a database: a ``QLockFile`` plus the OS writer lock.

``QLockFile`` (``<database>.app-lock``) records the process, host and application; a lock left
by a process that no longer runs on this computer is recognised as stale and taken over
(``setStaleLockTime(0)``: an old lock of a *running* RoasterDesk is never taken away just for
its age). The OS lock of :class:`roasterdesk.services.lock.WriterLock` is held as well, so that
headless commands (restore, import) refuse to write while the app has the database open.

Use::

    lock = AppLock(db_path)
    lock.acquire()          # raises AlreadyOpenError with a message for the user
    ...
    lock.release()          # on close
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

from ..services.lock import AlreadyOpenError, WriterLock, already_open_message


def app_lock_path(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".app-lock")


class AppLock:
    def __init__(self, db_path: Path | str) -> None:
        self.db_path = Path(db_path)
        self.qlock = QLockFile(str(app_lock_path(db_path)))
        self.qlock.setStaleLockTime(0)
        self.writer = WriterLock(db_path, "RoasterDesk app")

    @property
    def held(self) -> bool:
        return self.qlock.isLocked() and self.writer.held

    def acquire(self) -> AppLock:
        if self.held:
            return self
        if not self.qlock.tryLock(0):
            if self.qlock.error() == QLockFile.LockError.LockFailedError:
                info = self.qlock.getLockInfo()  # (pid, host, app); shorter if unreadable
                pid, host = (list(info) + [0, ""])[:2] if isinstance(info, tuple) else (0, "")
                raise AlreadyOpenError(already_open_message(self.db_path, str(pid or ""), host))
            raise AlreadyOpenError(
                f"{self.db_path} cannot be locked for writing ({self.qlock.error().name}); "
                "check that its folder is writable."
            )
        try:
            self.writer.acquire()
        except BaseException:
            self.qlock.unlock()
            raise
        return self

    def release(self) -> None:
        self.writer.release()
        if self.qlock.isLocked():
            self.qlock.unlock()
