"""A lazy, SQL-sorted table model for long lists (visits, lots).

Rows are fetched a page at a time (``canFetchMore``/``fetchMore``) with ``LIMIT``/``OFFSET``;
sorting and filtering are ``ORDER BY`` and ``WHERE`` in SQL, so a list of 200,000 lots costs
the same to open as one of 200. Each fetched row is a tuple of the selected columns; the record
itself (a domain dataclass) is loaded only when someone asks for ``ObjectRole``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ..widgets import ALIGN_LEFT, ALIGN_RIGHT, ObjectRole, SortRole, header_data

if TYPE_CHECKING:
    from ..context import AppContext

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 3

_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
          | Qt.ItemFlag.ItemNeverHasChildren)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole


def _plain(v: Any) -> str:
    return "" if v is None else str(v)


@dataclass(frozen=True)
class SqlColumn:
    """One column: a SELECT expression, how to sort it, and how to show its raw value."""

    header: str
    expr: str
    sort: tuple[str, ...] = ()  # ORDER BY expressions (each gets the direction); () = expr
    tiebreak: str = ""  # the id to break ties by, as the sort's index has it; "" = the query's
    show: Callable[[Any], str] = _plain
    align_right: bool = False
    tip: str = ""
    tooltip: Callable[[tuple[Any, ...]], str] | None = None


@dataclass
class SqlQuery:
    """FROM clause with joins, plus the current filter."""

    from_sql: str
    id_expr: str
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    extra: tuple[str, ...] = ()  # more SELECT expressions, after the columns (for tooltips)


class SqlPagedModel(QAbstractTableModel):
    """Pages of ``SELECT <columns> FROM … WHERE … ORDER BY … LIMIT n OFFSET k``."""

    def __init__(self, ctx: AppContext, columns: Sequence[SqlColumn], query: SqlQuery, *,
                 load: Callable[[int], Any], sort_column: int = 0,
                 sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
                 page_size: int = 200, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.columns = list(columns)
        self.query = query
        self.load = load
        self.page_size = page_size
        self.sort_column = sort_column
        self.sort_order = sort_order
        self.rows: list[tuple[Any, ...]] = []
        self._more = False
        self._fetching = False
        self._cache: dict[int, Any] = {}
        self._reload()

    # -- querying ----------------------------------------------------------------------------
    def _order(self) -> str:
        col = self.columns[self.sort_column]
        direction = "DESC" if self.sort_order == Qt.SortOrder.DescendingOrder else "ASC"
        keys = [f"{k} {direction}" for k in (col.sort or (col.expr,))]
        # Ties broken by id in the same direction, so an index on (key, id) can serve the order.
        keys.append(f"{col.tiebreak or self.query.id_expr} {direction}")
        return "ORDER BY " + ", ".join(keys)

    def _page(self, offset: int) -> list[tuple[Any, ...]]:
        """One page in two steps: the ids of the page (sorting only the sort key), then the
        shown columns of those ids alone, so expressions are not computed for every row."""
        q = self.query
        where = (" WHERE " + " AND ".join(f"({w})" for w in q.where)) if q.where else ""
        order = self._order()
        ids = f"SELECT {q.id_expr} FROM {q.from_sql}{where} {order} LIMIT ? OFFSET ?"
        cols = ", ".join([q.id_expr, *(c.expr for c in self.columns), *q.extra])
        sql = f"SELECT {cols} FROM {q.from_sql} WHERE {q.id_expr} IN ({ids}) {order}"
        params = [*q.params, self.page_size + 1, offset]
        return [tuple(r) for r in self.ctx.store.db.execute(sql, params).fetchall()]

    def _reload(self) -> None:
        rows = self._page(0)
        self._more = len(rows) > self.page_size
        self.rows = rows[: self.page_size]
        self._cache.clear()

    def refresh(self) -> None:
        """Reload from the first page (after a write, a new filter or a new sort)."""
        self._fetching = True  # no fetchMore from slots of the reset signals
        try:
            self.beginResetModel()
            self._reload()
            self.endResetModel()
        finally:
            self._fetching = False

    def set_filter(self, where: list[str], params: list[Any]) -> None:
        self.query.where = list(where)
        self.query.params = list(params)
        self.refresh()

    # -- lazy loading ------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._fetching:
            return
        self._fetching = True  # views may ask again while rows are being inserted
        try:
            rows = self._page(len(self.rows))
            self._more = len(rows) > self.page_size
            rows = rows[: self.page_size]
            if rows:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
                self.rows.extend(rows)
                self.endInsertRows()
        finally:
            self._fetching = False

    @property
    def has_more(self) -> bool:
        """Whether rows beyond those fetched exist (also while a reset is being signalled)."""
        return self._more

    def fetch_all_to(self, row: int) -> None:
        while row >= len(self.rows) and self.canFetchMore():
            self.fetchMore()

    # -- model API ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def id_at(self, row: int) -> int | None:
        return int(self.rows[row][0]) if 0 <= row < len(self.rows) else None

    def row_of(self, id_: int) -> int | None:
        for i, r in enumerate(self.rows):
            if r[0] == id_:
                return i
        return None

    def record(self, row: int) -> Any:
        id_ = self.id_at(row)
        if id_ is None:
            return None
        if id_ not in self._cache:
            self._cache[id_] = self.load(id_)
        return self._cache[id_]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every visible cell and role on each paint: keep the common path short.
        r = index.row()
        if not 0 <= r < len(self.rows) or not index.isValid():
            return None
        if role == _DISPLAY:
            c = index.column()
            return self.columns[c].show(self.rows[r][c + 1])
        if role == _ALIGN:
            return ALIGN_RIGHT if self.columns[index.column()].align_right else ALIGN_LEFT
        if role == SortRole:
            return self.rows[r][index.column() + 1]
        if role == _TOOLTIP:
            col = self.columns[index.column()]
            return col.tooltip(self.rows[r]) if col.tooltip is not None else None
        if role == IdRole:
            return self.rows[r][0]
        if role == ObjectRole:
            return self.record(r)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        return header_data(self.columns[section], role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.sort_column, self.sort_order = column, order
        self.refresh()
