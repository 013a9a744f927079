"""A list-plus-editor page: a paged record table beside (or above) the editor of one record.

:class:`RecordEditor` holds what the lot and visit editors do alike: the ``saved`` and
``dirty_changed`` signals, the unsaved-changes state that enables Revert, re-checking the
fields on every change, and storing the record (undoable) with a message once it is saved.

:class:`RecordPage` holds what the lot and visit pages do alike: following the table's
current row into the editor, keeping the selection on the edited record, refreshing when the
data changes, stepping through records, and asking what to do with unsaved edits before
leaving one. A page names its record with :attr:`RecordPage.noun` (``"lot"``, ``"visit"``):
the editor holds it as ``editor.<noun>`` and offers ``new_<noun>(producer_id)``, the store
reads it with ``store.<noun>(id)``. A page builds its own filters and layout, then calls
:meth:`RecordPage._make_table`, :meth:`RecordPage._split` and
:meth:`RecordPage._connect_records`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...errors import KNOWN_ERRORS
from .. import wheel
from ..taborder import order_when_shown
from ..widgets import ErrorLabel, heading, make_table

if TYPE_CHECKING:
    from ..context import AppContext
    from .paged import SqlPagedModel


class RecordEditor(QWidget):
    """The shared behaviour of a one-record editor; a subclass builds the fields."""

    saved = Signal(int)
    dirty_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dirty = False
        self._loading = False
        wheel.install()  # an unfocused dropdown or spin box scrolls the form instead

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt)
        super().showEvent(event)
        order_when_shown(self)  # Tab in reading order, once the form is laid out

    @staticmethod
    def _scrolling(body: QWidget) -> QScrollArea:
        """*body* in a frameless area that scrolls up and down only."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _save_bar(self, *extra: QWidget) -> QHBoxLayout:
        """The message line and the Revert and Save buttons (after *extra*), wired."""
        self.error = ErrorLabel()
        self.save_btn = QPushButton("Save")
        self.save_btn.setDefault(True)
        self.revert_btn = QPushButton("Revert")
        bar = QHBoxLayout()
        bar.addWidget(self.error, 3)
        bar.addStretch(1)
        for w in extra:
            bar.addWidget(w)
        bar.addWidget(self.revert_btn)
        bar.addWidget(self.save_btn)
        self.save_btn.clicked.connect(self.save)
        self.revert_btn.clicked.connect(self.revert)
        return bar

    def load(self, record: Any, producer_id: int | None = None) -> None:
        raise NotImplementedError

    def save(self) -> bool:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def _recheck(self) -> None:
        """Check the fields after a change (messages, Save enabled, live figures)."""
        raise NotImplementedError

    def _changed(self, *_: Any) -> None:
        if self._loading:
            return
        self._set_dirty(True)
        self._recheck()

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)
        self.revert_btn.setEnabled(dirty)

    def _store(self, record: Any, message: Callable[[Any], str],
               prepare: Callable[[Any], Any] | None = None) -> bool:
        """Write *record* (after *prepare*, which may copy files) as one undoable step.

        On success the editor shows the stored record and the status bar ``message(stored)``;
        on a known error nothing is written and the editor says why.
        """
        from ..undo import save_record

        try:
            if prepare is not None:
                record = prepare(record)
            stored = save_record(self.ctx, record)
        except KNOWN_ERRORS as exc:
            self.error.show_error(f"Not saved: {exc}")
            return False
        self.load(stored)
        self.ctx.messages.info.emit(message(stored))
        self.saved.emit(stored.id)
        return True


