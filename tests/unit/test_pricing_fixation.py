"""A PTBF lot's price is only what is fixed: never the whole lot priced from a part of it, and
never a C that is not fixed yet taken for the C at fixation.

A 2,100 kg lot with one fixation of 700 kg at C 400.00 + 80 ¢/lb was priced 4.80 USD/lb over all
4,629.71 lb (FOB value USD 22,222.60, premium over C USD 3,703.77) while 1,400 kg had no price
yet. A PTBF lot with C 380.00 and no fixation had its premium over C (25.0 %) and Fairtrade
floor computed from that unfixed C.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

from roasterdesk.domain.model import ContractType, Fixation, Species
from roasterdesk.domain.money import fmt_kg
from roasterdesk.domain.pricing import (
    economics,
    fixed_c_cents,
    fob_usd_lb,
    not_fixed,
    recorded_c_cents,
)
from roasterdesk.domain.reference import FAIRTRADE_2023, CSeries
from roasterdesk.domain.relationship import evaluate_commitment
from roasterdesk.domain.transparency import Answer, checklist

MAY_2 = date(2025, 5, 2)


def _part_fixed(make_lot, **kw):
    """2,100 kg PTBF, differential +80, one fixation: 700 kg at C 400.00 on 2025-05-02."""
    args = dict(bags=None, weight_kg=D(2100), differential_cents_lb=D(80),
                fixations=(Fixation(MAY_2, D("400.00"), D(700)),))
    args.update(kw)
    return make_lot(**args)


def test_a_lot_fixed_in_part_has_no_fob_and_nothing_derived_from_it(make_lot):
    lot = _part_fixed(make_lot)
    e = economics(lot, fairtrade=FAIRTRADE_2023)
    assert fob_usd_lb(lot) is None and fixed_c_cents(lot) is None
    assert e.fob_usd_lb is None and e.c_usd_lb is None  # was 4.80 and 4.00 for all 2,100 kg
    assert e.premium_over_c_usd_lb is None and e.premium_over_c_pct is None
    assert e.farm_gate_share is None and e.intermediaries_usd_lb is None and e.split is None
    assert e.fob_value_usd is None and e.premium_over_c_value_usd is None  # was 22,222.60
    assert e.intermediaries_value_usd is None and e.fairtrade is None
    assert e.farm_gate_usd_lb is not None and e.farm_gate_value_usd is not None  # still true
    assert "FOB price (price of 1,400 kg not fixed yet)" in e.missing
    assert "C price at fixation (price of 1,400 kg not fixed yet)" in e.missing
    assert e.not_fixed is not None
    assert (e.not_fixed.fixed_kg, e.not_fixed.unfixed_kg) == (D(700), D(1400))
    assert e.not_fixed.fixed_c_cents_lb == D(400) and e.not_fixed.fixed_fob_usd_lb == D("4.80")
    assert e.not_fixed.why == "price of 1,400 kg not fixed yet"
    # a FOB recorded on it is not the lot's either: 1,400 kg have no price yet
    assert fob_usd_lb(replace(lot, fob_usd_lb=D("4.80"))) is None
    # the figures as written are still checked against each other (C + differential = FOB)
    assert recorded_c_cents(lot) == D(400)


def test_a_part_fixed_without_a_differential_has_no_price_of_its_own(make_lot):
    nf = not_fixed(_part_fixed(make_lot, differential_cents_lb=None, fob_usd_lb=D("4.80")))
    assert nf is not None and nf.fixed_c_cents_lb == D(400) and nf.fixed_fob_usd_lb is None
    assert fob_usd_lb(_part_fixed(make_lot, differential_cents_lb=None,
                                  fob_usd_lb=D("4.80"))) is None


def test_several_part_fixations_are_weighted_over_what_they_fix(make_lot):
    lot = _part_fixed(make_lot, fixations=(Fixation(MAY_2, D(400), D(700)),
                                           Fixation(date(2025, 6, 2), D(300), D(350))))
    nf = not_fixed(lot)
    assert nf.fixed_kg == D(1050) and nf.unfixed_kg == D(1050)
    assert nf.fixed_c_cents_lb == (D(400) * 700 + D(300) * 350) / 1050
    assert nf.why == "price of 1,050 kg not fixed yet"


def test_fixations_that_cover_the_lot_price_it_as_before(make_lot):
    whole = _part_fixed(make_lot, fixations=(Fixation(MAY_2, D(400), D(700)),
                                             Fixation(date(2025, 6, 2), D(300), D(1400))))
    assert not_fixed(whole) is None
    assert fixed_c_cents(whole) == (D(400) * 700 + D(300) * 1400) / 2100
    e = economics(whole)
    assert e.fob_usd_lb == fob_usd_lb(whole) and e.not_fixed is None
    assert e.fob_value_usd is not None and not any("fixed yet" in m for m in e.missing)
    # a fixation without a volume stands for the rest: the lot is fixed
    rest = _part_fixed(make_lot, fixations=(Fixation(MAY_2, D(400), D(700)),
                                            Fixation(date(2025, 6, 2), D(300))))
    assert not_fixed(rest) is None
    assert fixed_c_cents(rest) == (D(400) * 700 + D(300) * 1400) / 2100
    assert fob_usd_lb(rest) == (fixed_c_cents(rest) + 80) / 100


def test_volumes_beyond_the_lot_weight_or_without_a_weight_keep_todays_pricing(make_lot):
    over = _part_fixed(make_lot, fixations=(Fixation(MAY_2, D(400), D(2500)),))
    assert not_fixed(over) is None and fob_usd_lb(over) == D("4.80")
    unweighed = _part_fixed(make_lot, weight_kg=None)
    assert unweighed.weight is None and not_fixed(unweighed) is None
    assert fob_usd_lb(unweighed) == D("4.80")
    assert economics(unweighed).fob_value_usd is None  # no weight: no lot values anyway


def test_a_ptbf_lot_without_a_fixation_has_no_c_at_fixation(make_lot):
    """Contract PTBF, C 380.00, differential +95, FOB 4.75, no fixation: the FOB is what the
    records say was paid or agreed and stays; the C is not fixed, so nothing is compared with
    it (was: premium over C 0.95 = 25.0 %, Fairtrade floor 4.00 met by 0.75)."""
    lot = make_lot(fixations=(), c_cents_lb=D("380.00"), fob_usd_lb=D("4.75"))
    e = economics(lot, fairtrade=FAIRTRADE_2023,
                  c_series=CSeries({(2025, 3): D(390)}))  # nor the series at its contract date
    assert fixed_c_cents(lot) is None and recorded_c_cents(lot) == D(380)
    assert e.fob_usd_lb == D("4.75") and e.fob_value_usd is not None
    assert e.c_usd_lb is None and e.c_estimated is False
    assert e.premium_over_c_usd_lb is None and e.premium_over_c_pct is None
    assert e.premium_over_c_value_usd is None and e.fairtrade is None
    assert e.farm_gate_share is not None  # farm gate against the FOB needs no C
    assert e.missing == ("C price at fixation (C not fixed yet)",
                         "Fairtrade comparison (C not fixed yet)")
    assert e.not_fixed is not None and e.not_fixed.why == "C not fixed yet"
    assert (e.not_fixed.fixed_kg, e.not_fixed.unfixed_kg) == (D(0), D(1400))
    assert e.not_fixed.fixed_c_cents_lb is None and e.not_fixed.fixed_fob_usd_lb is None
    # below every floor it could have, the comparison holds whatever C will be
    low = economics(replace(lot, fob_usd_lb=D("1.90")), fairtrade=FAIRTRADE_2023)
    assert low.fairtrade is not None and low.fairtrade.at_least and not low.fairtrade.meets
    # a fixed-price contract's C is its C, as before
    fixed = economics(replace(lot, contract_type=ContractType.FIXED), fairtrade=FAIRTRADE_2023)
    assert fixed.c_usd_lb == D("3.8") and fixed.premium_over_c_usd_lb == D("0.95")
    assert fixed.not_fixed is None


def test_not_fixed_names_the_lots_market(make_lot):
    bare = make_lot(fixations=(), bags=None)
    assert not_fixed(bare).unfixed_kg is None  # no weight: how much is not said
    robusta = make_lot(fixations=(), species=Species.ROBUSTA)
    assert not_fixed(robusta).why == "London price not fixed yet"
    assert "market price at fixation (London price not fixed yet)" in economics(robusta).missing
    unknown = make_lot(fixations=(), species=None)
    assert not_fixed(unknown).why == "market price not fixed yet"
    assert not_fixed(make_lot(contract_type=ContractType.FIXED, fixations=())) is None
    assert not_fixed(make_lot()) is None  # the worked example: fixed for the whole lot


def test_the_checklist_and_commitments_take_no_fob_from_a_part(make_lot, producer):
    from roasterdesk.domain.model import Commitment

    lot = _part_fixed(make_lot)
    c = checklist(lot, producer, visits=[], certifications=[], commitments=[], projects=[])
    fob = next(i for i in c.items if i.key == "fob")
    assert fob.answer is Answer.NOT_ANSWERED
    assert fob.missing == "FOB price (price of 1,400 kg not fixed yet)"
    promise = Commitment(producer.id, 2025, 2025, volume_kg=D(2000),
                         price_floor_usd_lb=D("4.00"))
    result = evaluate_commitment(promise, [lot], current_harvest=2030)
    assert result.average_fob_usd_lb is None and result.price_met is None


def test_kg_are_printed_as_recorded():
    assert fmt_kg(D(1400)) == "1,400"
    assert fmt_kg(D("1399.50")) == "1,399.5"
    assert fmt_kg(D("299.3709642")) == "299.37"
    assert fmt_kg(D("0.004")) == "0"
