"""The one home of a lot's figures (domain.analysis): the analysis of a lot, a producer's
harvest history, and the checklist of a statement that withholds the producer's name."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from roasterdesk.domain.analysis import Reference, analyse_lot, history_of
from roasterdesk.domain.model import Lot, Producer, ProducerKind
from roasterdesk.domain.reference import FAIRTRADE_2023, CSeries
from roasterdesk.domain.transparency import Answer, withheld_producer

REF = Reference(FAIRTRADE_2023, [], CSeries({(2025, 3): Decimal("380")}))
FARM = Producer("Finca Uno", ProducerKind.FARM, "CO", id=1)


def _lot(code: str, harvest: int, fob: str, kg: int) -> Lot:
    return Lot(code, 1, harvest, fob_usd_lb=Decimal(fob), weight_kg=Decimal(kg))


def test_history_has_one_point_per_harvest_weighted_by_volume():
    lots = [_lot("A", 2024, "4.00", 1000), _lot("B", 2024, "5.00", 3000),
            _lot("C", 2025, "6.00", 500)]
    points = history_of(lots, "CO", REF)
    assert [(p.harvest, p.lots, p.volume_kg, p.fob_usd_lb) for p in points] == [
        (2024, 2, Decimal(4000), Decimal("4.75")), (2025, 1, Decimal(500), Decimal("6.00"))]


def test_analysis_works_out_the_relationship_when_not_given():
    lot = _lot("A", 2025, "4.61", 1000)
    a = analyse_lot(lot, FARM, [lot], [], [], [], [], REF, today=date(2025, 6, 1))
    assert a.economics.fob_usd_lb == Decimal("4.61")
    assert a.relationship.first_harvest == 2025
    held = withheld_producer(a.checklist)
    item = next(i for i in held.items if i.key == "producer")
    assert item.answer is Answer.NOT_ANSWERED and "consent" in item.missing
    assert [i for i in held.items if i.key != "producer"] == [
        i for i in a.checklist.items if i.key != "producer"]
