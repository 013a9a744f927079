"""Lots: the lot table above the lot editor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QPushButton, QVBoxLayout, QWidget

from ...domain.model import LotStatus, Process
from ...domain.words import NOT_RECORDED, plural
from ..editors import data_combo, set_data
from ..models.lots import DEFAULT_SORT, LOT_COLUMNS, LotListModel, lot_filter
from ..widgets import empty_state, muted
from .lot_editor import LotEditor
from .record_page import RecordPage

if TYPE_CHECKING:
    from ..context import AppContext

__all__ = ["LotEditor", "LotListModel", "LotsPage", "lot_filter"]


class LotsPage(RecordPage):
    """The lot table above the lot editor."""

    noun = "lot"
    refresh_on = ("lot", "producer", "visit", "commitment", "project", "*")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._make_search("Search code, name, variety or producer…  (Ctrl+F)")
        self.harvest_filter = QComboBox()
        self.status_filter = data_combo([("Any status", None)]
                                    + [(s.value, s.value) for s in LotStatus]
                                    + [(NOT_RECORDED, "")])
        self.process_filter = data_combo([("Any process", None)]
                                     + [(p.value, p.value) for p in Process]
                                     + [(NOT_RECORDED, "")])
        self.incomplete = QCheckBox("Missing transparency data")
        self.new_btn = QPushButton("New lot")
        self.count = muted("")
        self._fill_harvests()

        self._make_table(LotListModel(ctx, self), DEFAULT_SORT,
                         (100, 170, 40, 60, 70, 76, 70, 50, 80, 100, 80, 100, 90))
        # a figure the lot does not give reads "not recorded" in full, never "not recor…"
        said = self.table.fontMetrics().horizontalAdvance(NOT_RECORDED) + 16
        for c, col in enumerate(LOT_COLUMNS):
            if col.show(None) == NOT_RECORDED and self.table.columnWidth(c) < said:
                self.table.setColumnWidth(c, said)
        self.editor = LotEditor(ctx)
        self.empty = empty_state(self.table, lambda: (
            "No lot matches. Clear the search or the filters."
            if self.search.text().strip() or self.model.query.where
            else "No lots yet. Add one with New lot, or import a spreadsheet (File › Import…)."))

        filters = self._filter_row((self.search, 3), (self.harvest_filter, 1),
                                   (self.status_filter, 1), (self.process_filter, 1),
                                   (self.incomplete, 0))
        top = self._header("Lots", self.count)
        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addLayout(top)
        ul.addLayout(filters)
        ul.addWidget(self.table, 1)
        self._split(Qt.Orientation.Vertical, upper, [400, 600])

        self.search.textChanged.connect(self.apply_filter)
        for combo in (self.harvest_filter, self.status_filter, self.process_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.incomplete.toggled.connect(self.apply_filter)
        self._connect_records()

    def _fill_harvests(self) -> None:
        current = self.harvest_filter.currentData()
        self.harvest_filter.blockSignals(True)
        self.harvest_filter.clear()
        self.harvest_filter.addItem("Any harvest", None)
        for h in reversed(self.ctx.store.harvests()):
            self.harvest_filter.addItem(str(h), h)
        set_data(self.harvest_filter, current)
        self.harvest_filter.blockSignals(False)

    def apply_filter(self, *_: Any) -> None:
        where, params = lot_filter(
            text=self.search.text(), harvest=self.harvest_filter.currentData(),
            status=self.status_filter.currentData(), process=self.process_filter.currentData(),
            incomplete=self.incomplete.isChecked(), db=self.ctx.db)
        self.model.set_filter(where, params)

    def _update_count(self, *_: Any) -> None:
        n = self.model.rowCount()
        more = "+" if self.model.has_more else ""
        self.count.setText(f"{plural(n, 'lot')}  " if not more else f"{n:,}+ lots  ")

    def refresh(self) -> None:
        self._fill_harvests()
        super().refresh()

    def _focus_new(self) -> None:
        self.editor.w["code"].setFocus()
