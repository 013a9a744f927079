"""Backups in the app: "Back up now", the Restore dialog, automatic backups, damaged databases.

- :func:`backup_now` makes a verified backup in the background (progress dialog) and says where.
- :class:`RestoreDialog` lists the backups (date, reason, records, attachments, size), or takes
  any backup file; restoring closes the open connection, restores (the current file is moved
  aside, never deleted), and reopens — pages refresh through ``data_changed("*")``.
- :class:`AutoBackup` backs up automatically. Hook-up, done by the main window::

      self.auto_backup = AutoBackup(ctx, parent=self)   # whenever a context is connected
      self.auto_backup.stop()                           # before that context is closed
      self.auto_backup.on_close()                       # in closeEvent, before accepting

  It backs up at most every ``settings.backup_every_hours`` while there are changes (rows
  written through ``ctx.store`` or any ``data_changed``), and once more on close if anything
  changed since the last one; then thins the automatic backups (``settings.backup_rotation``).
- :func:`offer_recovery` is called by the start-up code when the database is damaged: it says
  so, moves the file aside and restores the newest verified backup if the user agrees.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import KNOWN_ERRORS
from ...services import backup as B

if TYPE_CHECKING:
    from ..context import AppContext

log = logging.getLogger(__name__)


def backup_folder(ctx: AppContext) -> Path:
    return ctx.settings.backup_dir or B.default_backup_dir(ctx.db_path)


def _size(info: B.BackupInfo) -> str:
    return f"{(info.db_bytes + info.attachment_bytes) / 1e6:,.1f} MB"


def backup_now(ctx: AppContext, parent: QWidget | None = None, *, reason: str = B.MANUAL,
               on_done: Any = None) -> Any:
    """Start a verified backup in the background; the result is announced in the status bar."""
    folder, db = backup_folder(ctx), ctx.db_path

    def work(progress: Any, _cancelled: Any) -> B.BackupInfo:
        return B.create_backup(db, folder, reason=reason, progress=progress)

    def done(info: B.BackupInfo) -> None:
        ctx.messages.info.emit(
            f"Backup verified and saved: {info.path.name} ({info.records:,} records, "
            f"{info.attachments} attachments, {_size(info)}) in {info.path.parent}")
        if on_done is not None:
            on_done(info)

    return ctx.tasks.run(work, on_done=done, label="Backing up the database…")


def reopen(ctx: AppContext) -> None:
    """Open ``ctx.db_path`` again after the file was replaced; every page reloads."""
    ctx.undo_stack.clear()
    ctx.reopen()
    ctx.messages.data_changed.emit("*")


class RestoreDialog(QDialog):
    """Pick a backup and restore it in place of the open database."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Restore from a backup")
        self.resize(760, 420)
        lay = QVBoxLayout(self)
        self.folder = backup_folder(ctx)
        intro = QLabel(
            f"Backups of <b>{Path(ctx.db_path).name}</b> in {self.folder}.<br>Restoring checks "
            "the backup first; the current database is kept beside it (renamed), not deleted.")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Date", "Kind", "Records", "Attachments", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self.restore_selected)
        lay.addWidget(self.table, 1)
        self.empty = QLabel("There are no backups here yet. Use File → Back up now.")
        self.empty.setObjectName("muted")
        lay.addWidget(self.empty)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore_button = QPushButton("Restore")
        self.restore_button.setDefault(True)
        self.other_button = QPushButton("Other backup file…")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button.clicked.connect(self.choose_file)
        lay.addWidget(buttons)
        self.confirm = self._confirm
        self.load()

    def load(self) -> None:
        self.backups = B.list_backups(self.folder)
        self.table.setRowCount(len(self.backups))
        for r, info in enumerate(self.backups):
            cells = [f"{info.local_time:%Y-%m-%d %H:%M}", info.reason.replace("-", " "),
                     f"{info.records:,}", str(info.attachments), _size(info)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(str(info.path))
                self.table.setItem(r, c, item)
        if self.backups:
            self.table.selectRow(0)
        self.empty.setVisible(not self.backups)
        self.restore_button.setEnabled(bool(self.backups))

    def selected(self) -> B.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Restore a backup", str(self.folder),
                                              "RoasterDesk backup (*.zip)")
        if path:
            try:
                info = B.read_info(path)
            except KNOWN_ERRORS as exc:
                QMessageBox.warning(self, "RoasterDesk", str(exc))
                return
            self.restore(info)

    def restore_selected(self) -> None:
        info = self.selected()
        if info is not None:
            self.restore(info)

    def _confirm(self, info: B.BackupInfo) -> bool:
        answer = QMessageBox.question(
            self, "Restore this backup?",
            f"Restore the backup of {info.local_time:%Y-%m-%d %H:%M} ({info.records:,} records)?"
            "\n\nChanges made since then will not be in the restored database; the current "
            "database is kept beside it under another name.")
        return answer == QMessageBox.StandardButton.Yes

    def restore(self, info: B.BackupInfo) -> None:
        if not self.confirm(info):
            return
        ctx, db = self.ctx, self.ctx.db_path
        ctx.tasks.wait()
        ctx.db.close()

        def work(progress: Any, _cancelled: Any) -> B.RestoreResult:
            return B.restore_backup(info.path, db, progress=progress, lock=False)

        def done(result: B.RestoreResult) -> None:
            reopen(ctx)
            aside = f" The previous database was kept as {result.moved_aside.name}." \
                if result.moved_aside else ""
            ctx.messages.info.emit(f"Restored the backup of {info.local_time:%Y-%m-%d %H:%M}."
                                   + aside)
            self.restored = result
            self.accept()

        def failed(exc: BaseException) -> None:
            reopen(ctx)  # nothing was replaced: the verification comes first
            ctx.tasks.report(exc)

        ctx.tasks.run(work, on_done=done, on_error=failed, label="Restoring the backup…")


