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
from typing import NamedTuple

from .harvest import current_harvest
from .history import HarvestPoint, harvest_history
from .model import Certification, Commitment, Lot, Producer, Project, Visit
from .pricing import LotEconomics, economics
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
