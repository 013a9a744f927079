"""A lot's figures and checks from its records and the reference data: the one place that calls
:func:`roasterdesk.domain.pricing.economics`.

Every screen, export and statement reads a lot's figures through here — the app through
:mod:`roasterdesk.services.analysis`, the store when it fills the ``lot_metrics`` cache that
sorts the lot table — so a number has one source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from . import plausibility as PL
from .harvest import current_harvest
from .history import HarvestPoint, harvest_history
from .model import Certification, Commitment, Lot, Producer, Project, Visit
from .money import round_per_lb
from .pricing import LotEconomics, economics, recorded_c_cents
from .reference import CSeries, FairtradeTerms, LivingIncomeReference, LondonSeries
from .relationship import Relationship, relationship
from .transparency import Checklist, VisitEvidence, checklist


class Reference(NamedTuple):
    """The reference data every lot's figures depend on (editable in the app)."""

    fairtrade: FairtradeTerms | None
    living_income: list[LivingIncomeReference]
    c_series: CSeries
    london_series: LondonSeries = LondonSeries({})


@dataclass(frozen=True)
class LotAnalysis:
    """Everything the app and the impact statement need to say about one lot."""

    lot: Lot
    producer: Producer
    economics: LotEconomics
    checklist: Checklist
    relationship: Relationship


def lot_economics(lot: Lot, country: str, ref: Reference) -> LotEconomics:
    """The lot's prices, premiums and shares (``country``: its producer's)."""
    return economics(lot, fairtrade=ref.fairtrade, living_income=ref.living_income,
                     country=country, c_series=ref.c_series, london_series=ref.london_series)


def history_of(lots: Iterable[Lot], country: str, ref: Reference) -> list[HarvestPoint]:
    """One point per harvest of a producer's lots (cancelled lots left out)."""
    return harvest_history((lot, lot_economics(lot, country, ref)) for lot in lots)


def analyse_lot(
    lot: Lot,
    producer: Producer,
    lots: list[Lot],
    visits: list[Visit],
    commitments: list[Commitment],
    certs: list[Certification],
    projects: list[Project],
    ref: Reference,
    today: date | None = None,
    rel: Relationship | None = None,
    evidence: VisitEvidence | None = None,
) -> LotAnalysis:
    """``lots`` … ``projects``: the producer's records; ``rel`` and ``evidence``: its
    relationship and what its visits show, when the caller already has them (bulk work)."""
    if rel is None:
        rel = relationship(lots, visits, commitments, current_harvest(today))
    eco = lot_economics(lot, producer.country, ref)
    check = checklist(lot, producer, visits=visits, certifications=certs,
                      commitments=commitments, projects=projects,
                      first_harvest=rel.first_harvest, evidence=evidence)
    return LotAnalysis(lot, producer, eco, check, rel)


def figures_to_check(lot: Lot, farm_gate_usd_lb: Decimal | None,
                     fob: Decimal | None) -> list[str]:
    """What the plausibility rules say of a lot's recorded figures, which a statement would
    print side by side (the rules an import and the lot window apply; a lot stored before them
    may break one): a C price in the wrong unit, C + differential that is not the FOB recorded
    (on a PTBF lot, its fixations' C: the FOB it is priced at, ``fob``, is then theirs, not the
    one typed), a farm gate above the FOB. ``farm_gate_usd_lb`` and ``fob``: the lot's
    figures (:class:`LotEconomics`)."""
    out = [bad[0] for c in (lot.c_cents_lb, *(f.c_cents_lb for f in lot.fixations))
           if c is not None and (bad := PL.c_price(c))]
    c, diff = recorded_c_cents(lot), lot.differential_cents_lb
    if c is not None and diff is not None and lot.fob_usd_lb is not None and (
            bad_sum := PL.price_sum(c, diff, lot.fob_usd_lb)):
        priced = (f"; the lot is priced from its fixations at {round_per_lb(fob)} USD/lb"
                  if lot.fixations and fob is not None and fob != lot.fob_usd_lb else "")
        out.append(f"{bad_sum}: one of the three is wrong{priced}")
    if farm_gate_usd_lb is not None and fob and (
            over := PL.farm_gate_over_fob(farm_gate_usd_lb, fob)):
        out.append(over)
    return out
