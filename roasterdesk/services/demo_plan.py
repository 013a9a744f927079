"""Planning a demo database: which producers, in which origins, with how many lots and visits.

The plan is cheap (no records yet) and comes entirely from the seed; the records of each family
(a producer with its cooperative members) are then generated from the family's own seed by
:mod:`roasterdesk.services.demo_records`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from . import demo_origins as O


@dataclass(frozen=True)
class Scale:
    producers: int
    lots: int
    visits: int
    members: tuple[int, int]  # members per cooperative


SCALES: dict[str, Scale] = {
    "small": Scale(30, 300, 200, (2, 4)),
    "roaster": Scale(360, 3_200, 2_200, (3, 10)),
    "large": Scale(10_000, 200_000, 100_000, (3, 14)),
}


@dataclass
class Planned:
    id: int
    kind: str
    origin: O.Origin
    region: O.Region
    place: str
    parent: Planned | None = None
    lots: dict[int, int] = field(default_factory=dict)  # harvest → number of lots
    visits: int = 0
    visit_weight: float = 1.0


@dataclass
class Family:
    seed: int
    producers: list[Planned]


LAST_PRICED = max(O.YEARS)
"""The last harvest with a demo C level; a later current harvest gets open contracts only."""


def plan(scale: Scale, rng: random.Random, current: int) -> list[Family]:
    """Producers and, per producer, lots per harvest and visits, to the scale's totals.

    ``current`` is today's harvest: when it is after :data:`LAST_PRICED`, producers still bought
    from get contracts for it too (price to be fixed, or offers).
    """
    families: list[Family] = []
    planned: list[Planned] = []
    weights = [o.weight for o in O.ORIGINS]
    n = 0
    while len(planned) < scale.producers:
        first_pass = n < len(O.ORIGINS)
        origin = O.ORIGINS[n] if first_pass else rng.choices(O.ORIGINS, weights)[0]
        kinds, kw = zip(*origin.kinds, strict=True)
        kind = rng.choices(kinds, kw)[0]
        if first_pass and n % 3 == 1:
            kind = "cooperative"  # every scale shows cooperatives with members
        region = rng.choice(origin.regions)
        root = Planned(len(planned) + 1, kind, origin, region, rng.choice(region.places))
        start = rng.choices(O.YEARS, [10, 8, 7, 6, 6, 5, 5, 4, 4, 3])[0]
        end = LAST_PRICED if rng.random() < 0.8 else rng.randint(start, LAST_PRICED)
        years = [y for y in range(start, end + 1) if y == start or rng.random() > 0.08]
        if end == LAST_PRICED and current > LAST_PRICED and rng.random() < 0.6:
            years.append(current)
        root.lots = {y: 1 for y in years}
        root.visit_weight = (len(years) + 1) * (2.0 if kind != "farm" else 1.0)
        if rng.random() < 0.06:
            root.visit_weight = 0.0  # bought through the exporter, never visited
        members = []
        if kind == "cooperative":
            member_kind = "washing_station" if origin.code in ("KE", "RW") else "farm"
            room = scale.producers - len(planned) - 1
            for _ in range(max(1, min(rng.randint(*scale.members), room))):
                m = Planned(len(planned) + 2 + len(members), member_kind, origin, region,
                             rng.choice(region.places), parent=root)
                if rng.random() < 0.55:
                    since = rng.choice(years)
                    own = [y for y in years if y >= since and rng.random() > 0.25]
                    m.lots = {y: 1 for y in own}
                m.visit_weight = 0.4 + len(m.lots) * 0.6
                members.append(m)
        family = [root, *members]
        planned.extend(family)
        families.append(Family(rng.getrandbits(64), family))
        n += 1

    slots = [(p, y) for p in planned for y in p.lots]
    if len(slots) > scale.lots:  # fewer lots than producer-years: drop some years
        rng.shuffle(slots)
        for p, y in slots[scale.lots:]:
            del p.lots[y]
        slots = slots[: scale.lots]
    size = {"cooperative": 4.0, "washing_station": 3.0, "estate": 2.5, "farm": 1.0}
    slot_w = [size[p.kind] * (0.5 if p.parent else 1.0) for p, _ in slots]
    for i in rng.choices(range(len(slots)), slot_w, k=scale.lots - len(slots)):
        p, y = slots[i]
        p.lots[y] += 1
    vw = [p.visit_weight for p in planned]
    for i in rng.choices(range(len(planned)), vw, k=scale.visits):
        planned[i].visits += 1
    return families


