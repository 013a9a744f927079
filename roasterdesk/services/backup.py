"""Backups for the app and the commands: the verified copy itself is made and checked by the
store (:mod:`roasterdesk.store.backup`, where the format, the verification and the rotation
rules are described); restore (:mod:`roasterdesk.services.restore`) and rotation
(:mod:`roasterdesk.services.rotation`) live in modules of their own. Every name stays
reachable here.
"""

from __future__ import annotations

from typing import Any

from ..store.backup import (
    ATTACHMENTS_PREFIX,
    AUTO,
    BEFORE_MIGRATION,
    BEFORE_RESTORE,
    DB_ENTRY,
    FORMAT,
    MANIFEST_ENTRY,
    MANUAL,
    MAX_MANIFEST_BYTES,
    MAX_RATIO,
    REASONS,
    RECORD_TABLES,
    BackupError,
    BackupInfo,
    Progress,
    RestoreResult,
    RotationPolicy,
    _extract,
    _fsync_dir,
    attachment_files,
    attachments_dir_for,
    backup_before_migrate,
    check_integrity,
    create_backup,
    default_backup_dir,
    describe,
    list_backups,
    live_counts,
    newest_verified_backup,
    open_archive,
    read_info,
    table_counts,
    verify_backup,
)

__all__ = [  # and (see _MOVED) restore_backup, set_aside_damaged, plan_rotation, rotate
    "ATTACHMENTS_PREFIX", "AUTO", "BEFORE_MIGRATION", "BEFORE_RESTORE", "DB_ENTRY", "FORMAT",
    "MANIFEST_ENTRY", "MANUAL", "MAX_MANIFEST_BYTES", "MAX_RATIO", "REASONS", "RECORD_TABLES",
    "BackupError", "BackupInfo", "Progress", "RestoreResult", "RotationPolicy", "_extract",
    "_fsync_dir", "attachment_files", "attachments_dir_for", "backup_before_migrate",
    "check_integrity", "create_backup", "default_backup_dir", "describe", "list_backups",
    "live_counts", "newest_verified_backup", "open_archive", "read_info", "table_counts",
    "verify_backup",
]

# restore and rotation live in modules of their own; their names stay reachable here
_MOVED = {"finish_interrupted_restore": "restore", "move_aside": "restore",
          "restore_backup": "restore", "restore_marker": "restore",
          "set_aside_damaged": "restore", "plan_rotation": "rotation", "rotate": "rotation"}


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(f"{__package__}.{_MOVED[name]}"), name)
    raise AttributeError(name)
