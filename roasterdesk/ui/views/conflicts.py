"""The Conflicts page: each open sync conflict with both values side by side, who and when, and
buttons to keep this laptop's value or the hub's (:mod:`roasterdesk.services.sync`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from ..context import AppContext

COLUMNS = ("Record", "Field", "Mine (this laptop)", "Theirs (hub)", "Who", "When", "Kind")
KINDS = {"hub": "changed on the hub meanwhile", "pull": "pulled over an unsent change",
         "refused": "refused: your role cannot change it"}


class ConflictsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[Any] = []
        self.summary = QLabel()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.keep_mine = QPushButton("Keep mine")
        self.keep_theirs = QPushButton("Keep theirs")
        self.sync_now = QPushButton("Sync now")
        self.sync_now.setToolTip("Push this laptop's changes to the team hub, then pull the "
                                 "team's (in the background; Cancel stops between batches)")
        self.sync_now.clicked.connect(self.start_sync)
        self.keep_mine.clicked.connect(lambda: self.resolve("mine"))
        self.keep_theirs.clicked.connect(lambda: self.resolve("theirs"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.keep_mine)
        buttons.addWidget(self.keep_theirs)
        buttons.addWidget(self.sync_now)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.table.itemSelectionChanged.connect(self._enable)
        self._enable()

    def refresh(self) -> None:
        from ...services import sync
        from ...services.sync_conflicts import shown

        self.rows = sync.conflicts(self.ctx.store)
        self.table.setRowCount(len(self.rows))
        for r, c in enumerate(self.rows):
            theirs = f"new record, not added here: {c.base}" if c.field == "*" else shown(
                c.field, c.theirs)
            cells = (c.record, c.field, shown(c.field, c.mine), theirs, c.their_author or "hub",
                     c.their_at[:19].replace("T", " "), KINDS.get(c.kind, c.kind))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.id)
                self.table.setItem(r, col, item)
        self.table.resizeColumnsToContents()
        n = len(self.rows)
        self.summary.setText("No open conflicts: every record agrees with the hub."
                             if n == 0 else f"{n} open conflict{'s' if n != 1 else ''}: "
                             "nothing was overwritten; choose which value to keep.")
        self._enable()

    def open_record(self, id_: int) -> None:
        for r, c in enumerate(self.rows):
            if c.id == id_:
                self.table.selectRow(r)

    def _selected(self) -> Any | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _enable(self) -> None:
        c = self._selected()
        self.keep_theirs.setEnabled(c is not None)
        self.keep_mine.setEnabled(c is not None and c.kind != "refused")

    def resolve(self, keep: str) -> None:
        from ...services import sync

        c = self._selected()
        if c is None:
            return
        sync.resolve(self.ctx.store, c.id, keep)
        self.ctx.messages.info.emit(f"Kept {keep} for {c.record} {c.field}")
        self.refresh()

    def start_sync(self) -> None:
        """Sync in the background with progress and cancel (one round at a time, shared with
        the timed rounds); offline is a message, not an error dialog."""
        from ..background_sync import BackgroundSync

        runner = self.ctx.background_sync
        if runner is None:  # a page without a window (tests)
            runner = self.ctx.background_sync = BackgroundSync(self.ctx, self)
        self.sync_now.setEnabled(False)
        runner.finished.connect(self._sync_finished)
        if not runner.run(visible=True):
            if runner.running:
                self.ctx.messages.info.emit("A sync is already running")
            self._sync_finished("")

    def _sync_finished(self, _state: str) -> None:
        runner = self.ctx.background_sync
        if runner is not None:
            try:
                runner.finished.disconnect(self._sync_finished)
            except (RuntimeError, TypeError):
                pass
        self.sync_now.setEnabled(True)
