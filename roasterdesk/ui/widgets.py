"""Small shared widgets: validated fields, inline error messages, simple record tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)

from ..domain.money import fmt_number
from .labels import heading, muted  # noqa: F401  (re-exported: pages import them from here)

ObjectRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

Index = QModelIndex | QPersistentModelIndex


class FieldError(ValueError):
    """Bad input in one field: the message names the field and says what is expected."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


# -- parsing user text -------------------------------------------------------------------------
def clean_number(text: str, field: str, label: str) -> str:
    """A number as typed, without spaces or thousands separators ("12 500", "12,500.5").
    Any other comma is refused with a message: "1,5" may mean 1.5 or 15, so it is never
    guessed (an editor field is not an import: nobody reviews a preview of it)."""
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    if "," in t:
        raise FieldError(field, f"{label}: use a point for decimals (“{text.strip()}”)")
    return t


def _out_of_range(field: str, label: str, value: Any, minimum: Any, maximum: Any, unit: str,
                  hint: str) -> None:
    u = f" {unit}" if unit else ""
    if minimum is not None and maximum is not None:
        if not minimum <= value <= maximum:
            raise FieldError(field, f"{label}: {value}{u} is outside {minimum}–{maximum}{u}{hint}")
    elif minimum is not None and value < minimum:
        raise FieldError(field, f"{label} must be at least {minimum:,}{u}{hint}")
    elif maximum is not None and value > maximum:
        raise FieldError(field, f"{label} must be at most {maximum:,}{u}{hint}")


def parse_decimal(text: str, field: str, label: str, *, minimum: Decimal | None = None,
                  maximum: Decimal | None = None, positive: bool = False,
                  required: bool = False, unit: str = "", hint: str = "") -> Decimal | None:
    """A decimal typed into a field; ``unit`` and ``hint`` end the range messages."""
    t = clean_number(text, field, label)
    if not t:
        if required:
            raise FieldError(field, f"{label}: enter a number")
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise FieldError(field, f"{label}: “{text.strip()}” is not a number") from None
    if not value.is_finite():
        raise FieldError(field, f"{label}: “{text.strip()}” is not a number")
    if positive and value <= 0:
        raise FieldError(field, f"{label} must be more than 0{' ' + unit if unit else ''}")
    _out_of_range(field, label, value, minimum, maximum, unit, hint)
    return value


def parse_plausible(text: str, field: str, label: str,
                    check: Callable[[Decimal], tuple[str, bool] | None], *,
                    required: bool = False) -> Decimal | None:
    """A decimal checked by the domain's rule for it (:mod:`roasterdesk.domain.plausibility`),
    so the editor refuses what an import refuses, with the same reason."""
    value = parse_decimal(text, field, label, required=required)
    bad = check(value) if value is not None else None
    if bad and bad[1]:
        reason = bad[0]
        if reason.lower().startswith(label.lower() + " "):
            reason = reason[len(label) + 1:]
        raise FieldError(field, f"{label}: {reason}")
    return value


def parse_int(text: str, field: str, label: str, *, minimum: int | None = None,
              maximum: int | None = None, required: bool = False) -> int | None:
    t = clean_number(text, field, label)
    if not t:
        if required:
            raise FieldError(field, f"{label}: enter a whole number")
        return None
    try:
        value = int(t)
    except ValueError:
        raise FieldError(field, f"{label}: “{text.strip()}” is not a whole number") from None
    _out_of_range(field, label, value, minimum, maximum, "", "")
    return value


def parse_date(text: str, field: str, label: str, *, required: bool = False,
               earliest: date | None = None, latest: date | None = None) -> date | None:
    t = text.strip()
    if not t:
        if required:
            raise FieldError(field, f"{label}: enter a date as YYYY-MM-DD")
        return None
    try:
        d = date.fromisoformat(t)
    except ValueError:
        raise FieldError(field, f"{label}: “{t}” is not a date (use YYYY-MM-DD)") from None
    if (earliest is not None and d < earliest) or (latest is not None and d > latest):
        raise FieldError(field, f"{label}: {d} is out of range ({earliest or '…'} to "
                         f"{latest or '…'})")
    return d


