"""Producers: the searchable, filterable list and, in the same page, one producer's record."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.harvest import harvest_label
from ...domain.model import ProducerKind, Scheme
from ..models.producers import ProducerFilter, ProducerTableModel
from ..widgets import empty_state, fit_columns, heading, make_table, muted
from .producer_detail import ProducerDetail

if TYPE_CHECKING:
    from ..context import AppContext


class ProducerList(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 16)
        lay.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(heading("Producers"))
        top.addStretch(1)
        self.new_button = QPushButton("New producer")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Ctrl+N")
        top.addWidget(self.new_button)
        lay.addLayout(top)
        bar = QHBoxLayout()
        bar.setSpacing(8)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, region, municipality…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        bar.addWidget(self.search, 2)
        self.country = QComboBox()
        self.kind = QComboBox()
        self.kind.addItem("Any kind", None)
        for k in ProducerKind:
            self.kind.addItem(k.label.capitalize(), k.value)
        self.kind.addItem("Kind not recorded", "")
        self.scheme = QComboBox()
        self.scheme.addItem("Any certification", "")
        for s in Scheme:
            self.scheme.addItem(s.value, s.value)
        self.harvest = QComboBox()
        for w in (self.country, self.kind, self.scheme, self.harvest):
            bar.addWidget(w, 1)
            w.currentIndexChanged.connect(self.apply_filter)
        lay.addLayout(bar)
        self.model = ProducerTableModel(ctx, self)
        self.view = make_table(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        lay.addWidget(self.view, 1)
        self.count = muted("")
        self.empty = empty_state(self.view, self._empty_text)
        lay.addWidget(self.count)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(120)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.fill_choices()
        fit_columns(self.view, 260)
        self._update_count()

    def fill_choices(self) -> None:
        """Countries and harvests that exist in this database."""
        for box, first, values in (
            (self.country, "Any country", [(c, c) for c in self.ctx.store.countries()]),
            (self.harvest, "Any harvest",
             [(f"Bought in {harvest_label(h)}", h) for h in reversed(self.ctx.store.harvests())]),
        ):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(first, None)
            for text, value in values:
                box.addItem(text, value)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)

    def current_filter(self) -> ProducerFilter:
        kind = self.kind.currentData()
        return ProducerFilter(text=self.search.text(), country=self.country.currentData() or "",
                              kind=ProducerKind(kind) if kind else kind,
                              scheme=self.scheme.currentData(),
                              harvest=self.harvest.currentData())

    def apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _empty_text(self) -> str:
        if not self.ctx.store.producer_count():
            return ("No producers yet. Import a spreadsheet (File › Import…) or add one with "
                    "New producer.")
        return "No producer matches. Clear the search or choose “Any” in the filters."

    def _update_count(self) -> None:
        total = self.ctx.store.producer_count()
        shown = self.model.total
        self.count.setText(f"{shown:,} of {total:,} producers" if shown != total
                           else f"{total:,} producers")

    def refresh(self) -> None:
        self.fill_choices()
        self.model.refresh()
        self._update_count()

    def selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.producer_id(rows[0].row()) if rows else None

    def select_id(self, producer_id: int) -> bool:
        row = self.model.row_of(producer_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        return row >= 0


class ProducersPage(QWidget):
    """The list; opening a producer shows its record in place (Back returns to the list)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stack = QStackedWidget()
        self.list = ProducerList(ctx)
        self.detail = ProducerDetail(ctx)
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.detail)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.list.view.activated.connect(self._activated)
        self.list.view.doubleClicked.connect(self._activated)
        self.list.new_button.clicked.connect(self.new_record)
        self.detail.back.connect(self.show_list)
        self.detail.step.connect(self.step_record)
        self.detail.created.connect(lambda _id: self.list.refresh())

    # -- page contract -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.list.refresh()
        if self.stack.currentWidget() is self.detail:
            self.detail.reload()

    def open_record(self, id_: int) -> None:
        if not self.maybe_leave():
            return
        self.list.select_id(id_)
        self.detail.show_producer(id_)
        self.stack.setCurrentWidget(self.detail)

    def new_record(self) -> None:
        if not self.maybe_leave():
            return
        self.detail.show_producer(None)
        self.stack.setCurrentWidget(self.detail)

    def save(self) -> None:
        if self.stack.currentWidget() is self.detail:
            self.detail.profile.save()

    def focus_find(self) -> None:
        if not self.maybe_leave():
            return
        self.stack.setCurrentWidget(self.list)
        self.list.search.setFocus()
        self.list.search.selectAll()

    def step_record(self, delta: int) -> None:
        """Previous/next producer in the list's current order and filter."""
        model = self.list.model
        if model.rowCount() == 0:
            return
        current = self.detail.producer_id if self.stack.currentWidget() is self.detail \
            else self.list.selected_id()
        row = model.row_of(current) if current is not None else -1
        target = row + delta if row >= 0 else 0
        if target >= model.rowCount() and model.canFetchMore():
            model.fetchMore()
        if not 0 <= target < model.rowCount():
            return
        if self.stack.currentWidget() is self.detail:
            self.open_record(model.producer_id(target))
        else:
            self.list.view.selectRow(target)

    def maybe_leave(self) -> bool:
        if self.stack.currentWidget() is self.detail:
            return self.detail.maybe_leave()
        return True

    # -- internals ---------------------------------------------------------------------------
    def _activated(self, index) -> None:  # type: ignore[no-untyped-def]
        if index.isValid():
            self.open_record(self.list.model.producer_id(index.row()))

    def show_list(self) -> None:
        if not self.maybe_leave():
            return
        self.list.refresh()
        if self.detail.producer_id is not None:
            self.list.select_id(self.detail.producer_id)
        self.stack.setCurrentWidget(self.list)
        self.list.view.setFocus()
