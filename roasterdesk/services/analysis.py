"""Lot figures for every screen, export and statement: one home.

The lot table (through the ``lot_metrics`` cache, which the store fills with
:func:`roasterdesk.domain.analysis.analyse_lot`), the lot editor, the history charts, the
producer's lot tab, the Overview and the statement all read a lot's figures from here, so the
same lot shows the same number everywhere. The formulas are in :mod:`roasterdesk.domain.pricing`
(documented in ``docs/domain.md``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from ..domain.analysis import LotAnalysis, Reference, history_of, lot_economics
from ..domain.history import HarvestPoint
from ..domain.model import Lot
from ..domain.pricing import LotEconomics

if TYPE_CHECKING:
    from ..store import Store

log = logging.getLogger(__name__)

__all__ = ["LotAnalysis", "Reference", "analyse", "economics_of", "harvest_history",
           "lots_with_figures", "reference"]


def reference(store: Store) -> Reference:
    """The Fairtrade terms, living-income references and C price series in force."""
    return Reference(*store.reference())


def economics_of(store: Store, lot: Lot, country: str | None = None) -> LotEconomics:
    """A lot's figures — also of a lot being edited and not saved yet. ``country``: its
    producer's, when the caller knows it (else read)."""
    if country is None:
        country = store.producer(lot.producer_id).country
    return lot_economics(lot, country, reference(store))


def analyse(store: Store, lot: Lot, today: date | None = None) -> LotAnalysis:
    """Figures, checklist and relationship of a lot, as the statement shows them."""
    return store.analyse(lot, today=today)


def lots_with_figures(store: Store, producer_id: int) -> list[tuple[Lot, LotEconomics]]:
    """The producer's lots with their figures, newest harvest first, then by code."""
    country = store.producer(producer_id).country
    ref = reference(store)
    lots = sorted(store.lots(producer_id), key=lambda x: (-x.harvest, x.code))
    return [(lot, lot_economics(lot, country, ref)) for lot in lots]


def harvest_history(store: Store, producer_id: int) -> list[HarvestPoint]:
    """One point per harvest of the producer's lots (cancelled ones left out)."""
    country = store.producer(producer_id).country
    return history_of(store.lots(producer_id), country, reference(store))
