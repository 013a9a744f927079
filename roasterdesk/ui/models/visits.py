"""The visit log's table: filtering is SQL (the notes search goes through the ``visits_fts``
full-text index), sorting is ``ORDER BY``."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from ...domain.model import (
    VisitMode,
)
from ...store.store import fts_query, like_contains
from ..views.paged import SqlColumn, SqlPagedModel, SqlQuery

if TYPE_CHECKING:
    from ..context import AppContext

def _mode_label(v: Any) -> str:
    try:
        return VisitMode(v).label
    except ValueError:
        return str(v or "")


def _purposes_label(v: Any) -> str:
    try:
        return ", ".join(json.loads(v or "[]"))
    except ValueError:
        return ""


def _count(v: Any) -> str:
    return str(v) if v else ""


VISIT_COLUMNS = (
    SqlColumn("Date", "v.date"),
    SqlColumn("Producer", "p.name", sort=("p.name COLLATE NOCASE",)),
    SqlColumn("Ctry", "p.country", tip="Country"),
    SqlColumn("Mode", "v.mode", show=_mode_label),
    SqlColumn("Purpose", "v.purposes", show=_purposes_label),
    SqlColumn("Open",
              "(SELECT count(*) FROM follow_ups f WHERE f.visit_id = v.id AND f.done = 0 "
              "AND f.deleted_at IS NULL)",
              show=_count, align_right=True, tip="Open follow-ups (not yet done)"),
    SqlColumn("Notes", "substr(replace(v.notes, char(10), ' '), 1, 160)",
              sort=("v.notes COLLATE NOCASE",), tooltip=lambda row: str(row[7] or "")),
)


class VisitListModel(SqlPagedModel):
    """The visit log: one row per visit, newest first; ``ObjectRole`` gives the :class:`Visit`."""

    def __init__(self, ctx: AppContext, parent: Any = None, page_size: int = 200) -> None:
        query = SqlQuery("visits v JOIN producers p ON p.id = v.producer_id "
                         "AND v.deleted_at IS NULL", "v.id")
        super().__init__(ctx, VISIT_COLUMNS, query, load=lambda i: ctx.store.visit(i),
                         sort_column=0, sort_order=Qt.SortOrder.DescendingOrder,
                         page_size=page_size, parent=parent)


def visit_filter(*, text: str = "", producer: str = "", producer_id: int | None = None,
                 modes: list[str] | None = None, start: date | None = None,
                 end: date | None = None, open_follow_ups: bool = False,
                 ) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters for the visit log."""
    where: list[str] = []
    params: list[Any] = []
    q = fts_query(text)
    if q:
        # "+v.id": the matches are a filter, not the driver, so that the date index still
        # gives rows in order and LIMIT stops early (2–5× faster for common words).
        where.append("+v.id IN (SELECT rowid FROM visits_fts WHERE visits_fts MATCH ?)")
        params.append(q)
    if producer_id is not None:
        where.append("v.producer_id = ?")
        params.append(producer_id)
    elif producer.strip():
        where.append("v.producer_id IN (SELECT id FROM producers WHERE name LIKE ? "
                     "ESCAPE '\\')")
        params.append(like_contains(producer))
    if modes:
        where.append(f"v.mode IN ({','.join('?' * len(modes))})")
        params.extend(modes)
    if start is not None:
        where.append("v.date >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("v.date <= ?")
        params.append(end.isoformat())
    if open_follow_ups:
        where.append("EXISTS (SELECT 1 FROM follow_ups f WHERE f.visit_id = v.id AND f.done = 0 "
                     "AND f.deleted_at IS NULL)")
    return where, params
