"""One rule picks a local unit from its name: the name as written, the producer's country and
the lot's bag size (docs/domain.md "Units"); a name that could be several units is asked."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from roasterdesk.domain import plausibility as PL
from roasterdesk.domain.units import (
    ARROBA_BR,
    ARROBA_CO,
    BAG_60,
    BAG_69,
    BAG_70,
    CARGA,
    KG,
    LB,
    QUINTAL,
    QUINTAL_GT,
    UnitNotKnown,
    local_unit,
    units_offered,
)


@pytest.mark.parametrize(("text", "country", "unit"), [
    ("arroba", "BR", ARROBA_BR), ("arroba", "CO", ARROBA_CO), ("Arrobas", "br", ARROBA_BR),
    ("@", "BR", ARROBA_BR), ("quintal", "GT", QUINTAL_GT), ("qq", "GT", QUINTAL_GT),
    ("per quintal", "HN", QUINTAL), ("qq.", "PE", QUINTAL), ("Quintales", "SV", QUINTAL),
    ("carga", "CO", CARGA), ("por carga", "CO", CARGA), ("kilos", "", KG), ("/kg", "BR", KG),
    ("lbs", "", LB), ("libra", "GT", LB),
    # a name with its size is that unit anywhere
    ("arroba (12.5 kg)", "BR", ARROBA_CO), ("quintal (100 lb)", "", QUINTAL_GT),
])
def test_a_local_unit_is_read_by_its_name_and_the_producers_country(text, country, unit):
    assert local_unit(text, country) == unit


def test_a_brazilian_arroba_is_15_kg_and_a_guatemalan_quintal_100_lb():
    assert local_unit("arroba", "BR").kg == 15
    assert local_unit("quintal", "GT").kg == D(100) * D("0.45359237")


def test_per_bag_is_the_lots_own_bag_size_never_60_unasked():
    for word in ("bag", "saco", "Sacas", "sacks"):
        assert local_unit(word, "HN", D(69)) == BAG_69
        with pytest.raises(UnitNotKnown, match="bag size") as caught:
            local_unit(word, "HN")
        assert caught.value.candidates == (BAG_60, BAG_69, BAG_70)
    assert local_unit("bag (60 kg)", "HN", D(69)) == BAG_60  # the name says its size


def test_a_unit_written_with_its_size_is_that_size():
    assert local_unit("arroba (15 kg)", "PE") == ARROBA_BR
    sized = local_unit("Lata (12.5 kg)", "CO")
    assert (sized.name, sized.kg) == ("lata (12.5 kg)", D("12.5"))
    assert local_unit("qq (45.36 kg)", "EC").kg == D("45.36")
    assert local_unit("saco (65 kg)").name == "bag (65 kg)"


@pytest.mark.parametrize(("text", "country", "said", "candidates"), [
    ("arroba", "PE", "'arroba' for a producer in Peru: which size?", (ARROBA_CO, ARROBA_BR)),
    ("qq", "", "'qq' with no country known: which size?", (QUINTAL, QUINTAL_GT)),
    ("quintal", "MX", "in Mexico", (QUINTAL, QUINTAL_GT)),
    ("carga", "BR", "usually carga (125 kg) in Colombia", (CARGA,)),
])
def test_a_name_that_could_be_several_units_is_asked_never_guessed(text, country, said,
                                                                 candidates):
    with pytest.raises(UnitNotKnown) as caught:
        local_unit(text, country)
    assert said in str(caught.value)
    assert caught.value.candidates == candidates


def test_a_name_that_is_no_unit_is_said():
    for text in ("lata", "arr", "quin", "kg (5 kg)"):
        with pytest.raises(UnitNotKnown, match="not a unit known here") as caught:
            local_unit(text, "CO")
        assert caught.value.candidates == ()


def test_the_units_offered_for_a_producer_are_its_countrys():
    br = [u.name for u in units_offered("BR")]
    assert "arroba (15 kg)" in br and "arroba (12.5 kg)" not in br and "carga (125 kg)" not in br
    gt = units_offered("gt")
    assert QUINTAL_GT in gt and QUINTAL not in gt and KG in gt and BAG_69 in gt
    assert {ARROBA_CO, ARROBA_BR, QUINTAL, QUINTAL_GT, CARGA} <= set(units_offered())


def test_one_fob_written_per_lb_and_per_kg_must_be_one_price():
    assert PL.fob_per_lb_and_kg(D("4.10"), D("9.04")) is None  # rounded, the same price
    said = PL.fob_per_lb_and_kg(D("4.10"), D("9.90"))
    assert said == ("FOB 4.1000 USD/lb and FOB 9.90 USD/kg (= 4.4906 USD/lb) are not the same "
                    "price")
    assert PL.fob_per_lb_and_kg(D("4.10"), D("9.90"), "4.10 USD/lb", "9.90 USD/kg").startswith(
        "FOB 4.10 USD/lb and FOB 9.90 USD/kg")
