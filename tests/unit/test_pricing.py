"""The price chain, hand-worked from docs/domain.md's worked example and its FNC check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roasterdesk.domain.model import (
    ContractType,
    CostLeg,
    Fixation,
    Lot,
    Party,
    Premium,
    PremiumBasis,
    PremiumType,
    Process,
    Species,
)
from roasterdesk.domain.money import (
    fmt_pct,
    fmt_usd,
    fmt_usd_lb,
    round_pct,
    round_per_lb,
    round_usd,
)
from roasterdesk.domain.pricing import (
    compare_fairtrade,
    economics,
    farm_gate_local_per_kg_green,
    farm_gate_usd_lb_green,
    fixed_c_cents,
    fob_usd_lb,
    living_income_usd_lb_green,
    not_fixed,
    pick_living_income,
    premium_value_usd,
    recorded_c_cents,
    usd_kg_to_usd_lb,
    usd_lb_to_usd_kg,
    weight_lb,
)
from roasterdesk.domain.reference import (
    FAIRTRADE_2023,
    LIVING_INCOME_DEFAULTS,
    CSeries,
    LivingIncomeReference,
    LondonSeries,
)
from roasterdesk.domain.units import Basis, factor_from_rendimiento

D = Decimal


def test_worked_example_every_figure(lot):
    e = economics(lot, fairtrade=FAIRTRADE_2023)
    assert e.weight_kg == 1400
    assert round_usd(e.weight_lb) == D("3086.47")
    assert e.c_usd_lb == D("3.80")
    assert e.c_estimated is False
    assert e.fob_usd_lb == D("4.75")
    assert e.premium_over_c_usd_lb == D("0.95")
    assert round_pct(e.premium_over_c_pct) == D("25.0")
    assert round_per_lb(e.farm_gate_usd_lb) == D("3.0901")
    assert round_pct(e.farm_gate_share) == D("65.1")
    assert round_usd(e.fob_value_usd) == D("14660.74")
    assert round_usd(e.premium_over_c_value_usd) == D("2932.15")
    assert round_usd(e.farm_gate_value_usd) == D("9537.56")
    assert round_usd(e.intermediaries_value_usd) == D("5123.18")
    assert e.intermediaries_usd_lb == e.fob_usd_lb - e.farm_gate_usd_lb
    assert e.fairtrade.floor_usd_lb == D("4.00")
    assert e.fairtrade.minimum_usd_lb == D("1.80")
    assert e.fairtrade.meets is True
    assert e.fairtrade.difference_usd_lb == D("0.75")
    assert e.missing == ()


def test_worked_example_as_displayed(lot):
    e = economics(lot)
    assert fmt_usd(e.fob_value_usd) == "USD 14,660.74"
    assert fmt_usd_lb(e.farm_gate_usd_lb) == "3.0901 USD/lb"
    assert fmt_pct(e.farm_gate_share) == "65.1 %"
    assert fmt_pct(e.premium_over_c_pct) == "25.0 %"
    assert fmt_usd(None) == fmt_usd_lb(None) == fmt_pct(None) == "not recorded"
    assert fmt_pct(None, missing="—") == "—"


def test_display_rounding_is_half_up():
    assert round_usd(D("0.125")) == D("0.13")
    assert round_usd(D("2.675")) == D("2.68")
    assert round_usd(D("-0.125")) == D("-0.13")
    assert round_per_lb(D("1.23455")) == D("1.2346")
    assert round_pct(D("0.6505")) == D("65.1")
    assert round_pct(D("0.00049")) == D("0.0")
    assert round_pct(D("0.00050")) == D("0.1")


def test_farm_gate_chain_local_and_usd(make_farm_gate):
    fg = make_farm_gate()
    assert round_usd(farm_gate_local_per_kg_green(fg)) == D("27931.43")
    assert round_per_lb(usd_kg_to_usd_lb(farm_gate_local_per_kg_green(fg) / 4100)) == D("3.0901")
    assert round_per_lb(farm_gate_usd_lb_green(fg)) == D("3.0901")
    # without a lot outturn the docs/domain.md default for parchment (1.25) applies
    default = make_farm_gate(kg_per_kg_green=None)
    assert farm_gate_usd_lb_green(default) == D(2_600_000) / 125 * D("1.25") / 4100 * D(
        "0.45359237")


def test_fnc_second_check_is_1_576_usd_lb_green(make_farm_gate):
    fg = make_farm_gate(amount=D(1_185_000), fx_local_per_usd=D("3664.50"),
                        kg_per_kg_green=factor_from_rendimiento(94))
    assert f"{farm_gate_usd_lb_green(fg):.3f}" == "1.576"


def test_usd_per_kg_and_per_lb_are_inverse():
    assert usd_lb_to_usd_kg(D("0.45359237")) == 1
    assert usd_kg_to_usd_lb(D(1)) == D("0.45359237")
    assert weight_lb(D("0.45359237")) == 1


# -- PTBF and fixed contracts --------------------------------------------------------------------

def test_ptbf_with_partial_fixations_is_volume_weighted(make_lot):
    lot = make_lot(fixations=(
        Fixation(date(2025, 1, 10), D(300), D(700)),
        Fixation(date(2025, 2, 10), D(400), D(350)),
        Fixation(date(2025, 3, 10), D(500), D(350)),
    ))
    # C = (300×700 + 400×350 + 500×350) / 1400 = 375; FOB = (375 + 95)/100
    assert fixed_c_cents(lot) == 375
    assert fob_usd_lb(lot) == D("4.70")
    e = economics(lot)
    assert e.c_usd_lb == D("3.75")
    assert e.premium_over_c_usd_lb == D("0.95")


def test_a_fixation_without_volume_takes_the_unfixed_rest(make_lot):
    lot = make_lot(fixations=(
        Fixation(date(2025, 1, 10), D(300), D(400)),
        Fixation(date(2025, 2, 10), D(400)),  # the remaining 1,000 kg
    ))
    assert fixed_c_cents(lot) == (D(300) * 400 + D(400) * 1000) / 1400


def test_fixations_with_volumes_are_weighted_by_them_even_without_lot_weight(make_lot):
    lot = make_lot(bags=None, fixations=(
        Fixation(date(2025, 1, 10), D(300), D(100)),
        Fixation(date(2025, 2, 10), D(400), D(900)),
    ))
    assert lot.weight is None
    assert fixed_c_cents(lot) == 390


def test_fixations_recorded_beyond_the_lot_weight_never_leave_their_range(make_lot):
    # 1,500 kg fixed on a 1,400 kg lot: the fixation without volume has no rest to cover
    lot = make_lot(fixations=(
        Fixation(date(2025, 1, 10), D(300), D(1500)),
        Fixation(date(2025, 2, 10), D(400)),
    ))
    assert fixed_c_cents(lot) == 300


def test_fixations_without_volumes_or_lot_weight_count_equally(make_lot):
    lot = make_lot(bags=None, fixations=(
        Fixation(date(2025, 1, 10), D(300)),
        Fixation(date(2025, 2, 10), D(400), D(900)),
    ))
    assert lot.weight is None
    assert fixed_c_cents(lot) == 350
    e = economics(lot)
    assert e.fob_value_usd is None
    assert "lot weight" in e.missing


def test_ptbf_not_yet_fixed_has_no_fob(make_lot):
    lot = make_lot(fixations=())
    assert fob_usd_lb(lot) is None
    e = economics(lot)
    assert e.fob_usd_lb is None and e.c_usd_lb is None
    assert e.premium_over_c_usd_lb is None and e.farm_gate_share is None
    assert e.split is None and e.fairtrade is None
    assert e.missing == ("C price at fixation (C not fixed yet)", "FOB price (C not fixed yet)")


def test_ptbf_without_differential_falls_back_to_the_recorded_fob(make_lot):
    lot = make_lot(differential_cents_lb=None, fob_usd_lb=D("4.60"))
    assert fob_usd_lb(lot) == D("4.60")


def test_negative_differential(make_lot):
    lot = make_lot(differential_cents_lb=D(-10))
    assert fob_usd_lb(lot) == D("3.70")
    e = economics(lot)
    assert e.premium_over_c_usd_lb == D("-0.10")
    assert e.premium_over_c_value_usd < 0


def test_fixed_price_with_recorded_c(make_lot):
    lot = make_lot(contract_type=ContractType.FIXED, fixations=(), differential_cents_lb=None,
                   fob_usd_lb=D("4.75"), c_cents_lb=D(380))
    e = economics(lot)
    assert e.fob_usd_lb == D("4.75") and e.c_usd_lb == D("3.8")
    assert e.c_estimated is False


def test_fixed_price_without_c_uses_the_reference_series_and_says_estimated(make_lot):
    lot = make_lot(contract_type=ContractType.FIXED, fixations=(), differential_cents_lb=None,
                   fob_usd_lb=D("4.75"), contract_date=date(2025, 3, 14))
    series = CSeries({(2025, 1): D(350), (2025, 3): D(400)})
    e = economics(lot, c_series=series)
    assert e.c_usd_lb == D(4)
    assert e.c_estimated is True
    assert e.premium_over_c_usd_lb == D("0.75")
    # a date the series does not cover: no C, nothing estimated
    old = economics(make_lot(contract_type=ContractType.FIXED, fixations=(),
                             fob_usd_lb=D("4.75"), contract_date=date(2020, 5, 1)),
                    c_series=series)
    assert old.c_usd_lb is None and old.c_estimated is False
    assert "C price at fixation" in old.missing


def test_c_series_takes_the_latest_earlier_month_within_a_year():
    s = CSeries({(2024, 11): D(250)})
    assert s.at(date(2024, 11, 30)) == 250
    assert s.at(date(2025, 2, 1)) == 250  # three months later, across the year end
    assert s.at(date(2025, 10, 31)) == 250  # eleven months later
    assert s.at(date(2025, 11, 1)) is None  # a full year later
    assert s.at(date(2024, 10, 31)) is None  # before the first month


# -- Fairtrade -----------------------------------------------------------------------------------

def test_fairtrade_floor_when_c_is_below_the_minimum(make_lot):
    lot = make_lot(fixations=(Fixation(date(2019, 5, 2), D(105)),), differential_cents_lb=D(60))
    ft = compare_fairtrade(FAIRTRADE_2023, lot, fob_usd_lb(lot), D("1.05"))
    assert ft.floor_usd_lb == D("2.00")  # max(1.80, 1.05) + 0.20
    assert ft.meets is False
    assert ft.difference_usd_lb == D("-0.35")


def test_fairtrade_floor_when_c_is_above_the_minimum(lot):
    ft = compare_fairtrade(FAIRTRADE_2023, lot, D("4.00"), D("3.80"))
    assert ft.floor_usd_lb == D("4.00")
    assert ft.meets is True and ft.difference_usd_lb == 0


def test_fairtrade_organic_differential_is_added(make_lot):
    lot = make_lot(organic=True)
    ft = compare_fairtrade(FAIRTRADE_2023, lot, D("4.75"), D("3.80"))
    assert ft.floor_usd_lb == D("4.40")
    assert ft.difference_usd_lb == D("0.35")
    low = compare_fairtrade(FAIRTRADE_2023, lot, D("2.50"), D("1.00"))
    assert low.floor_usd_lb == D("2.40")  # 1.80 + 0.20 + 0.40


def test_fairtrade_without_c_is_at_least_the_safety_net(lot):
    below = compare_fairtrade(FAIRTRADE_2023, lot, D("1.99"), None)
    assert below.floor_usd_lb == D("2.00") and below.at_least and not below.meets
    assert compare_fairtrade(FAIRTRADE_2023, lot, D(2), None) is None  # C may be above 1.80


@pytest.mark.parametrize("species, process, minimum", [
    (Species.ARABICA, Process.WASHED, "1.80"),
    (Species.ARABICA, Process.NATURAL, "1.75"),
    (Species.ARABICA, Process.HONEY, "1.80"),
    (Species.ARABICA, Process.WET_HULLED, "1.80"),
    (Species.ROBUSTA, Process.WASHED, "1.25"),
    (Species.ROBUSTA, Process.NATURAL, "1.20"),
])
def test_fairtrade_minimum_natural_vs_washed(make_lot, species, process, minimum):
    lot = make_lot(species=species, process=process)
    ft = compare_fairtrade(FAIRTRADE_2023, lot, D("1.50"), D("1.00"))
    assert ft.minimum_usd_lb == D(minimum)
    assert ft.floor_usd_lb == D(minimum) + D("0.20")
    assert FAIRTRADE_2023.productivity_earmark_usd_lb == D("0.05")


# -- living income -------------------------------------------------------------------------------

def test_living_income_colombia_default_factor_is_about_1_56():
    ref = next(r for r in LIVING_INCOME_DEFAULTS if r.country == "CO" and not r.organic)
    # 2.75 USD/kg parchment ÷ 0.8 ÷ 2.2046 ≈ 1.56 USD/lb green (docs/domain.md)
    assert round(living_income_usd_lb_green(ref), 2) == D("1.56")


def test_living_income_uses_the_lots_outturn_for_the_same_basis(lot):
    e = economics(lot, living_income=LIVING_INCOME_DEFAULTS, country="CO")
    assert e.living_income.year == 2021 and e.living_income.organic is False
    expected = D("2.75") * factor_from_rendimiento(94) * D("0.45359237")
    assert e.living_income_usd_lb == expected
    assert e.farm_gate_vs_living_income == e.farm_gate_usd_lb / expected
    assert round(e.farm_gate_vs_living_income, 2) == D("1.84")


def test_living_income_in_local_currency_uses_the_lots_exchange_rate(make_lot, make_farm_gate):
    ref = LivingIncomeReference("UG", 2022, D(11640), "UGX", D(1), Basis.PARCHMENT, "LIRP")
    fg = make_farm_gate(amount=D(9000), currency="UGX", unit_name="kg", unit_kg=D(1),
                        fx_local_per_usd=D(3700), kg_per_kg_green=None)
    lot = make_lot(harvest=2023, farm_gate=fg)
    e = economics(lot, living_income=[ref], country="UG")
    assert e.living_income_usd_lb == D(11640) * D("1.25") / 3700 * D("0.45359237")
    assert e.farm_gate_vs_living_income == D(9000) / D(11640)


def test_no_living_income_comparison_without_a_figure(make_lot, make_farm_gate):
    ugx = LivingIncomeReference("UG", 2022, D(11640), "UGX", D(1), Basis.PARCHMENT, "LIRP")
    # local-currency reference, but the lot's farm gate is in another currency: no comparison
    assert living_income_usd_lb_green(ugx, make_farm_gate()) is None
    assert living_income_usd_lb_green(ugx, None) is None
    # no reference for the country
    e = economics(make_lot(), living_income=LIVING_INCOME_DEFAULTS, country="ET")
    assert e.living_income is None and e.farm_gate_vs_living_income is None
    # no country given
    assert economics(make_lot(), living_income=LIVING_INCOME_DEFAULTS).living_income is None
    # a reference but no farm-gate price: the reference is shown, no ratio
    e = economics(make_lot(farm_gate=None), living_income=LIVING_INCOME_DEFAULTS, country="CO")
    assert e.living_income_usd_lb is not None and e.farm_gate_vs_living_income is None
    assert "farm-gate price" in e.missing


def test_pick_living_income_by_year_species_and_organic(make_lot):
    refs = [
        LivingIncomeReference("CO", 2018, D(2), "USD", D(1), Basis.PARCHMENT, "a"),
        LivingIncomeReference("CO", 2021, D(3), "USD", D(1), Basis.PARCHMENT, "b"),
        LivingIncomeReference("CO", 2024, D(4), "USD", D(1), Basis.PARCHMENT, "c"),
        LivingIncomeReference("CO", 2021, D(5), "USD", D(1), Basis.PARCHMENT, "d", organic=True),
        LivingIncomeReference("CO", 2021, D(6), "USD", D(1), Basis.GREEN, "e",
                              species=Species.ROBUSTA),
    ]
    assert pick_living_income(refs, "CO", make_lot(harvest=2023)).source == "b"
    assert pick_living_income(refs, "CO", make_lot(harvest=2025)).source == "c"
    assert pick_living_income(refs, "CO", make_lot(harvest=2015)).source == "a"
    assert pick_living_income(refs, "CO", make_lot(organic=True)).source == "d"
    assert pick_living_income(refs, "CO", make_lot(species=Species.ROBUSTA)).source == "e"
    assert pick_living_income(refs, "PE", make_lot()) is None


# -- premiums and the money split ----------------------------------------------------------------

def prem(basis, amount, included=True, **kw):
    return Premium(PremiumType.QUALITY, basis, D(amount), included_in_fob=included, **kw)


def test_premiums_by_basis(lot):
    fob = D("4.75")
    lbs = D(1400) / D("0.45359237")
    cases = [
        (prem(PremiumBasis.PER_KG, "0.50"), D(700)),
        (prem(PremiumBasis.PER_LOT, "1000"), D(1000)),
        (prem(PremiumBasis.PER_FARMER, "50", farmers=12), D(600)),
        (prem(PremiumBasis.PCT_OF_PRICE, "10"), fob * lbs / 10),
    ]
    for p, value in cases:
        assert premium_value_usd(replace(lot, premiums=(p,)), fob) == (value, 0)
        on_top = replace(p, included_in_fob=False)
        assert premium_value_usd(replace(lot, premiums=(on_top,)), fob) == (0, value)


def test_premiums_included_vs_on_top_and_voided_ignored(make_lot):
    lot = make_lot(premiums=(
        prem(PremiumBasis.PER_KG, "0.20"),  # 280 in FOB
        prem(PremiumBasis.PER_LOT, "500", included=False),  # 500 on top
        prem(PremiumBasis.PER_LOT, "9999", included=False, voided=True),
        prem(PremiumBasis.PER_KG, "5", voided=True),
    ))
    e = economics(lot)
    assert e.premiums_in_fob_usd == 280
    assert e.premiums_on_top_usd == 500
    assert e.split.premium_on_top == D(500) / e.weight_lb


def test_premiums_that_cannot_be_valued_count_zero(make_lot):
    lot = make_lot(bags=None, premiums=(prem(PremiumBasis.PER_KG, "1"),
                                        prem(PremiumBasis.PCT_OF_PRICE, "5")))
    assert premium_value_usd(lot, D("4.75")) == (0, 0)
    assert premium_value_usd(make_lot(premiums=lot.premiums), None) == (D(1400), 0)


def test_money_split_exporter_legs_margin_and_importer_legs(make_lot):
    lot = make_lot(costs=(
        CostLeg(Party.EXPORTER, "collection", D("0.10")),
        CostLeg(Party.EXPORTER, "milling", D("0.15")),
        CostLeg(Party.EXPORTER, "export", D("0.25")),
        CostLeg(Party.EXPORTER, "certification", D("0.05")),
        CostLeg(Party.IMPORTER, "freight", D("0.12")),
        CostLeg(Party.IMPORTER, "importer margin", D("0.40")),
    ))
    e = economics(lot)
    s = e.split
    assert s.producer == e.farm_gate_usd_lb
    assert s.exporter_legs == {"collection": D("0.10"), "milling": D("0.15"),
                               "export": D("0.25"), "certification": D("0.05")}
    assert s.exporter_margin == D("4.75") - e.farm_gate_usd_lb - D("0.55")
    assert round_per_lb(s.exporter_margin) == D("1.1099")
    assert s.producer + s.exporter_total == D("4.75")
    assert s.importer_legs == {"freight": D("0.12"), "importer margin": D("0.40")}
    assert s.importer_total == D("0.52")
    assert s.premium_on_top == 0


def test_a_per_lot_premium_needs_no_weight(make_lot):
    lot = make_lot(bags=None, premiums=(prem(PremiumBasis.PER_LOT, "100", included=False),))
    e = economics(lot)
    assert e.premiums_on_top_usd == 100
    assert e.fob_value_usd is None


# -- properties ----------------------------------------------------------------------------------

cents = st.decimals(min_value=D(50), max_value=D(500), places=2)
kgs = st.one_of(st.none(), st.decimals(min_value=D(1), max_value=D(50000), places=1))


@given(st.lists(st.tuples(cents, kgs), min_size=1, max_size=6), kgs,
       st.decimals(min_value=D(-49), max_value=D(300), places=1))
def test_weighted_c_and_fob_stay_within_the_fixations(make_lot, parts, weight, diff):
    fixations = tuple(Fixation(date(2025, 1, 1 + i), c, v) for i, (c, v) in enumerate(parts))
    lot = make_lot(bags=None, weight_kg=weight, fixations=fixations, differential_cents_lb=diff)
    c = recorded_c_cents(lot)
    low, high = min(p[0] for p in parts), max(p[0] for p in parts)
    assert low - D("1e-20") <= c <= high + D("1e-20")
    volumes = [v for _, v in parts]
    part = weight is not None and None not in volumes and sum(volumes) < weight
    if part:  # the rest of the lot is not fixed yet: no C at fixation, no FOB
        assert fixed_c_cents(lot) is None and fob_usd_lb(lot) is None
        assert not_fixed(lot).fixed_c_cents_lb == c
        assert abs(not_fixed(lot).fixed_fob_usd_lb - (c + diff) / 100) < D("1e-20")
    else:
        assert fixed_c_cents(lot) == c and not_fixed(lot) is None
        assert abs(fob_usd_lb(lot) - (c + diff) / 100) < D("1e-20")


@given(st.decimals(min_value=D("0.5"), max_value=D(12), places=2),
       st.decimals(min_value=D(100), max_value=D(20000), places=0),
       st.decimals(min_value=D(100_000), max_value=D(5_000_000), places=0))
def test_lot_totals_add_up(make_lot, make_farm_gate, fob, weight, local):
    lot = make_lot(contract_type=ContractType.FIXED, fixations=(), fob_usd_lb=fob,
                   c_cents_lb=D(300), bags=None, weight_kg=weight,
                   farm_gate=make_farm_gate(amount=local))
    e = economics(lot)
    assert abs(e.farm_gate_value_usd + e.intermediaries_value_usd - e.fob_value_usd) < D("1e-15")
    assert abs(e.farm_gate_share * e.fob_usd_lb - e.farm_gate_usd_lb) < D("1e-20")
    assert e.split.producer + e.split.exporter_total == e.fob_usd_lb


def test_the_arabica_c_series_never_stands_in_for_a_robusta_lot():
    series = CSeries({(2025, 3): Decimal(380)})
    robusta = Lot("VN-1", 1, 2025, weight_kg=Decimal(1000), species=Species.ROBUSTA,
                  contract_type=ContractType.FIXED, contract_date=date(2025, 3, 10),
                  fob_usd_lb=Decimal("2.10"))
    eco = economics(robusta, c_series=series)
    assert eco.c_usd_lb is None and eco.premium_over_c_usd_lb is None
    assert "market price at fixation (robusta)" in eco.missing
    recorded = economics(replace(robusta, c_cents_lb=Decimal(190)), c_series=series)
    assert recorded.c_usd_lb == Decimal("1.9") and not recorded.c_estimated


def test_a_robusta_lot_is_compared_with_the_london_series():
    """docs/domain.md: ICE London quotes USD per tonne; a robusta lot takes London at its
    contract date (converted to USD/lb, marked estimated), an arabica lot never does."""
    c = CSeries({(2025, 3): Decimal(380)})
    london = LondonSeries({(2025, 2): Decimal(4400)})
    robusta = Lot("VN-1", 1, 2025, weight_kg=Decimal(1000), species=Species.ROBUSTA,
                  process=Process.NATURAL, contract_type=ContractType.FIXED,
                  contract_date=date(2025, 3, 10), fob_usd_lb=Decimal("2.10"))
    eco = economics(robusta, c_series=c, london_series=london, fairtrade=FAIRTRADE_2023)
    market = Decimal(4400) * Decimal("0.45359237") / 1000  # the February level (latest)
    assert eco.c_usd_lb == market and eco.london_usd_t == Decimal(4400) and eco.c_estimated
    assert eco.premium_over_c_usd_lb == Decimal("2.10") - market
    assert "market price at fixation (robusta)" not in eco.missing
    # Fairtrade's robusta natural minimum (1.20) is below London: the market sets the floor
    assert eco.fairtrade is not None
    assert eco.fairtrade.floor_usd_lb == market + FAIRTRADE_2023.premium_usd_lb
    arabica = replace(robusta, species=Species.ARABICA, code="CO-1")
    eco_a = economics(arabica, c_series=c, london_series=london)
    assert eco_a.c_usd_lb == Decimal("3.8") and eco_a.london_usd_t is None
    # a recorded market price wins over the series; none before the series is not guessed
    recorded = economics(replace(robusta, c_cents_lb=Decimal(190)), london_series=london)
    assert recorded.c_usd_lb == Decimal("1.9") and recorded.london_usd_t is None
    early = economics(replace(robusta, contract_date=date(2024, 1, 5)), london_series=london)
    assert early.c_usd_lb is None and not early.c_estimated


def test_numbers_are_rounded_half_up_for_display_only():
    from roasterdesk.domain.money import fmt_number, round_places

    assert round_places(Decimal("2.345"), 2) == Decimal("2.35")
    assert round_places(Decimal("2.5"), 0) == Decimal("3")  # not to the even 2
    assert fmt_number(Decimal("12500.125"), 2) == "12,500.13"
    assert fmt_number(Decimal("-0.05"), 1) == "-0.1"


def test_fairtrade_without_a_c_price_is_never_the_minimum_taken_for_the_floor(make_lot):
    """The floor is max(minimum, C) + premium: with no C price at fixation (none recorded, no
    series) it is only known to be at least minimum + premium (1.80 + 0.20 for washed
    arabica). A FOB under that is below the floor whatever C was ("at least"); a FOB over it
    has no comparison: C may have been far above the minimum (2.50 in 2024)."""
    unpriced = make_lot(contract_type=ContractType.FIXED, c_cents_lb=None, fixations=(),
                        differential_cents_lb=None, contract_date=None)
    below = economics(replace(unpriced, fob_usd_lb=D("1.90")), fairtrade=FAIRTRADE_2023)
    assert below.c_usd_lb is None and below.fairtrade is not None
    assert (below.fairtrade.at_least, below.fairtrade.meets) == (True, False)
    assert below.fairtrade.floor_usd_lb == D("2.00")
    assert below.fairtrade.difference_usd_lb == D("-0.10")
    above = economics(replace(unpriced, fob_usd_lb=D("2.10")), fairtrade=FAIRTRADE_2023)
    assert above.fob_usd_lb == D("2.10") and above.fairtrade is None  # was "0.10 above it"
    assert "C price at fixation" in above.missing
    priced = economics(replace(unpriced, fob_usd_lb=D("2.10"), c_cents_lb=D("250")),
                       fairtrade=FAIRTRADE_2023)
    assert priced.fairtrade is not None and not priced.fairtrade.at_least
    assert priced.fairtrade.floor_usd_lb == D("2.70") and not priced.fairtrade.meets


def test_a_fairtrade_floor_made_of_an_estimated_c_is_an_estimate(make_lot):
    """Floor = C + premium when C is above the minimum: with C estimated, so is the floor;
    under the minimum the floor is the minimum's, a fact."""
    def ft_estimate(c_cents):
        lot = make_lot(contract_type=ContractType.FIXED, fixations=(), differential_cents_lb=None,
                       c_cents_lb=D(c_cents), c_estimated=True, fob_usd_lb=D("4.75"))
        return economics(lot, fairtrade=FAIRTRADE_2023).fairtrade_from_estimate

    assert ft_estimate("380") is True
    assert ft_estimate("150") is False  # 1.50 < the 1.80 minimum: the floor is 2.00 anyway
    plain = make_lot(contract_type=ContractType.FIXED, fixations=(), differential_cents_lb=None,
                     c_cents_lb=D(380), fob_usd_lb=D("4.75"))
    assert economics(plain, fairtrade=FAIRTRADE_2023).fairtrade_from_estimate is False
