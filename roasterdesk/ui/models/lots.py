"""The lot table: computed columns from ``lot_metrics``, sorted and filtered in SQL."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from ...domain.harvest import harvest_name
from ...domain.money import fmt_pct, fmt_usd_lb
from ...domain.words import NOT_RECORDED
from ...store.store import fts_query
from ..views.paged import SqlColumn, SqlPagedModel, SqlQuery

if TYPE_CHECKING:
    from ..context import AppContext


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(repr(v)) if isinstance(v, float) else Decimal(v)


# a figure the records do not give reads "not recorded", never a blank a reader fills in
def _per_lb(v: Any) -> str:
    return fmt_usd_lb(_dec(v), NOT_RECORDED).replace(" USD/lb", "")


def _pct(v: Any) -> str:
    return fmt_pct(_dec(v), NOT_RECORDED)


def _kg(v: Any) -> str:
    return NOT_RECORDED if v is None else f"{_dec(v):,.0f}"


def _score(v: Any) -> str:
    return NOT_RECORDED if v is None else f"{_dec(v):.2f}"


def _harvest(v: Any) -> str:
    """The harvest by the one rule (domain.harvest.harvest_name), from [year, country, months]."""
    if not v:
        return ""
    year, country, months = json.loads(v)
    return harvest_name(int(year), country or "", tuple(months or ()))


def _transparency_tip(row: tuple[Any, ...]) -> str:
    missing = row[-1]
    return f"Not answered: {missing}" if missing else "Every applicable item answered"


LOT_COLUMNS = (
    SqlColumn("Code", "l.code"),
    SqlColumn("Producer", "p.name", sort=("p.name COLLATE NOCASE",)),
    SqlColumn("Ctry", "p.country"),
    SqlColumn("Harvest", "json_array(l.harvest, p.country, json(p.harvest_months))",
              sort=("l.harvest", "l.code"), show=_harvest, align_right=True,
              tip="Named by the origin's harvest calendar"),
    SqlColumn("Process", "l.process", show=lambda v: v or NOT_RECORDED),
    SqlColumn("Status", "l.status", show=lambda v: v or NOT_RECORDED),
    SqlColumn("Weight kg", "COALESCE(CAST(l.weight_kg AS REAL), l.bags * CAST(l.bag_kg AS REAL))",
              show=_kg, align_right=True),
    SqlColumn("Score", "CAST(l.quality_score AS REAL)", show=_score, align_right=True),
    # figures: the exact text of lot_metrics (services.analysis), sorted by its REAL keys
    SqlColumn("FOB USD/lb", "m.fob_exact", sort=("m.fob_usd_lb",), show=_per_lb,
              align_right=True, tiebreak="m.lot_id"),
    SqlColumn("Premium over market", "m.premium_exact", sort=("m.premium_usd_lb",),
              show=_per_lb, align_right=True, tiebreak="m.lot_id",
              tip="FOB − the market at fixation, USD/lb: ICE C for arabica, ICE London for "
                  "robusta"),
    SqlColumn("Premium %", "m.premium_pct_exact", sort=("m.premium_pct",), show=_pct,
              align_right=True, tip="Premium over the market as a share of it",
              tiebreak="m.lot_id"),
    SqlColumn("Farm-gate share", "m.share_exact", sort=("m.farm_gate_share",), show=_pct,
              align_right=True, tip="Farm-gate price (USD/lb green) ÷ FOB",
              tiebreak="m.lot_id"),
    SqlColumn("Transparency", "m.answered || ' / ' || m.applicable",
              sort=("m.answered * 1.0 / m.applicable",), align_right=True,
              tip="Checklist items answered / applicable", tooltip=_transparency_tip,
              tiebreak="m.lot_id"),
)
DEFAULT_SORT = 3  # harvest, newest first


class LotListModel(SqlPagedModel):
    """The lot table; computed columns come from ``lot_metrics``. ``ObjectRole`` gives the Lot."""

    def __init__(self, ctx: AppContext, parent: Any = None, page_size: int = 200) -> None:
        query = SqlQuery(
            # an inner join (every lot has its lot_metrics row: schema m003), so SQLite can
            # walk a lot_metrics index when the table is sorted by one of its figures
            "lots l JOIN producers p ON p.id = l.producer_id "
            "JOIN lot_metrics m ON m.lot_id = l.id", "l.id", extra=("m.missing",))
        super().__init__(ctx, LOT_COLUMNS, query, load=lambda i: ctx.store.lot(i),
                         sort_column=DEFAULT_SORT, sort_order=Qt.SortOrder.DescendingOrder,
                         page_size=page_size, parent=parent)


MANY_MATCHES = 0.5
"""Share of all lots a search must match for the sort's index to drive the page (lot_filter)."""


def _many_matches(db: Any, q: str) -> bool:
    """Whether ``q`` likely matches at least :data:`MANY_MATCHES` of the lots: the larger of
    the lots matched by code, name or variety (counted up to that share) and the lots of
    matched producers (their number times the lots per producer; the two overlap, as a farm
    named in its lots' names). Costs a few milliseconds at most."""
    lots, producers = db.execute(
        "SELECT (SELECT max(rowid) FROM lots), (SELECT max(rowid) FROM producers)").fetchone()
    if not lots or not producers:
        return False
    enough = int(lots * MANY_MATCHES)
    by_lot, by_producer = db.execute(
        "SELECT (SELECT count(*) FROM (SELECT 1 FROM lots_fts WHERE lots_fts MATCH :q "
        "LIMIT :n)), (SELECT count(*) FROM producers_fts WHERE producers_fts MATCH :q)",
        {"q": q, "n": enough}).fetchone()
    return max(int(by_lot), int(by_producer) * lots / producers) >= enough


def lot_filter(*, text: str = "", harvest: int | None = None, status: str | None = None,
               process: str | None = None, incomplete: bool = False,
               producer_id: int | None = None, db: Any = None) -> tuple[list[str], list[Any]]:
    """WHERE terms and parameters for the lot table. A search is planned by how many lots it
    matches (``db`` given): up to half of them are read through the full-text index and
    sorted (the cost grows with the matches; a word matching nothing costs nothing); more are
    filtered while the sort's index drives (``+`` keeps SQLite off the match lists), which
    reads about two rows per row shown. Either way a first page reads at most about half of
    the lots, where always letting the sort's index drive could read them all (a word that
    matches mostly the lots at the far end of the sort order)."""
    where: list[str] = []
    params: list[Any] = []
    q = fts_query(text)
    if q:
        plus = "+" if db is None or _many_matches(db, q) else ""
        where.append(f"{plus}l.id IN (SELECT rowid FROM lots_fts WHERE lots_fts MATCH ?) OR "
                     f"{plus}l.producer_id IN (SELECT rowid FROM producers_fts "
                     "WHERE producers_fts MATCH ?)")
        params += [q, q]
    for col, value in (("l.harvest", harvest), ("l.status", status), ("l.process", process),
                       ("l.producer_id", producer_id)):
        if value == "" and col in ("l.status", "l.process"):  # the "not recorded" choice
            where.append(f"{col} IS NULL")
        elif value is not None:
            where.append(f"{col} = ?")
            params.append(value)
    if incomplete:
        where.append("m.answered < m.applicable")
    return where, params
