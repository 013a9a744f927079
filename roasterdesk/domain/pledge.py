"""The Transparency Pledge's five data points per lot, and the share of volume reported.

A lot is *reported* when all five points are answered (the checklist's pledge items):
producer or organisation, FOB price paid, quality, lot size, length of the relationship.
The share reported is by weight: kg of reported lots ÷ kg of all lots. A lot without a weight
cannot be weighed into either figure; it is counted separately (``lots_without_weight``) so the
share is never flattered silently.

Naming people: the producer column names the farm, cooperative or station; an owner is named
beside it only with consent to be named on the lot's reference date (docs/domain.md: consent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import ConsentScope, Person, Producer, Role
from .transparency import Checklist


@dataclass(frozen=True)
class PledgeRow:
    lot_code: str
    harvest: int
    producer: str  # as it may be published
    country: str
    fob_usd_lb: Decimal | None
    quality: Decimal | None
    weight_kg: Decimal | None
    first_harvest: int | None
    reported: bool
    missing: tuple[str, ...]

    @property
    def relationship_harvests(self) -> int | None:
        """Harvests from the first purchase to this lot's, counting both ends."""
        if self.first_harvest is None:
            return None
        return self.harvest - self.first_harvest + 1


def public_producer_name(producer: Producer, people: list[Person], on: date,
                         organisation: Producer | None = None) -> str:
    """ "Finca El Mirador (José Ramírez), member of Cooperativa X" — people only with consent."""
    named = [p.name for p in people
             if p.role is Role.OWNER and p.may_appear(ConsentScope.NAME, on)]
    label = producer.name + (f" ({', '.join(named)})" if named else "")
    if organisation is not None:
        label += f", member of {organisation.name}"
    return label


def pledge_row(lot_code: str, harvest: int, producer_label: str, country: str,
               fob_usd_lb: Decimal | None, quality: Decimal | None, weight_kg: Decimal | None,
               first_harvest: int | None, checklist: Checklist) -> PledgeRow:
    items = [i for i in checklist.items if i.pledge]
    missing = tuple(i.question for i in items if i.answer.value != "answered")
    return PledgeRow(lot_code, harvest, producer_label, country, fob_usd_lb, quality, weight_kg,
                     first_harvest, not missing, missing)


@dataclass(frozen=True)
class PledgeSummary:
    lots: int
    reported_lots: int
    total_kg: Decimal
    reported_kg: Decimal
    lots_without_weight: int

    @property
    def share_reported(self) -> Decimal | None:
        """Reported kg ÷ total kg; ``None`` when no lot has a weight."""
        if self.total_kg == 0:
            return None
        return self.reported_kg / self.total_kg


def summarise(rows: list[PledgeRow]) -> PledgeSummary:
    weighed = [(r, r.weight_kg) for r in rows if r.weight_kg is not None]
    return PledgeSummary(
        lots=len(rows),
        reported_lots=sum(1 for r in rows if r.reported),
        total_kg=sum((kg for _, kg in weighed), Decimal(0)),
        reported_kg=sum((kg for r, kg in weighed if r.reported), Decimal(0)),
        lots_without_weight=len(rows) - len(weighed),
    )
