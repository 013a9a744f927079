"""SQL helpers of the store's modules: live-row filter, LIKE/FTS patterns, lot_metrics rows."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .codec import d2s

if TYPE_CHECKING:
    from ..domain.analysis import LotAnalysis


BOUGHT_SQL = "(status IS NULL OR status NOT IN ('offer', 'cancelled'))"
"""A lot that may have been bought (:data:`roasterdesk.domain.model.NOT_BOUGHT` is not): the
lots a statement, a harvest's statements and the Transparency Pledge's list take."""

METRICS_UPSERT = (
    "INSERT OR REPLACE INTO lot_metrics (lot_id, fob_usd_lb, c_usd_lb, premium_usd_lb, "
    "premium_pct, farm_gate_usd_lb, farm_gate_share, answered, applicable, missing, "
    "fob_exact, c_exact, premium_exact, premium_pct_exact, farm_gate_exact, share_exact) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def metrics_row(a: LotAnalysis) -> tuple[Any, ...]:
    e = a.economics

    def f(x: Decimal | None) -> float | None:
        return float(x) if x is not None else None

    return (
        a.lot.id, f(e.fob_usd_lb), f(e.c_usd_lb), f(e.premium_over_c_usd_lb),
        f(e.premium_over_c_pct), f(e.farm_gate_usd_lb), f(e.farm_gate_share),
        a.checklist.answered, a.checklist.applicable,
        "; ".join(i.question for i in a.checklist.missing),
        # the exact figures, as the editor and the statement compute them: the table shows
        # these, and sorts by the REAL keys above
        d2s(e.fob_usd_lb), d2s(e.c_usd_lb), d2s(e.premium_over_c_usd_lb),
        d2s(e.premium_over_c_pct), d2s(e.farm_gate_usd_lb), d2s(e.farm_gate_share),
    )


MAX_SEARCH_TERMS = 12
"""Words of a search beyond these are ignored (3,000 terms took 64 s; 12 take milliseconds)."""
MAX_SEARCH_CHARS = 500


def like_contains(text: str) -> str:
    """``%text%`` for ``LIKE ? ESCAPE '\\'``: a ``%`` or ``_`` the user typed matches itself,
    not every row (the one place LIKE patterns are made)."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_query(text: str) -> str:
    """User text → a safe FTS5 query: every word must match, the last one as a prefix. At
    most :data:`MAX_SEARCH_TERMS` words of the first :data:`MAX_SEARCH_CHARS` characters."""
    text = text[:MAX_SEARCH_CHARS]
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    words = words[:MAX_SEARCH_TERMS]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


LIVE = " AND deleted_at IS NULL"


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]
