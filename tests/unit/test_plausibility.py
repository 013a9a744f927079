from datetime import date
from decimal import Decimal

from roasterdesk.domain import plausibility as PL
from roasterdesk.domain.model import Species


def test_ranges_name_the_value_and_say_error_or_warning():
    assert PL.ALTITUDE_M.check(1800) is None
    assert PL.ALTITUDE_M.check(4287) == ("altitude 4287 m is outside 0–3000 m", True)
    assert PL.ALTITUDE_M.check(Decimal("16.8")) == ("altitude 16.8 m is not a whole number", True)
    assert PL.CUP_SCORE.check(Decimal(150))[1] is True
    assert PL.CUP_SCORE.check(Decimal(45)) == ("cup score 45 is unusual (usually 60–100)", False)
    assert PL.BAG_KG.check(Decimal(0.5))[1] is True
    assert PL.moisture(Decimal(0)) == ("moisture 0 % read as not recorded", False)
    assert PL.moisture(Decimal(11)) is None
    assert PL.moisture(Decimal(25))[1] is True
    assert PL.positive("bags", -3) == ("bags must be more than 0 (not -3)", True)
    assert PL.positive("bags", 3) is None


def test_a_c_price_outside_its_range_names_the_unit_it_looks_like():
    assert PL.c_price(Decimal("380.00")) is None
    assert PL.c_price(Decimal("2.0015")) == (
        "C price 2.0015 ¢/lb is outside 30–1000 ¢/lb: 2.0015 looks like USD/lb: 200.15 ¢/lb?",
        True)
    reason, error = PL.c_price(Decimal(4400))
    assert error and "4400 looks like a London robusta price in USD/t (199.58 ¢/lb" in reason
    assert PL.c_price(Decimal("0.1")) == ("C price 0.1 ¢/lb is outside 30–1000 ¢/lb", True)
    assert PL.c_price(Decimal(50000)) == ("C price 50000 ¢/lb is outside 30–1000 ¢/lb", True)


def test_c_plus_differential_against_the_fob():
    assert PL.price_sum(Decimal(380), Decimal(95), Decimal("4.75")) is None
    assert PL.price_sum(Decimal(380), Decimal(95), Decimal("4.7599")) is None  # < 1 ¢/lb
    assert PL.price_sum(Decimal("200.15"), Decimal(250), Decimal("7.60") * Decimal("0.45359237"),
                        "7.60 USD/kg") == ("C 200.15 + differential +250 = 450.15 ¢/lb but "
                                           "FOB 7.60 USD/kg is 344.73 ¢/lb")
    assert PL.price_sum(Decimal(380), Decimal(-10), Decimal("4.75")) == (
        "C 380 + differential -10 = 370 ¢/lb but FOB 4.7500 USD/lb is 475.00 ¢/lb")


def test_a_farm_gate_above_the_fob():
    assert PL.farm_gate_over_fob(Decimal("3.0901"), Decimal("4.75")) is None
    assert PL.farm_gate_over_fob(Decimal("4.72857"), Decimal("3.44730")) == (
        "farm gate 4.7286 USD/lb green is above the FOB 3.4473 USD/lb (137.2 % of FOB): check "
        "its unit, basis, outturn and exchange rate")


def test_bags_need_their_size():
    assert PL.bags_without_size(None, None) is None
    assert PL.bags_without_size(20, Decimal(70)) is None
    assert PL.bags_without_size(20, None) == ("a number of bags needs its bag size "
                                              "(e.g. 60, 69, 70 kg) or the lot's weight")
    assert PL.bags_without_size(30, None, Decimal(2000)) is None  # the weight gives the figures


def test_a_weight_beside_bags_that_do_not_make_it_is_named():
    assert PL.weight_beside_bags(Decimal("19600"), 274, Decimal(70)) == (
        "weight 19600 kg is not 274 bags × 70 kg = 19180 kg (a statement prints both; the "
        "weight gives every figure): correct the one that is wrong")
    assert PL.weight_beside_bags(Decimal("19180.0"), 274, Decimal(70)) is None
    # a net weight within 2 % (or half a bag) of the nominal one is not named
    assert PL.weight_beside_bags(Decimal("19200"), 274, Decimal(70)) is None
    assert PL.weight_beside_bags(Decimal("1400"), 20, Decimal(69)) is None  # 20 kg: < half a bag
    assert PL.weight_beside_bags(Decimal("1416"), 20, Decimal(69)) is not None
    assert PL.weight_beside_bags(Decimal("19200"), 274, None) is None
    assert PL.weight_beside_bags(None, 274, Decimal(70)) is None


