"""A producer's history by harvest: what was bought, at what price, of what quality.

Averages are weighted by each lot's green weight (a 20-bag lot counts more than a 2-bag one);
a lot without a weight or without the figure is left out of that figure only. Cancelled lots
are never counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .model import NOT_BOUGHT, Lot
from .pricing import LotEconomics


@dataclass(frozen=True)
class HarvestPoint:
    harvest: int
    lots: int
    volume_kg: Decimal  # lots with a known weight
    fob_usd_lb: Decimal | None
    c_usd_lb: Decimal | None
    farm_gate_usd_lb: Decimal | None
    quality_score: Decimal | None  # weighted mean SCA score


def _weighted(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    total = sum((w for w, _ in pairs), Decimal(0))
    if not pairs or total == 0:
        return None
    return sum((w * v for w, v in pairs), Decimal(0)) / total


def harvest_history(items: Iterable[tuple[Lot, LotEconomics]]) -> list[HarvestPoint]:
    """One point per harvest with at least one lot bought (not an offer, not cancelled),
    oldest first."""
    by_harvest: dict[int, list[tuple[Lot, LotEconomics]]] = {}
    for lot, eco in items:
        if lot.status not in NOT_BOUGHT:
            by_harvest.setdefault(lot.harvest, []).append((lot, eco))
    points = []
    for harvest in sorted(by_harvest):
        group = by_harvest[harvest]
        weighed = [(lot.weight, lot, eco) for lot, eco in group if lot.weight]

        def avg(attr: str, weighed: list = weighed) -> Decimal | None:  # type: ignore[type-arg]
            return _weighted([(w, getattr(e, attr)) for w, _, e in weighed
                              if getattr(e, attr) is not None])

        quality = _weighted([(w, lot.quality_score) for w, lot, _ in weighed
                             if lot.quality_score is not None])
        points.append(HarvestPoint(
            harvest=harvest,
            lots=len(group),
            volume_kg=sum((w for w, _, _ in weighed), Decimal(0)),
            fob_usd_lb=avg("fob_usd_lb"),
            c_usd_lb=avg("c_usd_lb"),
            farm_gate_usd_lb=avg("farm_gate_usd_lb"),
            quality_score=quality,
        ))
    return points
