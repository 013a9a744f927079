"""Typed settings, stored by QSettings in the platform's usual place.

One module owns settings. Defaults:

- ``last_db``: the database opened last (None before the first start).
- ``recent_dbs``: up to :data:`MAX_RECENT` databases, newest first.
- ``geometry`` / ``window_state``: main-window geometry (bytes, Qt's own format).
- ``started_empty``: databases for which the user chose "Start empty" (not asked again).
- ``backup_dir``: where backups go (None: ``<db name>-backups`` beside the database).
- ``backup_rotation``: automatic backups kept besides today's and yesterday's —
  ``backup/daily`` 7, ``backup/weekly`` 8, ``backup/monthly`` 12 (:class:`RotationPolicy`).
- ``backup_every_hours``: automatic backup at most this often while there are changes (4),
  and always on close after changes.

Tests (and the screenshots command) pass an ``ini_path`` so nothing touches the user's settings.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from ..services.backup import RotationPolicy

MAX_RECENT = 8
ORGANIZATION = "RoasterDesk"
APPLICATION = "RoasterDesk"


class Settings:
    def __init__(self, ini_path: Path | None = None) -> None:
        if ini_path is not None:
            self.q = QSettings(str(ini_path), QSettings.Format.IniFormat)
        else:
            self.q = QSettings(ORGANIZATION, APPLICATION)

    # -- databases ---------------------------------------------------------------------------
    @property
    def last_db(self) -> Path | None:
        v = self.q.value("db/last", "")
        return Path(str(v)) if v else None

    @last_db.setter
    def last_db(self, path: Path | None) -> None:
        self.q.setValue("db/last", str(path) if path else "")

    @property
    def recent_dbs(self) -> list[Path]:
        v = self.q.value("db/recent", [])
        if isinstance(v, str):  # QSettings returns a lone string for one-item lists
            v = [v] if v else []
        return [Path(str(p)) for p in (v or [])]

    def add_recent(self, path: Path) -> None:
        path = Path(path).resolve()
        items = [p for p in self.recent_dbs if p != path]
        self.q.setValue("db/recent", [str(p) for p in [path, *items][:MAX_RECENT]])
        self.last_db = path

    def started_empty(self, path: Path) -> bool:
        v = self.q.value("db/started_empty", [])
        if isinstance(v, str):
            v = [v] if v else []
        return str(Path(path).resolve()) in (v or [])

    def mark_started_empty(self, path: Path) -> None:
        v = self.q.value("db/started_empty", [])
        if isinstance(v, str):
            v = [v] if v else []
        items = [str(x) for x in (v or [])]
        key = str(Path(path).resolve())
        if key not in items:
            self.q.setValue("db/started_empty", [*items, key][-50:])

    def clear_recent(self) -> None:
        self.q.setValue("db/recent", [])

    # -- window ------------------------------------------------------------------------------
    @property
    def geometry(self) -> QByteArray | None:
        v = self.q.value("window/geometry")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self.q.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        v = self.q.value("window/state")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.q.setValue("window/state", value)

    @property
    def last_page(self) -> str:
        return str(self.q.value("window/page", "overview") or "overview")

    @last_page.setter
    def last_page(self, value: str) -> None:
        self.q.setValue("window/page", value)

    # -- backups -----------------------------------------------------------------------------
    @property
    def backup_dir(self) -> Path | None:
        v = self.q.value("backup/dir", "")
        return Path(str(v)) if v else None

    @backup_dir.setter
    def backup_dir(self, path: Path | None) -> None:
        self.q.setValue("backup/dir", str(path) if path else "")

    @property
    def backup_rotation(self) -> RotationPolicy:
        from ..services.backup import RotationPolicy

        d = RotationPolicy()
        return RotationPolicy(*(max(0, int(self.q.value(f"backup/{k}", getattr(d, k))))
                                for k in ("daily", "weekly", "monthly")))

    @backup_rotation.setter
    def backup_rotation(self, policy: RotationPolicy) -> None:
        for k in ("daily", "weekly", "monthly"):
            self.q.setValue(f"backup/{k}", getattr(policy, k))

    @property
    def backup_every_hours(self) -> float:
        return max(0.1, float(self.q.value("backup/every_hours", 4)))

    @backup_every_hours.setter
    def backup_every_hours(self, hours: float) -> None:
        self.q.setValue("backup/every_hours", float(hours))

    @property
    def sync_every_minutes(self) -> float:
        """Minutes between background team-sync rounds (while the database has a hub)."""
        return max(1.0, float(self.q.value("sync/every_minutes", 5)))

    @sync_every_minutes.setter
    def sync_every_minutes(self, minutes: float) -> None:
        self.q.setValue("sync/every_minutes", float(minutes))

    def sync(self) -> None:
        self.q.sync()