def test_a_harvest_far_from_its_contract_date():
    assert PL.harvest_far_from_contract(2009, date(2024, 4, 3), "CI") == (
        "harvest 2008/09 ended 15 years before the contract date 2024-04-03: is it the right "
        "harvest?")
    assert PL.harvest_far_from_contract(2022, date(2024, 4, 3), "CO") is None  # 2 crop years
    assert PL.harvest_far_from_contract(2024, date(2024, 4, 3), "CO") is None
    # the origin's calendar: Colombia's 2024/25 starts in October 2024, Brazil's 2024 in May
    assert "2024/25 starts after the contract date" in PL.harvest_far_from_contract(
        2025, date(2024, 4, 3), "CO")
    assert "harvest 2024 starts after" in PL.harvest_far_from_contract(2024, date(2024, 2, 1),
                                                                       "BR")
    assert PL.harvest_far_from_contract(2025, date(2025, 1, 10), "CO") is None
    # no calendar known: only a harvest ending two years after the contract year
    assert PL.harvest_far_from_contract(2025, date(2024, 2, 1), "TZ") is None
    assert "starts after" in PL.harvest_far_from_contract(2026, date(2024, 2, 1), "TZ")


def test_a_robusta_lot_has_no_c_price():
    assert PL.c_price_market(Species.ARABICA) is None
    assert PL.c_price_market(None) is None
    assert PL.c_price_market(Species.ROBUSTA).startswith(
        "a robusta lot is compared with London (USD/t), never with ICE C (arabica)")


def test_an_fob_in_cents_read_as_dollars_is_asked_about():
    assert PL.fob_price(Decimal("4.10")) is None
    assert PL.fob_price(Decimal(0)) == ("a price must be more than 0 (not 0)", True)
    assert PL.fob_price(Decimal("410")) == (
        "FOB 410.00 USD/lb is unusual (an auction lot's, or a price in US cents per lb: "
        "4.1000 USD/lb?)", False)


def test_fixations_beyond_the_lot_weight_are_named():
    assert PL.fixations_over_weight(Decimal(900), Decimal(700)) == (
        "fixations total 900 kg, more than the lot's 700 kg")
    assert PL.fixations_over_weight(Decimal(700), Decimal(700)) is None
    assert PL.fixations_over_weight(Decimal(900), None) is None


def test_an_fob_in_dollars_read_as_cents_is_asked_about():
    assert PL.fob_price(Decimal("0.041")) == (
        "FOB 0.0410 USD/lb is unusual (a price in dollars read as cents: 4.10 USD/lb?)", False)
    assert PL.fob_price(Decimal("0.50")) is None


def test_an_outturn_that_cannot_be_one_says_why():
    from decimal import Decimal as D

    from roasterdesk.domain import plausibility as PL
    from roasterdesk.domain.units import Basis

    assert PL.outturn(D("1.25"), Basis.PARCHMENT) is None
    assert PL.outturn(D("5.5"), Basis.CHERRY) is None
    assert PL.outturn(D(1), Basis.GREEN) is None
    assert PL.outturn(D("1.2"), Basis.GREEN) == "a price of green coffee has an outturn of 1, " \
                                               "not 1.2"
    assert PL.outturn(D("0.8"), Basis.PARCHMENT).startswith(
        "kg of dry parchment per kg green is at least 1, not 0.8")
    assert "94/70 = 1.343: write 'FR 94'" in PL.outturn(D(94), Basis.PARCHMENT)
    assert PL.outturn(D(94), Basis.CHERRY) == ("94 kg per kg green is not an outturn (the usual "
                                               "for fresh cherry: 6)")


def test_a_weighted_c_is_shown_to_four_places():
    """An import's error printed "C 120.4538149470120694730644686" for a C weighted over two
    fixations."""
    from decimal import Decimal as D

    from roasterdesk.domain import plausibility as PL

    c = (D("118.10") * 700 + D("121.75") * 1000) / 1700
    said = PL.price_sum(c, D(80), D("4.10"))
    assert said.startswith("C 120.2471 + differential +80 = 200.2471 ¢/lb but FOB 4.1000 "
                           "USD/lb")
