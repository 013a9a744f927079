"""Overview: what needs the buyer's attention now. Every item opens its record."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.harvest import current_harvest, harvest_name
from ...services.attention import (
    Item,
    commitments_at_risk,
    expiring_certifications,
    follow_ups_due,
    lots_missing_data,
    summary_counts,
)
from ..labels import heading, muted

if TYPE_CHECKING:
    from ..context import AppContext

WARN = QColor("#b3261e")


class Card(QFrame):
    def __init__(self, title: str, empty_text: str, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("card")
        self.ctx = ctx
        self.empty_text = empty_text
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(6)
        top = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("h2")
        self.count = QLabel("")
        self.count.setObjectName("muted")
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.count)
        lay.addLayout(top)
        self.list = QListWidget()
        self.list.setObjectName("items")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        lay.addWidget(self.list, 1)

    def set_items(self, items: list[Item], total: int | None = None) -> None:
        self.list.clear()
        total = len(items) if total is None else total
        self.count.setText(f"{total:,}")
        if not items:
            empty = QListWidgetItem(self.empty_text)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
            return
        for it in items:
            w = QListWidgetItem(("● " if it.urgent else "") + it.text)
            w.setData(Qt.ItemDataRole.UserRole, (it.kind, it.id))
            w.setToolTip(it.detail or it.text)
            if it.urgent:
                w.setForeground(WARN)
            self.list.addItem(w)
        if total > len(items):
            more = QListWidgetItem(f"… and {total - len(items):,} more")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(more)

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.ctx.messages.open_record.emit(*target)


class OverviewPage(QWidget):
    quick_loaded = Signal()
    """The counts and the two quick lists are in (after each refresh)."""
    loaded = Signal()
    """Every list is filled (after each refresh)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(12)
        lay.addWidget(heading("Overview"))
        self.summary = muted("")
        lay.addWidget(self.summary)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.certs = Card("Certifications expiring within 90 days",
                          "No certificate ends in the next 90 days.", ctx)
        self.follow_ups = Card("Follow-ups due or overdue", "Nothing is due.", ctx)
        self.commitments = Card("Commitments at risk this harvest",
                                "Every commitment for this harvest is on track.", ctx)
        self.lots = Card("Lots whose impact statement would have gaps",
                         "Every recent lot has the data its statement needs.", ctx)
        self.eudr = Card("Lots not ready for EUDR",
                         "Every lot of this and last harvest is ready for its DDS.", ctx)
        self.cards = (self.certs, self.follow_ups, self.commitments, self.lots, self.eudr)
        grid.addWidget(self.certs, 0, 0)
        grid.addWidget(self.follow_ups, 0, 1)
        grid.addWidget(self.commitments, 1, 0)
        grid.addWidget(self.lots, 1, 1)
        grid.addWidget(self.eudr, 2, 0, 1, 2)
        lay.addLayout(grid, 1)
        self._tasks: list[Any] = []
        self._pending = 0
        self._generation = 0
        self.loading = False
        self.refresh()

    def refresh(self) -> None:
        """The counts and the two quick lists are read on the window's connection (once the
        window is on screen, at start-up); the two lists that read many lots come from a
        background task. The cards say "checking…" until theirs arrive."""
        today = self.today or date.today()
        when = f"harvest {harvest_name(current_harvest(today))} · {today:%d %B %Y}"
        self.summary.setText(when)
        for card in self.cards:
            card.count.setText("checking…")
        for task in self._tasks:
            task.cancel()
        db_path = self.ctx.db_path
        self.loading = True
        self._generation += 1
        gen = self._generation
        self._pending = 2

        def quick() -> None:
            if gen != self._generation:
                return
            db = self.ctx.db
            try:
                result = (summary_counts(db), expiring_certifications(db, today),
                          follow_ups_due(db, today))
            except sqlite3.DatabaseError as exc:
                self._failed(exc)
                return
            self._quick_done(gen, when, result)

        def slow(progress: object, cancelled: object) -> tuple:
            from ...services.eudr_pack import lots_not_ready
            from ..context import open_worker_store

            # as trusted as the window's own connection, whose check may still be running
            with open_worker_store(db_path, check=False) as store:
                return (commitments_at_risk(store, today), lots_missing_data(store, today),
                        lots_not_ready(store, today))

        self._tasks = [self.ctx.tasks.run(slow, on_done=lambda r: self._slow_done(gen, r),
                                          on_error=self._failed)]
        self.ctx.tasks.soon(quick)

    def _failed(self, exc: BaseException) -> None:
        """A list could not be read. While the file's background check has not finished, a
        read error means damage that check is about to report (and offer to repair): the
        cards just say so. Anything else is reported as usual."""
        if isinstance(exc, sqlite3.DatabaseError) and (self.ctx.unchecked or self.ctx.checking):
            for card in self.cards:
                card.count.setText("could not be read")
            return
        self.ctx.tasks.report(exc)

    def _quick_done(self, generation: int, when: str, result: tuple) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        c, certs, follow_ups = result
        self.summary.setText(f"{c['producers']:,} producers · {c['visits']:,} visits · "
                             f"{c['lots']:,} lots · {when}")
        self.certs.set_items(certs)
        self.follow_ups.set_items(follow_ups)
        self.quick_loaded.emit()
        self._one_done()

    def _slow_done(self, generation: int, result: tuple) -> None:
        if generation != self._generation:
            return
        risks, (items, total), (eudr_items, eudr_total) = result
        self.commitments.set_items(risks)
        self.lots.set_items(items, total)
        self.eudr.set_items(eudr_items, eudr_total)
        self._one_done()

    def _one_done(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self._tasks = []
            self.loading = False
            self.loaded.emit()

    def open_record(self, id_: int) -> None:  # the overview has no records of its own
        self.refresh()
