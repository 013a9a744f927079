"""Errors of the store that a user can act on (shown as a message, never a traceback)."""

from __future__ import annotations

from ..errors import StoreError

__all__ = [  # StoreError is defined beside UserError (roasterdesk.errors), its kinds here
    "BusyDatabaseError", "DamagedDatabaseError", "DiskFullError", "DiskIOError",
    "EmptyDatabaseError", "EnvironmentStoreError", "NewerDatabaseError", "NotADatabaseError",
    "PermissionStoreError", "ReadOnlyStoreError", "RecordNotFound", "StoreError",
    "ValidationError",
]


class NewerDatabaseError(StoreError):
    """The database was written by a newer RoasterDesk; it is refused and left untouched."""

    def __init__(self, path: str, db_version: str, app_version: str, detail: str = "") -> None:
        self.path, self.db_version, self.app_version = path, db_version, app_version
        text = (
            f"{path} was written by RoasterDesk {db_version}, newer than this "
            f"RoasterDesk {app_version}. Install RoasterDesk {db_version} or later to open it; "
            "the file was not changed."
        )
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class NotADatabaseError(StoreError):
    """The file is not a SQLite database (or is damaged beyond opening)."""


class DamagedDatabaseError(NotADatabaseError):
    """The file is a database but fails SQLite's ``quick_check``: it is damaged.

    The app moves it aside and offers the newest verified backup
    (:mod:`roasterdesk.store.backup`)."""


class EmptyDatabaseError(DamagedDatabaseError):
    """The database file is empty (0 bytes) or missing while backups of it sit beside it: it
    is not made into a new, empty database silently; the backups are offered."""


class EnvironmentStoreError(StoreError):
    """The file is fine; the place around it is not (full, read-only, no permission, busy, a
    failing drive): :mod:`roasterdesk.store.diagnosis`. Never a reason to restore a backup."""


class DiskFullError(EnvironmentStoreError):
    pass


class ReadOnlyStoreError(EnvironmentStoreError):
    pass


class PermissionStoreError(EnvironmentStoreError):
    pass


class BusyDatabaseError(EnvironmentStoreError):
    pass


class DiskIOError(EnvironmentStoreError):
    pass


class RecordNotFound(StoreError):
    pass


class ValidationError(StoreError):
    """A record was refused because a value is not acceptable."""
