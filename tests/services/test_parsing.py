"""The messy values of real spreadsheets, parsed exactly (or refused with a reason)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.services import parsing as P
from roasterdesk.services.fields import auto_mapping, parse_observations, parse_process
from roasterdesk.services.tabular import neutralise, unneutralise


@pytest.mark.parametrize("text, expected", [
    ("1600-1800 masl", (1600, 1800)), ("1,750 m", (1750, 1750)), ("5000 ft", (1524, 1524)),
    ("1.600 - 1.800 msnm", (1600, 1800)), ("1800–1600", (1600, 1800)), ("1700", (1700, 1700)),
    ("1600 to 1800m", (1600, 1800)), ("ca. 1450 m.a.s.l.", (1450, 1450)),
])
def test_altitudes(text, expected):
    assert P.parse_altitude(text) == expected


@pytest.mark.parametrize("text", ["high", "9000 m", "1600 km"])
def test_bad_altitudes(text):
    with pytest.raises(ValueError):
        P.parse_altitude(text)


@pytest.mark.parametrize("text, kg", [
    ("70 kg", "70"), ("69kg", "69"), ("100 lb", "45.359237"), ("1,400", "1400"),
    ("1.5 t", "1500"), ("60", "60"), ("152 lbs", "68.94604024"),
])
def test_masses(text, kg):
    assert P.parse_mass_kg(text) == Decimal(kg)


@pytest.mark.parametrize("text, value", [
    ("84,25", "84.25"), ("1.234,5", "1234.5"), ("1,234.5", "1234.5"), ("-12,5", "-12.5"),
    ("1 750", "1750"), ("+95", "95"), ("1.234.567", "1234567"),
])
def test_numbers(text, value):
    assert P.parse_number(text) == Decimal(value)


def test_percent_price_dates_and_more():
    assert P.parse_percent("12 %") == 12 and P.parse_percent("0.115") == Decimal("11.5")
    assert P.parse_percent("11,5%") == Decimal("11.5")
    with pytest.raises(ValueError, match="between 0 and 100"):
        P.parse_percent("120")
    assert P.parse_price("USD 4.75/lb") == Decimal("4.75")
    assert P.parse_price("10 USD/kg") == Decimal("4.5359237")
    assert P.parse_cents("+95 c/lb") == 95 and P.parse_cents("-12,5") == Decimal("-12.5")
    assert P.parse_harvest_year("2019/2020") == 2020 and P.parse_harvest_year("2024.0") == 2024
    assert P.parse_date("25/03/2024") == date(2024, 3, 25)
    assert P.parse_date("14 Mar 2025") == date(2025, 3, 14)
    assert P.parse_date("2025-03-14 00:00:00") == date(2025, 3, 14)
    assert P.parse_country("Perú") == "PE" and P.parse_country("ETH") == "ET"
    with pytest.raises(ValueError, match="unknown country 'Narnia'"):
        P.parse_country("Narnia")
    assert P.parse_months("Oct-Jan") == (10, 11, 12, 1)
    assert P.parse_months("5, 6, 7") == (5, 6, 7)
    assert P.parse_month_key("03/2024") == (2024, 3)
    assert P.parse_month_key("March 2024") == (2024, 3)
    assert P.parse_bool("Sí") is True and P.parse_bool("no") is False
    assert P.parse_area_ha("25000 m2") == Decimal("2.5")
    assert P.parse_list("Castillo, Caturra; Typica") == ("Castillo", "Caturra", "Typica")
    assert parse_process("Pulped Natural").value == "honey"
    assert parse_process("Lavado").value == "washed"


def test_observation_notes_may_hold_semicolons_and_brackets():
    obs = parse_observations("shade: observed (40 %; mixed (inga)); water_use: reported")
    assert [(t.value, e.value, n, o) for t, e, n, o in obs] == [
        ("shade", "observed", "40 %; mixed (inga)", None), ("water_use", "reported", "", None)]


def test_an_observation_seen_in_person_may_give_its_outcome():
    obs = parse_observations("child labour: seen, no issue (school in session); "
                             "safety_equipment: observed, issue found (no masks); "
                             "shade: observed")
    assert [(t.value, o.value if o else None) for t, _, _, o in obs] == [
        ("child_labour", "no_issue"), ("safety_equipment", "issue"), ("shade", None)]
    with pytest.raises(ValueError, match="only a topic observed in person"):
        parse_observations("child_labour: reported, no issue")
    with pytest.raises(ValueError, match="outcome"):
        parse_observations("child_labour: observed, maybe")


def test_synonyms_map_to_fields():
    headers = ["Country of Origin", "Farm Name", "Altitude", "Harvest Year", "Bag Weight",
               "Number of Bags", "Processing Method", "Total Cup Points", "Lot #", "Moisture (%)"]
    assert list(auto_mapping("lots", headers).values()) == [
        "country", "producer", "producer_altitude", "harvest", "bag_kg", "bags", "process",
        "quality_score", "code", "moisture_pct"]


@pytest.mark.parametrize("text", ["=1+2", "+1", "@x", "\tx", "\rx", "-x", "-"])
def test_neutralise_round_trip(text):
    assert neutralise(text).startswith("'") and unneutralise(neutralise(text)) == text


def test_plain_negative_numbers_stay_numbers():
    assert neutralise("-12.5") == "-12.5" and unneutralise("'plain") == "'plain"
    # in either convention: a rejected "-4,00" goes back to the buyer as written
    assert [neutralise(x) for x in ("-4,00", "-1.234,5", "-1 234,5")] == [
        "-4,00", "-1.234,5", "-1 234,5"]
    assert neutralise("-4,00 USD") == "'-4,00 USD" and neutralise("-1,2e3") == "'-1,2e3"
    # its sign corrected by hand but the apostrophe left: the number, not a refusal
    assert unneutralise("'4,00") == "4,00" and unneutralise("'-4,00") == "-4,00"


@pytest.mark.parametrize(("raw", "whole", "form"), [
    ("19.200", False, "ambiguous"), ("1.750", True, ","), ("1,450", True, "."),
    ("1.000", True, "ambiguous"), ("2,000", True, "ambiguous"), ("84,5", True, ","),
])
def test_a_whole_number_field_settles_a_separator_only_when_the_fraction_is_not_whole(
        raw, whole, form):
    assert P.number_form(raw, whole) == form


@pytest.mark.parametrize(("text", "per", "usd"), [
    ("410 ¢/lb", "lb", "4.10"), ("410 US¢/lb", "lb", "4.10"), ("95 cents/lb", "lb", "0.95"),
    ("410,5 c/lb", "lb", "4.105"), ("4.75 USD/lb", "lb", "4.75"), ("4.75", "lb", "4.75"),
])
def test_a_price_in_cents_is_read_as_cents_whatever_the_field(text, per, usd):
    from roasterdesk.services.parsing import parse_price

    assert parse_price(text, per=per) == Decimal(usd)


@pytest.mark.parametrize(("text", "cents"), [
    ("380", "380"), ("380.00 c/lb", "380"), ("+95", "95"), ("3.80 USD/lb", "380"),
    ("+0.95 USD/lb", "95"), ("$3.80", "380"), ("380 US¢/lb", "380"), ("-12,5", "-12.5"),
])
def test_a_cents_field_given_dollars_converts_them(text, cents):
    from roasterdesk.services.parsing import parse_cents

    assert parse_cents(text) == Decimal(cents)


def test_a_cents_field_refuses_dollars_it_cannot_read():
    from roasterdesk.services.parsing import parse_cents

    with pytest.raises(ValueError, match="not a price"):
        parse_cents("USD 3.80 a pound")


def test_a_cents_field_takes_us_or_per_lb_only_with_a_cents_unit():
    from roasterdesk.services.parsing import parse_cents

    for text in ("0.95 per lb", "3.80 US"):
        with pytest.raises(ValueError):
            parse_cents(text)
    assert parse_cents("380/lb") == Decimal(380)


@pytest.mark.parametrize(("key", "header", "unit"), [
    ("fob_usd_kg", "Price per kg (USD)", "USD/kg"), ("fob_usd_kg", "FOB per kg (US$)", "USD/kg"),
    ("fob_usd_lb", "FOB (USD)", "USD/lb"), ("fob_usd_lb", "FOB (US¢/lb)", "¢/lb"),
    ("fob_usd_lb", "FOB (USD/qq)", "USD/qq"), ("fob_usd_lb", "FOB (USD/46 kg)", "USD/46 kg"),
    ("c_cents_lb", "C price (USD/lb)", "USD/lb"), ("fob_usd_lb", "FOB (lb)", None),
])
def test_a_price_header_names_its_unit_or_the_fields_own_weight(key, header, unit):
    """A currency without a weight is per the field's own weight; a weight neither lb nor kg
    is passed on as named, so every cell is refused with it (never read per lb)."""
    from roasterdesk.services.import_checks import header_unit
    from roasterdesk.services.parsing import parse_price

    assert header_unit(key, header) == unit
    if unit and unit.startswith("USD/") and unit not in ("USD/lb", "USD/kg"):
        with pytest.raises(ValueError, match="not a price"):
            parse_price(f"150 {unit}")
