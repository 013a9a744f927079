"""Units: hand-worked conversions and hypothesis properties for every conversion in units.py."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roasterdesk.domain.units import (
    ARROBA_BR,
    ARROBA_CO,
    BAG_50,
    BAG_60,
    BAG_69,
    BAG_70,
    BAG_100LB,
    CARGA,
    DEFAULT_KG_PER_KG_GREEN,
    KG,
    LB,
    LB_KG,
    LOCAL_UNITS,
    QUINTAL,
    QUINTAL_GT,
    Basis,
    Mass,
    MassUnit,
    Price,
    UnitMismatch,
    bag,
    cents_lb_to_usd_lb,
    dec,
    factor_from_ico,
    factor_from_rendimiento,
    green_equivalent,
    usd_kg,
    usd_lb,
    usd_tonne_to_usd_lb,
)

D = Decimal
ALL_UNITS = [KG, LB, QUINTAL, QUINTAL_GT, CARGA, ARROBA_CO, ARROBA_BR, BAG_60, BAG_69, BAG_70,
             BAG_50, BAG_100LB]

units = st.sampled_from(ALL_UNITS)
bases = st.sampled_from(list(Basis))
amounts = st.decimals(min_value=D("0.0001"), max_value=D("10000000"), places=4,
                      allow_nan=False, allow_infinity=False)
factors = st.decimals(min_value=D("0.5"), max_value=D("10"), places=4)
rates = st.decimals(min_value=D("0.01"), max_value=D("50000"), places=4)
currencies = st.sampled_from(["COP", "BRL", "ETB", "UGX", "HNL", "EUR"])


REL = D("1e-20")


def close(a: Decimal, b: Decimal, rel: Decimal = REL) -> bool:
    """Equal up to the last digits of a 28-digit Decimal division."""
    return abs(a - b) <= rel * max(abs(a), abs(b), D(1))


# -- hand-worked examples ---------------------------------------------------------------------

def test_a_pound_is_exactly_0_45359237_kg():
    assert Mass.of(1, LB).kg == D("0.45359237")
    assert Mass.of(100, LB).in_(QUINTAL_GT) == 1
    assert Mass.of(1, BAG_100LB).kg == D("45.359237")


def test_worked_example_lot_weighs_3086_47_lb():
    lot = Mass.of(20, BAG_70)
    assert lot.kg == 1400
    assert round(lot.lb, 2) == D("3086.47")
    assert lot.in_(BAG_60) == D(1400) / 60


@pytest.mark.parametrize("unit, kg", [
    (QUINTAL, 46), (CARGA, 125), (ARROBA_CO, D("12.5")), (ARROBA_BR, 15),
    (BAG_60, 60), (BAG_69, 69), (BAG_70, 70), (BAG_50, 50),
])
def test_local_units_and_bags_weigh_what_domain_md_says(unit, kg):
    assert Mass.of(1, unit).kg == D(kg)


def test_bag_of_any_size_is_named_by_its_weight():
    assert bag("62.5").name == "bag (62.5 kg)"
    assert bag(69) == BAG_69
    assert LOCAL_UNITS["carga (125 kg)"] is CARGA
    with pytest.raises(ValueError, match="more than 0 kg"):
        bag(0)


def test_mass_arithmetic_keeps_units():
    assert Mass.of(1, KG) + Mass.of(1, LB) == Mass(D("1.45359237"))
    assert Mass.of(70) * 20 == Mass.of(1400)
    assert Mass.of(1, BAG_100LB) < Mass.of(1, BAG_50) < Mass.of(70)


def test_factor_de_rendimiento_94_is_94_over_70():
    assert factor_from_rendimiento(94) == D(94) / 70
    assert round(factor_from_rendimiento(94), 3) == D("1.343")
    with pytest.raises(ValueError, match="positive"):
        factor_from_rendimiento(0)


def test_ico_factor_is_the_inverse_outturn():
    assert factor_from_ico("0.8") == D("1.25")
    assert factor_from_ico("0.5") == 2
    for bad in ("0", "1.2", "-0.5"):
        with pytest.raises(ValueError, match="between 0 and 1"):
            factor_from_ico(bad)


def test_green_equivalent_uses_domain_md_defaults_or_the_lots_outturn():
    assert green_equivalent(Mass.of(600), Basis.CHERRY) == Mass.of(100)
    assert green_equivalent(Mass.of(125), Basis.PARCHMENT) == Mass.of(100)
    assert green_equivalent(Mass.of(200), Basis.DRY_CHERRY) == Mass.of(100)
    assert green_equivalent(Mass.of(100), Basis.GREEN) == Mass.of(100)
    # a carga at FR 94 yields 125 × 70/94 = 93.09 kg excelso (docs/domain.md's FNC check)
    excelso = green_equivalent(Mass.of(1, CARGA), Basis.PARCHMENT, factor_from_rendimiento(94))
    assert round(excelso.kg, 2) == D("93.09")
    assert round(excelso.lb, 1) == D("205.2")
    with pytest.raises(ValueError, match="positive"):
        green_equivalent(Mass.of(1), Basis.CHERRY, D(0))


def test_basis_labels_are_plain_words():
    assert [b.label for b in Basis] == [
        "fresh cherry", "dry parchment", "dried cherry (natural)", "green"]
    assert DEFAULT_KG_PER_KG_GREEN[Basis.CHERRY] == 6


def test_worked_example_farm_gate_chain_step_by_step():
    carga = Price(D(2_600_000), "COP", CARGA, Basis.PARCHMENT)
    assert carga.per(KG).amount == 20_800  # COP/kg parchment
    green = carga.per(KG).to_green(factor_from_rendimiento(94))
    assert round(green.amount, 2) == D("27931.43")  # COP/kg green
    assert green.basis is Basis.GREEN
    usd = green.to_usd(D(4100))
    assert round(usd.amount, 4) == D("6.8125")  # USD/kg green
    assert round(usd.per(LB).amount, 4) == D("3.0901")
    assert round(carga.usd_per_lb_green(D(4100), factor_from_rendimiento(94)), 4) == D("3.0901")


def test_fnc_published_price_is_1_576_usd_lb_green():
    carga = Price(D(1_185_000), "COP", CARGA, Basis.PARCHMENT)
    assert round(carga.to_usd(D("3664.50")).amount, 2) == D("323.37")  # USD per carga
    assert round(carga.usd_per_lb_green(D("3664.50"), factor_from_rendimiento(94)), 3) == D("1.576")


def test_c_is_quoted_in_cents():
    assert cents_lb_to_usd_lb(D("380.00")) == D("3.8")
    assert cents_lb_to_usd_lb(D("128.10")) == D("1.281")


def test_price_helpers_and_ratio():
    assert usd_lb("4.75").per(KG).amount == D("4.75") / LB_KG
    assert usd_kg("2.2").unit is KG
    assert usd_lb("4.75") - usd_lb("3.80") == usd_lb("0.95")
    assert usd_lb("1") + usd_lb("2") == usd_lb("3")
    assert usd_lb("3.0901").ratio(usd_lb("4.75")) == D("3.0901") / D("4.75")
    with pytest.raises(ZeroDivisionError):
        usd_lb(1).ratio(usd_lb(0))


def test_a_usd_price_needs_no_exchange_rate():
    p = usd_kg("6.8125")
    assert p.to_usd(D(4100)) is p
    assert p.usd_per_lb_green() == D("6.8125") * LB_KG


def test_invalid_units_and_prices_are_refused():
    with pytest.raises(ValueError, match="more than 0 kg"):
        MassUnit("nothing", D(0))
    with pytest.raises(TypeError, match="Decimal"):
        Mass(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Decimal"):
        Price(1.5, "USD")  # type: ignore[arg-type]
    for code in ("usd", "US", "US1", "DOLLAR"):
        with pytest.raises(ValueError, match="ISO 4217"):
            Price(D(1), code)
    with pytest.raises(ValueError, match="exchange rate"):
        Price(D(1), "COP").to_usd(D(0))
    with pytest.raises(ValueError, match="exchange rate"):
        usd_lb(1).in_currency("COP", D(-1))
    with pytest.raises(ValueError, match="outturn"):
        usd_lb(1).to_green(D(0))


# -- properties -------------------------------------------------------------------------------

@given(amounts, units, units)
def test_mass_round_trips_through_every_unit(x, a, b):
    m = Mass.of(x, a)
    assert m.in_(a) == x
    back = Mass.of(m.in_(b), b).in_(a)
    assert close(back, x)
    assert close(m.lb * LB_KG, m.kg)


@given(amounts, amounts, units, units)
def test_mass_ordering_is_preserved_in_every_unit(x, y, a, b):
    mx, my = Mass.of(x, a), Mass.of(y, a)
    assert (x < y) == (mx < my) == (mx.in_(b) < my.in_(b))
    assert (mx + my).in_(a) == x + y


@given(amounts, currencies, units, units, bases)
def test_price_per_round_trips(x, cur, a, b, basis):
    p = Price(x, cur, a, basis)
    q = p.per(b)
    assert q.unit == b and q.currency == cur and q.basis is basis
    assert close(q.per(a).amount, x)
    assert close(q.per_kg, p.per_kg)


@given(amounts, amounts, units, units)
def test_price_ordering_is_preserved_by_per(x, y, a, b):
    px, py = Price(x, "USD", a), Price(y, "USD", a)
    assert (x < y) == (px.per(b).amount < py.per(b).amount) or x == y


@given(amounts, rates, currencies)
def test_to_usd_and_in_currency_round_trip(x, fx, cur):
    p = usd_lb(x)
    local = p.in_currency(cur, fx)
    assert local.currency == cur
    assert close(local.to_usd(fx).amount, x)
    assert local.to_usd(fx).currency == "USD"


@given(amounts, factors, factors, bases)
def test_to_green_is_monotone_in_the_factor(x, f1, f2, basis):
    p = Price(x, "COP", KG, basis)
    g1, g2 = p.to_green(f1), p.to_green(f2)
    assert g1.basis is Basis.GREEN
    if f1 < f2:
        assert g1.amount < g2.amount
    elif f1 == f2:
        assert g1 == g2
    assert p.to_green().amount == x * DEFAULT_KG_PER_KG_GREEN[basis]


@given(amounts, st.sampled_from([KG, CARGA, QUINTAL, QUINTAL_GT, ARROBA_CO, ARROBA_BR]),
       factors, rates, bases)
def test_usd_per_lb_green_is_domain_md_formula(x, unit, factor, fx, basis):
    expected = x / unit.kg * factor / fx * D("0.45359237")
    got = Price(x, "COP", unit, basis).usd_per_lb_green(fx, factor)
    assert close(got, expected)


@given(amounts, amounts, rates, factors)
def test_higher_local_price_means_higher_usd_per_lb_green(x, y, fx, factor):
    px = Price(x, "COP", CARGA, Basis.PARCHMENT).usd_per_lb_green(fx, factor)
    py = Price(y, "COP", CARGA, Basis.PARCHMENT).usd_per_lb_green(fx, factor)
    assert (x < y) == (px < py) or x == y


@given(amounts, amounts, st.data())
def test_mixing_units_raises_unit_mismatch(x, y, data):
    p = Price(x, "USD", LB, Basis.GREEN)
    other = data.draw(st.sampled_from([
        Price(y, "COP", LB, Basis.GREEN),
        Price(y, "USD", KG, Basis.GREEN),
        Price(y, "USD", LB, Basis.PARCHMENT),
    ]))
    with pytest.raises(UnitMismatch):
        p - other
    with pytest.raises(UnitMismatch):
        p + other
    with pytest.raises(UnitMismatch):
        p.ratio(other)


@given(amounts)
def test_mass_refuses_non_masses(x):
    m = Mass.of(x)
    with pytest.raises(UnitMismatch):
        m + x  # type: ignore[operator]
    with pytest.raises(UnitMismatch):
        m * m


@given(amounts, rates)
def test_local_prices_need_usd_first_and_an_exchange_rate(x, fx):
    local = Price(x, "COP", CARGA, Basis.PARCHMENT)
    with pytest.raises(UnitMismatch, match="USD first"):
        local.in_currency("BRL", fx)
    with pytest.raises(UnitMismatch, match="exchange rate"):
        local.usd_per_lb_green()


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_dec_refuses_every_float(f):
    with pytest.raises(TypeError, match="inexact"):
        dec(f)
    with pytest.raises(TypeError):
        Mass.of(f)
    with pytest.raises(TypeError):
        usd_lb(f)


@given(st.one_of(st.integers(), amounts))
def test_dec_accepts_ints_strings_and_decimals_exactly(v):
    assert dec(v) == Decimal(v)
    assert dec(str(v)) == Decimal(str(v))


def test_dec_refuses_bools_and_other_types():
    for bad in (True, False):
        with pytest.raises(TypeError, match="inexact"):
            dec(bad)
    for bad in (None, [1], b"1"):
        with pytest.raises(TypeError, match="cannot make a Decimal"):
            dec(bad)


def test_robusta_usd_per_tonne_to_usd_per_lb():
    """docs/domain.md: 1 t = 2,204.62 lb, so 4,400 USD/t ≈ 1.9958 USD/lb; exact in Decimal."""
    assert usd_tonne_to_usd_lb(D("4400")).quantize(D("0.0001")) == D("1.9958")
    assert usd_tonne_to_usd_lb(D("1000")) == LB_KG  # one tonne costs 1,000 → one lb 0.4536
    assert usd_tonne_to_usd_lb(D("2204.62262184878")).quantize(D("0.000001")) == D("1.000000")
