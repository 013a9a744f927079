"""The one home of a lot's figures (domain.analysis): the analysis of a lot, a producer's
harvest history, and the checklist of a statement that withholds the producer's name."""

from __future__ import annotations

from dataclasses import replace
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


def test_figures_to_check_say_which_fob_prices_a_lot_fixed_otherwise():
    """A PTBF lot fixed at C 380.00 + 95 ¢/lb is priced 4.75 USD/lb; a FOB of 4.10 typed beside
    it was dropped without a word (the window checked only the C typed on the lot)."""
    from roasterdesk.domain.analysis import figures_to_check
    from roasterdesk.domain.model import ContractType, Fixation
    from roasterdesk.domain.pricing import fob_usd_lb

    lot = Lot("P", 1, 2025, weight_kg=Decimal(1400), contract_type=ContractType.PTBF,
              differential_cents_lb=Decimal(95), fob_usd_lb=Decimal("4.10"),
              fixations=(Fixation(date(2025, 3, 14), Decimal("380.00"), None),))
    assert fob_usd_lb(lot) == Decimal("4.75")
    (said,) = figures_to_check(lot, None, fob_usd_lb(lot))
    assert said.startswith("C 380 + differential +95 = 475 ¢/lb but FOB 4.1000 USD/lb")
    assert said.endswith("one of the three is wrong; the lot is priced from its fixations at "
                         "4.7500 USD/lb")
    agreed = replace(lot, fob_usd_lb=Decimal("4.75"))
    assert figures_to_check(agreed, None, Decimal("4.75")) == []
    # a fixed-price lot: the FOB typed is its price, the three side by side disagree
    fixed = Lot("F", 1, 2025, weight_kg=Decimal(1400), c_cents_lb=Decimal("380"),
                differential_cents_lb=Decimal(95), fob_usd_lb=Decimal("4.10"))
    (said,) = figures_to_check(fixed, None, Decimal("4.10"))
    assert said.endswith("one of the three is wrong")
    # a C in dollars, a farm gate above the FOB
    odd = Lot("O", 1, 2025, weight_kg=Decimal(1400), c_cents_lb=Decimal("3.80"),
              fob_usd_lb=Decimal("4.10"))
    said = figures_to_check(odd, Decimal("5.00"), Decimal("4.10"))
    assert len(said) == 2 and "farm gate 5.0000 USD/lb green is above the FOB" in said[1]
