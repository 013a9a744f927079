"""Visits: the log (search-as-you-type over notes, filters) beside the visit editor."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...domain.words import plural
from ..models.visits import VisitListModel, visit_filter
from ..widgets import (
    DateEdit,
    FieldError,
    empty_state,
    mark_invalid,
    muted,
    parse_date,
)
from .producer_picker import ProducerPicker
from .record_page import RecordPage
from .visit_editor import VisitEditor

if TYPE_CHECKING:
    from ..context import AppContext

__all__ = ["ProducerPicker", "VisitEditor", "VisitListModel", "VisitsPage", "visit_filter"]

MODE_FILTERS = (
    ("All modes", None),
    ("In person", ["in_person"]),
    ("Remote (any)", ["call", "video", "message"]),
    ("Call", ["call"]),
    ("Video", ["video"]),
    ("Message", ["message"]),
)
MIN_SEARCH_CHARS = 2
"""A one-letter prefix matches nearly every visit and costs the most: search starts at two."""


# -- the page ----------------------------------------------------------------------------------
class VisitsPage(RecordPage):
    """The visit log beside the visit editor."""

    noun = "visit"
    refresh_on = ("visit", "producer", "*")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._make_search("Search visit notes…  (Ctrl+F)")
        self.producer_filter = QLineEdit()
        self.producer_filter.setPlaceholderText("Producer")
        self.producer_filter.setClearButtonEnabled(True)
        self.mode_filter = QComboBox()
        for label, modes in MODE_FILTERS:
            self.mode_filter.addItem(label, modes)
        self.date_from = DateEdit()
        self.date_from.setPlaceholderText("from YYYY-MM-DD")
        self.date_to = DateEdit()
        self.date_to.setPlaceholderText("to YYYY-MM-DD")
        self.open_only = QCheckBox("Open follow-ups")
        self.new_btn = QPushButton("New visit")
        self.count = muted("")

        self._make_table(VisitListModel(ctx, self), 0, (92, 180, 40, 76, 120, 44), pad=8)
        self.editor = VisitEditor(ctx)
        self.empty = empty_state(self.table, lambda: (
            "No visit matches. Clear the search or the filters."
            if self.model.query.where
            else "No visits yet. Record one with New visit after a call or a trip."))

        filters = self._filter_row((self.producer_filter, 2), (self.mode_filter, 1),
                                   (self.open_only, 0))
        dates = self._filter_row((self.date_from, 0), (self.date_to, 0))
        dates.addStretch(1)
        for w in (self.date_from, self.date_to):  # the placeholder is read whole
            w.setMinimumWidth(w.fontMetrics().horizontalAdvance(w.placeholderText()) + 24)
        top = self._header("Visits")
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(top)
        ll.addWidget(self.search)
        ll.addLayout(filters)
        ll.addLayout(dates)
        ll.addWidget(self.table, 1)
        ll.addWidget(self.count)
        self._split(Qt.Orientation.Horizontal, left, [840, 560])

        self.search.textChanged.connect(self.apply_filter)
        self.producer_filter.textChanged.connect(self.apply_filter)
        self.mode_filter.currentIndexChanged.connect(self.apply_filter)
        self.date_from.textChanged.connect(self.apply_filter)
        self.date_to.textChanged.connect(self.apply_filter)
        self.open_only.toggled.connect(self.apply_filter)
        self._connect_records()

    # -- filtering -------------------------------------------------------------------------
    def _dates(self) -> tuple[date | None, date | None]:
        out: list[date | None] = []
        for w in (self.date_from, self.date_to):
            try:
                out.append(parse_date(w.text(), "date", "Date"))
                mark_invalid(w, False)
            except FieldError:
                out.append(None)
                mark_invalid(w, True)
        return out[0], out[1]

    def apply_filter(self, *_: Any) -> None:
        start, end = self._dates()
        text = self.search.text()
        if len(text.strip()) < MIN_SEARCH_CHARS:
            text = ""
        where, params = visit_filter(
            text=text, producer=self.producer_filter.text(),
            modes=self.mode_filter.currentData(), start=start, end=end,
            open_follow_ups=self.open_only.isChecked())
        self.model.set_filter(where, params)

    def _update_count(self, *_: Any) -> None:
        n = self.model.rowCount()
        more = "+" if self.model.has_more else ""
        text = plural(n, "visit") if not more else f"{n:,}+ visits"
        if more:
            text += " — scroll for more"
        if 0 < len(self.search.text().strip()) < MIN_SEARCH_CHARS:
            text += " — type two or more letters to search the notes"
        self.count.setText(text)

    # -- records ---------------------------------------------------------------------------
    def _focus_new(self) -> None:
        self.editor.producer.setFocus()