def parse_list(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


def fmt(value: Any, places: int | None = None) -> str:
    """Display text for a value (Decimals rounded half-up only here, for display)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}" if places is None else fmt_number(value, places)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ", ".join(str(getattr(v, "value", v)) for v in value)
    return str(getattr(value, "label", None) or getattr(value, "value", value))


def text_of(value: Any) -> str:
    """Text to put back into an edit field."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return ", ".join(str(v) for v in value)
    return str(value)


# -- widgets -----------------------------------------------------------------------------------
class DateEdit(QLineEdit):
    """A date as YYYY-MM-DD; empty means no date."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        self.setMaximumWidth(140)


class ErrorLabel(QLabel):
    """The inline message under a form: hidden until there is something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formError")
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


def mark_invalid(widget: QWidget | None, invalid: bool) -> None:
    if widget is None:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def hline() -> QFrame:
    f = QFrame()
    f.setFrameShape(QFrame.Shape.HLine)
    f.setObjectName("rule")
    return f


# -- tables ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    align_right: bool = False
    places: int | None = None
    tip: str = ""


ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def header_data(col: Any, role: int) -> Any:
    """What a table column's header gives for ``role``: its name, its tip, its alignment
    (``col`` has ``header``, ``tip`` and ``align_right``, as :class:`Column` and the paged
    models' columns do)."""
    if role == Qt.ItemDataRole.DisplayRole:
        return col.header
    if role == Qt.ItemDataRole.ToolTipRole and col.tip:
        return col.tip
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return ALIGN_RIGHT if col.align_right else ALIGN_LEFT
    return None


class RecordTableModel(QAbstractTableModel):
    """A small in-memory table of records (one producer's people, plots, …).

    Not for big lists: those are SQL-backed (see :mod:`roasterdesk.ui.models`).
    ``ObjectRole`` returns the record, ``SortRole`` the raw value.
    """

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.records: list[Any] = []
        self.warn: Callable[[Any], bool] | None = None

    def set_records(self, records: Sequence[Any]) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def record(self, row: int) -> Any:
        return self.records[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.records):
            return None
        rec = self.records[index.row()]
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return fmt(col.value(rec), col.places)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT if col.align_right else ALIGN_LEFT
        if role == Qt.ItemDataRole.ForegroundRole and self.warn and self.warn(rec):
            return QColor("#b3261e")
        if role == ObjectRole:
            return rec
        if role == SortRole:
            v = col.value(rec)
            return v if isinstance(v, (int, float, str)) else fmt(v)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return header_data(self.columns[section], role)
        return None


def make_table(model: QAbstractTableModel, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    hh = view.horizontalHeader()
    hh.setHighlightSections(False)
    hh.setStretchLastSection(True)
    hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    hh.setMinimumSectionSize(60)
    hh.setResizeContentsPrecision(60)  # size columns from the first rows, not all of them
    view.setProperty("sortable", True)  # the style keeps room for the sort arrow (ui.style)
    return view


def fit_columns(view: QTableView, max_width: int = 320) -> None:
    """Size columns to their contents (visible rows only), capped."""
    view.resizeColumnsToContents()
    model = view.model()
    for c in range(model.columnCount() - 1):
        if view.columnWidth(c) > max_width:
            view.setColumnWidth(c, max_width)
        else:
            view.setColumnWidth(c, view.columnWidth(c) + 16)


class _EmptyState(QLabel):
    """Says what to do next over an empty table (see :func:`empty_state`)."""

    def __init__(self, view: QAbstractItemView, message: Callable[[], str]) -> None:
        super().__init__(view.viewport())
        self.view, self.message = view, message
        self.setObjectName("muted")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.layoutChanged):
            signal.connect(self.update_state)
        view.viewport().installEventFilter(self)
        self.update_state()

    def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802
        if event.type() == event.Type.Resize:
            self.setGeometry(self.view.viewport().rect().adjusted(24, 0, -24, 0))
        return False

    def update_state(self, *_: Any) -> None:
        empty = self.view.model().rowCount() == 0
        if empty:
            self.setText(self.message())
            self.setGeometry(self.view.viewport().rect().adjusted(24, 0, -24, 0))
        self.setVisible(empty)


def empty_state(view: QAbstractItemView, message: Callable[[], str]) -> QLabel:
    """An empty table shows ``message()`` (the next step: "No producers yet. Import a
    spreadsheet or add one.") instead of a blank grid. One mechanism for every list."""
    return _EmptyState(view, message)
