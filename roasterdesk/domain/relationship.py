"""Relationship metrics: how long and how steadily a roaster has bought from a producer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .model import NOT_BOUGHT, Commitment, Lot, Visit
from .pricing import fob_usd_lb


def _runs(years: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted distinct years as (first, last)."""
    runs: list[tuple[int, int]] = []
    for y in years:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


class CommitmentState(StrEnum):
    KEPT = "kept"
    NOT_KEPT = "not kept"
    IN_PROGRESS = "in progress"


@dataclass(frozen=True)
class CommitmentResult:
    commitment: Commitment
    state: CommitmentState
    delivered_kg: Decimal  # over all covered harvests so far
    committed_kg: Decimal | None  # over all covered harvests
    average_fob_usd_lb: Decimal | None  # volume-weighted over covered lots with a FOB
    volume_met: bool | None
    price_met: bool | None


def evaluate_commitment(c: Commitment, lots: list[Lot], current_harvest: int) -> CommitmentResult:
    """Kept = delivered ≥ committed volume **and** price ≥ floor (docs/domain.md).

    Choices: the volume is per harvest, so the total owed is volume × harvests covered; the price
    test uses the volume-weighted average FOB of the covered lots (every lot with a FOB and a
    weight); a commitment whose last harvest is not yet over (≥ ``current_harvest``) and is not yet
    met is *in progress*, not broken. Offers and cancelled lots do not count. A price floor
    that no covered lot with a FOB can test is not shown as kept, even when the volume is met.
    """
    covered = [
        lot for lot in lots
        if lot.producer_id == c.producer_id
        and lot.harvest in c.harvests
        and lot.status not in NOT_BOUGHT
    ]
    delivered = sum((lot.weight or Decimal(0) for lot in covered), Decimal(0))
    committed = c.volume_kg * len(c.harvests) if c.volume_kg is not None else None
    priced = [(lot.weight, fob_usd_lb(lot)) for lot in covered]
    priced_known = [(w, f) for w, f in priced if w is not None and f is not None]
    avg = None
    if priced_known:
        total_w = sum((w for w, _ in priced_known), Decimal(0))
        avg = sum((w * f for w, f in priced_known), Decimal(0)) / total_w
    volume_met = delivered >= committed if committed is not None else None
    price_met = None
    if c.price_floor_usd_lb is not None:
        price_met = avg >= c.price_floor_usd_lb if avg is not None else None
    # every promised part must be shown met: a floor no covered lot's FOB can test is not kept
    required = [volume_met] if committed is not None else []
    if c.price_floor_usd_lb is not None:
        required.append(price_met)
    if required and all(t is True for t in required):
        state = CommitmentState.KEPT
    elif c.last_harvest >= current_harvest:
        state = CommitmentState.IN_PROGRESS
    else:
        state = CommitmentState.NOT_KEPT
    return CommitmentResult(c, state, delivered, committed, avg, volume_met, price_met)


@dataclass(frozen=True)
class Relationship:
    first_harvest: int | None
    last_harvest: int | None
    harvests_bought: int
    longest_run: int
    current_run: int
    in_person_visits: int
    remote_contacts: int
    last_in_person_visit: date | None
    commitments: tuple[CommitmentResult, ...]

    @property
    def commitments_kept(self) -> int:
        return sum(1 for r in self.commitments if r.state is CommitmentState.KEPT)

    @property
    def commitments_closed(self) -> int:
        return sum(1 for r in self.commitments if r.state is not CommitmentState.IN_PROGRESS)

    def years_together(self, current_harvest: int) -> int:
        """Harvests since the first purchase, counting both ends (0 if none)."""
        if self.first_harvest is None:
            return 0
        return current_harvest - self.first_harvest + 1


def relationship(
    lots: list[Lot],
    visits: list[Visit],
    commitments: list[Commitment],
    current_harvest: int,
) -> Relationship:
    """Metrics over one producer's records.

    Choice: the *current run* is the run of consecutive harvests that ends at ``current_harvest``
    or the harvest before it (the current harvest may not be bought yet); otherwise 0.
    """
    years = sorted({lot.harvest for lot in lots if lot.status not in NOT_BOUGHT})
    runs = _runs(years)
    longest = max((b - a + 1 for a, b in runs), default=0)
    current = 0
    if runs and runs[-1][1] >= current_harvest - 1:
        current = runs[-1][1] - runs[-1][0] + 1
    in_person = [v for v in visits if not v.mode.remote]
    return Relationship(
        first_harvest=years[0] if years else None,
        last_harvest=years[-1] if years else None,
        harvests_bought=len(years),
        longest_run=longest,
        current_run=current,
        in_person_visits=len(in_person),
        remote_contacts=len(visits) - len(in_person),
        last_in_person_visit=max((v.date for v in in_person), default=None),
        commitments=tuple(evaluate_commitment(c, lots, current_harvest) for c in commitments),
    )
