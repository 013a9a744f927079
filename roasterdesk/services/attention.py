"""What needs the buyer's attention now: the Overview's lists, as plain data (no Qt).

Certificates about to end, follow-ups due, commitments at risk this harvest and lots whose impact
statement would have gaps; each item names the record it opens.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..domain.harvest import current_harvest, harvest_name

if TYPE_CHECKING:
    from ..store import Store
    from ..store.db import AnyDatabase

EXPIRY_DAYS = 90
FOLLOW_UP_SOON_DAYS = 14
MAX_ITEMS = 100


@dataclass(frozen=True)
class Item:
    text: str
    kind: str
    id: int
    urgent: bool = False
    detail: str = ""


def _when(days: int, past: str, today: str, future: str) -> str:
    """``days`` from today in words: "expired 3 days ago", "expires today", "due in 1 day"."""
    if days == 0:
        return today
    n = abs(days)
    return (past if days < 0 else future).format(f"{n} day{'s' if n != 1 else ''}")


def summary_counts(db: AnyDatabase) -> dict[str, int]:
    """How many producers, visits and lots the database holds."""
    return {t: int(db.execute(f"SELECT count(*) FROM {t} WHERE deleted_at IS NULL").fetchone()[0])
            for t in ("producers", "visits", "lots")}


def expiring_certifications(db: AnyDatabase, today: date) -> list[Item]:
    """Certificates ending within 90 days (or ended in the last 30) and not yet renewed."""
    rows = db.execute(
        "SELECT c.producer_id, p.name, c.scheme, c.number, c.valid_to FROM certifications c "
        "JOIN producers p ON p.id = c.producer_id "
        "WHERE c.valid_to BETWEEN :past AND :limit AND c.deleted_at IS NULL AND NOT EXISTS ("
        "  SELECT 1 FROM certifications n WHERE n.producer_id = c.producer_id "
        "  AND n.deleted_at IS NULL "
        "  AND n.scheme = c.scheme AND n.valid_to > c.valid_to) "
        "ORDER BY c.valid_to LIMIT :n",
        {"past": (today - timedelta(days=30)).isoformat(),
         "limit": (today + timedelta(days=EXPIRY_DAYS)).isoformat(), "n": MAX_ITEMS})
    items = []
    for pid, name, scheme, number, valid_to in rows:
        days = (date.fromisoformat(valid_to) - today).days
        when = _when(days, "expired {} ago", "expires today", "expires in {}")
        num = f" {number}" if number else ""
        items.append(Item(f"{name} — {scheme}{num} {when} ({valid_to})", "producer", pid,
                          urgent=days <= 30))
    return items


def follow_ups_due(db: AnyDatabase, today: date) -> list[Item]:
    rows = db.execute(
        "SELECT f.visit_id, f.what, f.who, f.due, p.name FROM follow_ups f "
        "JOIN visits v ON v.id = f.visit_id JOIN producers p ON p.id = v.producer_id "
        "WHERE f.done = 0 AND f.due IS NOT NULL AND f.due <= :soon AND f.deleted_at IS NULL "
        "ORDER BY f.due LIMIT :n",
        {"soon": (today + timedelta(days=FOLLOW_UP_SOON_DAYS)).isoformat(), "n": MAX_ITEMS})
    items = []
    for visit_id, what, who, due, name in rows:
        days = (date.fromisoformat(due) - today).days
        when = _when(days, "overdue by {}", "due today", "due in {}")
        by = f" ({who})" if who else ""
        items.append(Item(f"{what}{by} — {name}, {when}", "visit", visit_id, urgent=days < 0))
    return items


def commitments_at_risk(store: Store, today: date) -> list[Item]:
    """Commitments covering this harvest whose volume or price floor is not met yet."""
    from ..domain.money import fmt_usd_lb
    from ..domain.relationship import CommitmentState, evaluate_commitment

    h = current_harvest(today)
    rows = store.db.execute(
        "SELECT c.id, c.producer_id, p.name FROM commitments c "
        "JOIN producers p ON p.id = c.producer_id "
        "WHERE c.first_harvest <= :h AND c.last_harvest >= :h AND c.deleted_at IS NULL "
        "ORDER BY p.name LIMIT :n",
        {"h": h, "n": MAX_ITEMS})
    items = []
    for cid, pid, name in rows.fetchall():
        commitment = next(c for c in store.commitments(pid) if c.id == cid)
        lots = store.lots_where("producer_id = ? AND +harvest = ?", [pid, h])  # by producer
        this_year = replace(commitment, first_harvest=h, last_harvest=h)
        result = evaluate_commitment(this_year, lots, h)
        if result.state is CommitmentState.KEPT:
            continue
        gaps = []
        if result.volume_met is False and result.committed_kg is not None:
            gaps.append(f"{result.delivered_kg:,.0f} of {result.committed_kg:,.0f} kg bought")
        if result.price_met is False and result.average_fob_usd_lb is not None:
            gaps.append(f"FOB {fmt_usd_lb(result.average_fob_usd_lb)} below floor "
                        f"{fmt_usd_lb(commitment.price_floor_usd_lb)}")
        if result.price_met is None and commitment.price_floor_usd_lb is not None:
            gaps.append("no priced lot yet")
        owner = store.producer(pid)
        label = harvest_name(h, owner.country, owner.harvest_months)
        items.append(Item(f"{name} — {label}: {'; '.join(gaps) or 'not met yet'}",
                          "commitment", cid, urgent=result.volume_met is False))
    return items


def lots_missing_data(store: Store, today: date) -> tuple[list[Item], int]:
    """Lots of the last two harvests whose impact statement would have gaps."""
    h = current_harvest(today)
    where = ("l.status IS NOT 'cancelled' AND l.harvest >= :h AND m.answered < m.applicable")
    total = store.db.execute(
        f"SELECT count(*) FROM lots l JOIN lot_metrics m ON m.lot_id = l.id WHERE {where}",
        {"h": h - 1}).fetchone()[0]
    rows = store.db.execute(
        f"SELECT l.id, l.code, p.name, m.answered, m.applicable, m.missing FROM lots l "
        f"JOIN lot_metrics m ON m.lot_id = l.id JOIN producers p ON p.id = l.producer_id "
        f"WHERE {where} ORDER BY l.harvest DESC, m.answered, l.code LIMIT :n",
        {"h": h - 1, "n": MAX_ITEMS})
    items = []
    for lot_id, code, name, answered, applicable, missing in rows:
        first = (missing or "").split("; ")[0]
        items.append(Item(f"{code} ({name}) — {answered} of {applicable} answered; "
                          f"missing: {first}{' …' if ';' in (missing or '') else ''}",
                          "lot", lot_id, detail=missing or ""))
    return items, int(total)