class RecordPage(QWidget):
    """The shared behaviour of a record table with its editor; see the module notes."""

    noun = ""
    """The record's name in messages and attribute names: ``"lot"``, ``"visit"``."""
    refresh_on: tuple[str, ...] = ("*",)
    """The kinds of ``data_changed`` that reload the table and the editor."""

    model: SqlPagedModel
    table: QTableView
    editor: Any
    search: Any
    new_btn: Any

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    # -- building ------------------------------------------------------------------------------
    def _make_search(self, placeholder: str) -> QLineEdit:
        self.search = QLineEdit()
        self.search.setPlaceholderText(placeholder)
        self.search.setClearButtonEnabled(True)
        return self.search

    @staticmethod
    def _filter_row(*items: tuple[QWidget, int]) -> QHBoxLayout:
        """The filter widgets side by side, each with its stretch factor."""
        row = QHBoxLayout()
        for widget, stretch in items:
            row.addWidget(widget, stretch)
        return row

    def _header(self, title: str, *extra: QWidget) -> QHBoxLayout:
        """The page's heading, then *extra* and the New button at the right."""
        top = QHBoxLayout()
        top.addWidget(heading(title))
        top.addStretch(1)
        for w in extra:
            top.addWidget(w)
        top.addWidget(self.new_btn)
        return top

    def _make_table(self, model: SqlPagedModel, sort_column: int, widths: tuple[int, ...],
                    pad: int = 0) -> QTableView:
        """The record table, sorted on *sort_column* newest first, columns at least *widths*."""
        self.model = model
        self.table = make_table(model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(sort_column,
                                                       Qt.SortOrder.DescendingOrder)
        hh = self.table.horizontalHeader()
        for c, w in enumerate(widths):
            self.table.setColumnWidth(c, max(w, hh.sectionSizeHint(c) + pad))
        return self.table

    def _split(self, orientation: Qt.Orientation, first: QWidget, sizes: list[int]) -> None:
        """Lay *first* and the editor out in a splitter filling the page."""
        split = QSplitter(orientation)
        split.addWidget(first)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes(sizes)
        split.setChildrenCollapsible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 12, 12, 12)
        lay.addWidget(split)

    def _connect_records(self) -> None:
        """Wire the table, the editor and data changes; called once the filters are wired."""
        self.new_btn.clicked.connect(lambda: self.new_record())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.modelReset.connect(self._update_count)
        self.model.rowsInserted.connect(self._update_count)
        self.editor.saved.connect(self._saved)
        self.ctx.messages.data_changed.connect(self._data_changed)
        self._update_count()

    def _update_count(self, *_: Any) -> None:
        raise NotImplementedError

    def _focus_new(self) -> None:
        """Put the cursor in the first field of a new record."""
        raise NotImplementedError

    # -- the record in the editor ----------------------------------------------------------------
    def _editor_id(self) -> int | None:
        record = getattr(self.editor, self.noun)
        return record.id if record is not None else None

    def _fetch(self, id_: int) -> Any:
        return getattr(self.ctx.store, self.noun)(id_)

    # -- records -----------------------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        rid = self.model.id_at(current.row()) if current.isValid() else None
        if rid is None or self._editor_id() == rid:
            return
        if not self.maybe_leave():
            QTimer.singleShot(0, lambda: self._select_id(self._editor_id()))
            return
        self.editor.load(self._fetch(rid))

    def _select_id(self, rid: int | None) -> None:
        row = self.model.row_of(rid) if rid is not None else None
        sm = self.table.selectionModel()
        sm.blockSignals(True)
        if row is None:
            self.table.clearSelection()
        else:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        sm.blockSignals(False)

    def refresh(self) -> None:
        self.model.refresh()
        if getattr(self.editor, self.noun) is not None and not self.editor.dirty:
            try:
                self.editor.load(self._fetch(self._editor_id()))  # type: ignore[arg-type]
            except KNOWN_ERRORS:
                getattr(self.editor, f"new_{self.noun}")()
        self._select_id(self._editor_id())

    def _data_changed(self, kind: str) -> None:
        if kind in self.refresh_on:
            self.refresh()

    def _saved(self, rid: int) -> None:
        self._select_id(rid)

    def open_record(self, id_: int) -> None:
        if not self.maybe_leave():
            return
        self.editor.load(self._fetch(id_))
        self._select_id(id_)

    def new_record(self, producer_id: int | None = None) -> None:
        if not self.maybe_leave():
            return
        getattr(self.editor, f"new_{self.noun}")(producer_id)
        self.table.clearSelection()
        self._focus_new()

    def save(self) -> bool:
        return self.editor.save()

    def focus_find(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def step_record(self, delta: int) -> None:
        cur = self.table.currentIndex()
        row = (cur.row() if cur.isValid() else -1) + delta
        self.model.fetch_all_to(row)
        if 0 <= row < self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))

    def maybe_leave(self) -> bool:
        """Ask what to do with unsaved edits; False keeps the user here."""
        if not self.editor.dirty:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, f"Unsaved {self.noun}",
                          f"This {self.noun} has changes that are not saved.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.editor.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.editor.revert()
            return True
        return False
