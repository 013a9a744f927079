"""The producer list: lazy, filtered and sorted in SQL.

Rows are fetched a page at a time (``canFetchMore``/``fetchMore``); ``sort()`` changes the
``ORDER BY``; filters are ``WHERE`` clauses. No proxy model, no full Python list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ...domain.model import ProducerKind
from ...domain.words import NOT_RECORDED
from ...store.store import fts_query
from ..widgets import ALIGN_LEFT, ALIGN_RIGHT, ObjectRole, SortRole

if TYPE_CHECKING:
    from ..context import AppContext

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 3



@dataclass(frozen=True)
class ProducerFilter:
    text: str = ""
    country: str = ""
    kind: ProducerKind | Literal[""] | None = None  # "": not recorded; None: any
    scheme: str = ""  # a current certification of this scheme
    harvest: int | None = None  # bought from in this harvest


def _kind_label(v: Any) -> str:
    return ProducerKind(v).label if v else NOT_RECORDED


def _alt(row: tuple[Any, ...]) -> str:
    lo, hi = row
    if lo is None and hi is None:
        return ""
    if lo is None or hi is None or lo == hi:
        return f"{lo if lo is not None else hi:,}"
    return f"{lo:,}–{hi:,}"


# header, SELECT expression(s), ORDER BY expression, display, right-aligned
COLUMNS: list[tuple[str, str, str, Any, bool]] = [
    ("Name", "p.name", "p.name COLLATE NOCASE", str, False),
    ("Kind", "p.kind", "p.kind", _kind_label, False),
    ("Country", "p.country", "p.country", str, False),
    ("Region", "p.region", "p.region COLLATE NOCASE", str, False),
    ("Altitude (masl)", "p.altitude_min_m, p.altitude_max_m", "p.altitude_min_m", _alt, True),
    ("Current certifications",
     "(SELECT group_concat(DISTINCT c.scheme) FROM certifications c WHERE c.producer_id = p.id "
     "AND c.valid_to >= :today AND (c.valid_from IS NULL OR c.valid_from <= :today) "
     "AND c.deleted_at IS NULL)",
     "8", lambda v: (v or "").replace(",", ", "), False),
    ("Lots", "(SELECT count(*) FROM lots l WHERE l.producer_id = p.id)", "9",
     lambda v: f"{v:,}" if v else "", True),
    ("Last harvest", "(SELECT max(l.harvest) FROM lots l WHERE l.producer_id = p.id "
     "AND l.status IS NOT 'cancelled')", "10", lambda v: str(v) if v else "", True),
    ("Last visit", "(SELECT max(v.date) FROM visits v WHERE v.producer_id = p.id "
     "AND v.deleted_at IS NULL)", "11",
     lambda v: v or "", False),
]


class ProducerTableModel(QAbstractTableModel):
    page_size = 200

    def __init__(self, ctx: AppContext, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.filter = ProducerFilter()
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.rows: list[tuple[Any, ...]] = []
        self.total = 0
        self._objects: dict[int, Any] = {}
        self._reload()

    # -- SQL ---------------------------------------------------------------------------------
    def _where(self) -> tuple[str, dict[str, Any]]:
        f = self.filter
        clauses: list[str] = ["p.deleted_at IS NULL"]
        params: dict[str, Any] = {"today": date.today().isoformat()}
        q = fts_query(f.text)
        if q:
            clauses.append("p.id IN (SELECT rowid FROM producers_fts WHERE producers_fts MATCH :q)")
            params["q"] = q
        if f.country:
            clauses.append("p.country = :country")
            params["country"] = f.country
        if f.kind == "":  # the "not recorded" choice
            clauses.append("p.kind IS NULL")
        elif f.kind is not None:
            clauses.append("p.kind = :kind")
            params["kind"] = f.kind.value
        if f.scheme:
            clauses.append("EXISTS (SELECT 1 FROM certifications c WHERE c.producer_id = p.id "
                           "AND c.scheme = :scheme AND c.valid_to >= :today "
                           "AND (c.valid_from IS NULL OR c.valid_from <= :today) "
                           "AND c.deleted_at IS NULL)")
            params["scheme"] = f.scheme
        if f.harvest is not None:
            clauses.append("EXISTS (SELECT 1 FROM lots l WHERE l.producer_id = p.id "
                           "AND l.harvest = :harvest AND l.status IS NOT 'cancelled')")
            params["harvest"] = f.harvest
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _fetch(self, offset: int) -> list[tuple[Any, ...]]:
        where, params = self._where()
        cols = ", ".join(c[1] for c in COLUMNS)
        order = COLUMNS[self.sort_column][2]
        direction = "DESC" if self.sort_order == Qt.SortOrder.DescendingOrder else "ASC"
        sql = (f"SELECT p.id, {cols} FROM producers p{where} "
               f"ORDER BY {order} {direction}, p.id LIMIT {self.page_size} OFFSET {offset}")
        return [tuple(r) for r in self.ctx.store.db.execute(sql, params)]

    def _count(self) -> int:
        where, params = self._where()
        return int(self.ctx.store.db.execute(
            f"SELECT count(*) FROM producers p{where}", params).fetchone()[0])

    def _reload(self) -> None:
        self.total = self._count()
        self.rows = self._fetch(0)
        self._objects.clear()

    # -- public ------------------------------------------------------------------------------
    def set_filter(self, f: ProducerFilter) -> None:
        self.beginResetModel()
        self.filter = f
        self._reload()
        self.endResetModel()

    def refresh(self) -> None:
        self.beginResetModel()
        self._reload()
        self.endResetModel()

    def producer_id(self, row: int) -> int:
        return int(self.rows[row][0])

    def row_of(self, producer_id: int) -> int:
        """The row showing ``producer_id`` (fetching more pages if needed); -1 if filtered out."""
        while True:
            for i, r in enumerate(self.rows):
                if r[0] == producer_id:
                    return i
            if not self.canFetchMore():
                return -1
            self.fetchMore()

    # -- Qt model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        more = self._fetch(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def _value(self, row: tuple[Any, ...], column: int) -> tuple[Any, Any]:
        """(raw, display) of one cell; the altitude column spans two selected values."""
        pos = 1
        for i, col in enumerate(COLUMNS):
            width = col[1].count(",") + 1 if not col[1].startswith("(") else 1
            if i == column:
                raw = row[pos:pos + width] if width > 1 else row[pos]
                return raw, col[3](raw)
            pos += width
        raise IndexError(column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._value(row, index.column())[1]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT if COLUMNS[index.column()][4] else ALIGN_LEFT
        if role == SortRole:
            raw = self._value(row, index.column())[0]
            return raw[0] if isinstance(raw, tuple) else raw
        if role == IdRole:
            return row[0]
        if role == ObjectRole:
            pid = row[0]
            if pid not in self._objects:
                self._objects[pid] = self.ctx.store.producer(pid)
            return self._objects[pid]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_RIGHT if COLUMNS[section][4] else ALIGN_LEFT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self.beginResetModel()
        self.sort_column = column
        self.sort_order = order
        self._reload()
        self.endResetModel()