class AutoBackup(QObject):
    """Automatic backups while the app runs (see the module text for the hook-up)."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *,
                 check_ms: int = 10 * 60 * 1000, since: int | None = None) -> None:
        """``since``: the connection's change count from which changes count (default: now)."""
        super().__init__(parent)
        self.ctx = ctx
        self.folder = backup_folder(ctx)
        self._signal_changes = False
        self._changes_at_backup = 0
        self._changes_at_backup = self._total_changes() if since is None else since
        newest = next((b for b in B.list_backups(self.folder) if b.reason == B.AUTO), None)
        self.last: float | None = newest.created.timestamp() if newest else None
        self.running = False
        ctx.messages.data_changed.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.maybe_backup)
        self.timer.start(check_ms)

    def _total_changes(self) -> int:
        try:
            return int(self.ctx.db.conn.total_changes)
        except sqlite3.ProgrammingError:  # closed for a restore: nothing new to count
            return self._changes_at_backup

    def _changed(self, _kind: str) -> None:
        self._signal_changes = True

    @property
    def dirty(self) -> bool:
        return self._signal_changes or self._total_changes() != self._changes_at_backup

    def due(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        interval = self.ctx.settings.backup_every_hours * 3600
        return self.dirty and not self.running and (
            self.last is None or now - self.last >= interval)

    def _mark(self) -> None:
        self._signal_changes = False
        self._changes_at_backup = self._total_changes()
        self.last = time.time()

    def _work(self, progress: Any = None) -> B.BackupInfo:
        info = B.create_backup(self.ctx.db_path, self.folder, reason=B.AUTO, progress=progress)
        B.rotate(self.folder, self.ctx.settings.backup_rotation)
        return info

    def maybe_backup(self) -> None:
        """Start a background backup if one is due (called by the timer)."""
        if not self.due():
            return
        self.running = True
        self._mark()

        def done(info: B.BackupInfo) -> None:
            self.running = False
            self.ctx.messages.info.emit(f"Automatic backup saved: {info.path.name}")

        def failed(exc: BaseException) -> None:
            self.running = False
            self._signal_changes = True  # try again next time
            log.warning("automatic backup failed: %s", exc)
            self.ctx.messages.warning.emit(f"The automatic backup failed: {exc}")

        self.ctx.tasks.run(lambda progress, _c: self._work(progress), on_done=done,
                           on_error=failed)

    def on_close(self) -> B.BackupInfo | None:
        """Back up now (synchronously) if anything changed since the last backup."""
        self.stop()
        self.ctx.tasks.wait()
        if not self.dirty:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            info = self._work()
            self._mark()
            return info
        except KNOWN_ERRORS as exc:
            log.warning("backup on close failed: %s", exc)
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def stop(self) -> None:
        self.timer.stop()
        try:
            self.ctx.messages.data_changed.disconnect(self._changed)
        except (RuntimeError, TypeError):
            pass


def offer_recovery(parent: QWidget | None, path: Path, error: Exception, *,
                   ask: Any = None) -> bool:
    """The database at ``path`` is damaged: say so, and with the user's agreement move it aside
    and restore the newest verified backup. True if a backup was restored."""
    newest = B.newest_verified_backup(path)
    if newest is None:
        QMessageBox.critical(parent, "RoasterDesk",
                             f"{error}\n\nThere is no verified backup of it in "
                             f"{B.default_backup_dir(path)}.")
        return False
    question = (f"{error}\n\nThe newest verified backup is from "
                f"{newest.local_time:%Y-%m-%d %H:%M} ({newest.records:,} records). Move the "
                "damaged file aside (it is kept) and restore this backup?")
    if ask is None:
        answer = QMessageBox.question(parent, "The database is damaged", question)
        agreed = answer == QMessageBox.StandardButton.Yes
    else:
        agreed = ask(question)
    if not agreed:
        return False
    result = B.restore_backup(newest.path, path, lock=False, aside_label="damaged")
    log.warning("damaged database moved to %s; restored %s", result.moved_aside, newest.path)
    return True
