"""The Transparency Pledge report: per lot the five data points, and the share reported.

Lots are chosen by their reference date (the contract date, else the first fixation, else
30 June of the harvest — :func:`roasterdesk.domain.transparency.reference_date`) within
[from, to]; cancelled lots are left out. The figures come from the domain (checklist,
relationship, FOB); this module only gathers the records and writes the CSV.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain.money import fmt_pct, round_per_lb, round_places
from ..domain.pledge import PledgeRow, PledgeSummary, pledge_row, public_producer_name, summarise
from ..domain.pricing import fob_usd_lb
from ..domain.relationship import relationship
from ..domain.transparency import checklist, reference_date
from ..errors import UserError
from ..store import current_harvest
from ..store.sql import BOUGHT_SQL
from .tabular import neutralise

HEADERS = ("Lot", "Harvest", "Producer or organisation", "Country", "FOB price paid (USD/lb)",
           "Quality (SCA score)", "Lot size (kg)", "Relationship (harvests)",
           "Buying since", "All five reported", "Not yet recorded")


def pledge_rows(store: Any, start: date, end: date) -> list[PledgeRow]:
    if end < start:
        raise UserError("the period ends before it starts")
    # a lot's reference date lies within its harvest year ± 1, so harvests bound the query
    lots = store.lots_where(f"harvest BETWEEN ? AND ? AND {BOUGHT_SQL}",
                            [start.year - 1, end.year + 1])
    chosen = [lot for lot in lots if start <= reference_date(lot) <= end]
    rows: list[PledgeRow] = []
    by_producer: dict[int, list[Any]] = {}
    for lot in chosen:
        by_producer.setdefault(lot.producer_id, []).append(lot)
    for pid, mine in by_producer.items():
        producer = store.producer(pid)
        parent = store.producer(producer.parent_id) if producer.parent_id else None
        people = store.people(pid)
        all_lots = store.lots(pid)
        visits, commitments = store.visits(pid), store.commitments(pid)
        certs, projects = store.certifications(pid), store.projects(pid)
        for lot in mine:
            earlier = [x for x in all_lots if x.harvest <= lot.harvest]
            rel = relationship(earlier, visits, commitments, current_harvest())
            check = checklist(lot, producer, visits=visits, certifications=certs,
                              commitments=commitments, projects=projects,
                              first_harvest=rel.first_harvest)
            label = public_producer_name(producer, people, reference_date(lot), parent)
            rows.append(pledge_row(lot.code, lot.harvest, label, producer.country,
                                   fob_usd_lb(lot), lot.quality_score, lot.weight,
                                   rel.first_harvest, check))
    rows.sort(key=lambda r: (r.harvest, r.lot_code))
    return rows


def _kg(value: Decimal) -> str:
    """A weight as the sheet shows it: to the gram at most, no trailing zeros (a total of
    weights given in lb printed 70302.10643532)."""
    return f"{round_places(value, 3).normalize():f}"


def _t(value: Any) -> str:
    return "" if value is None else str(value)


def row_cells(r: PledgeRow) -> list[str]:
    return [
        r.lot_code, str(r.harvest), r.producer, r.country,
        _t(round_per_lb(r.fob_usd_lb) if r.fob_usd_lb is not None else None),
        _t(r.quality), _kg(r.weight_kg) if r.weight_kg is not None else "",
        _t(r.relationship_harvests), _t(r.first_harvest),
        "yes" if r.reported else "no", "; ".join(r.missing),
    ]


def summary_lines(s: PledgeSummary) -> list[tuple[str, str]]:
    return [
        ("Lots", f"{s.lots}"),
        ("Lots with all five data points", f"{s.reported_lots}"),
        ("Total volume (kg)", _kg(s.total_kg)),
        ("Reported volume (kg)", _kg(s.reported_kg)),
        ("Share of volume reported", fmt_pct(s.share_reported, "no lot has a weight")),
        ("Lots without a weight (not in the share)", f"{s.lots_without_weight}"),
    ]


def export_pledge(store: Any, start: date, end: date, out: Path | str
                  ) -> tuple[list[PledgeRow], PledgeSummary]:
    rows = pledge_rows(store, start, end)
    summary = summarise(rows)
    with open(out, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for r in rows:
            w.writerow([neutralise(c) for c in row_cells(r)])
        w.writerow([])
        for k, v in summary_lines(summary):
            w.writerow([k, v])
    return rows, summary
