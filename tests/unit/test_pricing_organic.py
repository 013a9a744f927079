"""A lot's organic status not recorded: the Fairtrade floor and the living-income reference it
decides are not guessed.

The organic differential (0.40 USD/lb) is added to the Fairtrade floor of an organic lot: a lot
whose organic status is not recorded is compared with both floors, the conventional and the
organic one. Above the organic floor or below the conventional one is true whichever it is; in
between there is no comparison. Living-income references are published per organic status
(Colombia 2.75 conventional, 3.06 organic USD/kg parchment): where they differ none is taken.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from roasterdesk.domain.model import ContractType, Lot, Process, Species
from roasterdesk.domain.pricing import (
    compare_fairtrade,
    economics,
    fairtrade_floor,
    fairtrade_floors,
    fairtrade_missing,
    living_income_missing,
    living_income_open,
    not_recorded_facts,
    pick_living_income,
)
from roasterdesk.domain.reference import (
    FAIRTRADE_2023,
    LIVING_INCOME_DEFAULTS,
    LivingIncomeReference,
)
from roasterdesk.domain.units import Basis

# C recorded below every minimum (without a C price the floor is known only from below):
# washed arabica, conventional max(1.80, 1.50) + 0.20 = 2.00, organic 2.40
C = D("1.50")


def _lot(**kw) -> Lot:
    args = dict(code="O-1", producer_id=1, harvest=2025, weight_kg=D(1000),
                contract_type=ContractType.FIXED, fob_usd_lb=D("2.10"), c_cents_lb=C * 100,
                process=Process.WASHED, species=Species.ARABICA, organic=None)
    args.update(kw)
    return Lot(**args)


def test_organic_not_recorded_in_words():
    assert not_recorded_facts(_lot()) == "organic status not recorded"
    assert not_recorded_facts(_lot(organic=False)) == ""
    assert not_recorded_facts(_lot(process=None)) == "process and organic status not recorded"
    assert not_recorded_facts(_lot(species=None, process=None)) == \
        "species, process and organic status not recorded"


def test_organic_not_recorded_has_both_floors():
    assert fairtrade_floors(FAIRTRADE_2023, _lot(), C) == [(D("2.00"), D("1.80")),
                                                              (D("2.40"), D("1.80"))]
    assert fairtrade_floors(FAIRTRADE_2023, _lot(organic=True), C) == [(D("2.40"), D("1.80"))]
    assert fairtrade_floors(FAIRTRADE_2023, _lot(organic=False), C) == [(D("2.00"), D("1.80"))]
    with pytest.raises(ValueError, match="organic status"):
        fairtrade_floor(FAIRTRADE_2023, _lot(), C)
    assert fairtrade_floor(FAIRTRADE_2023, _lot(), C, organic=True) == (D("2.40"), D("1.80"))
    # a recorded organic status wins over none given
    assert fairtrade_floor(FAIRTRADE_2023, _lot(organic=True), C)[0] == D("2.40")


def test_fob_between_the_conventional_and_organic_floors_is_no_comparison():
    lot = _lot(fob_usd_lb=D("2.10"))
    assert compare_fairtrade(FAIRTRADE_2023, lot, D("2.10"), C) is None
    e = economics(lot, fairtrade=FAIRTRADE_2023)
    assert e.fairtrade is None
    assert fairtrade_missing("organic status not recorded") in e.missing
    # recorded, the same FOB is compared: conventional clears its floor, organic does not
    conv = economics(replace(lot, organic=False), fairtrade=FAIRTRADE_2023).fairtrade
    assert conv is not None and conv.meets and conv.difference_usd_lb == D("0.10")
    org = economics(replace(lot, organic=True), fairtrade=FAIRTRADE_2023).fairtrade
    assert org is not None and not org.meets and org.difference_usd_lb == D("-0.30")


def test_fob_above_the_organic_floor_is_true_whichever():
    ft = compare_fairtrade(FAIRTRADE_2023, _lot(), D("2.50"), C)
    assert ft is not None and ft.meets
    assert (ft.floor_usd_lb, ft.difference_usd_lb) == (D("2.40"), D("0.10"))
    assert ft.not_recorded == "organic status not recorded"
    # with C above the minimum the differential still separates the floors: 4.00 and 4.40
    ft = compare_fairtrade(FAIRTRADE_2023, _lot(), D("4.75"), D("3.80"))
    assert ft is not None and ft.meets and ft.floor_usd_lb == D("4.40")
    assert ft.not_recorded == "organic status not recorded"
    assert compare_fairtrade(FAIRTRADE_2023, _lot(), D("4.20"), D("3.80")) is None


def test_fob_below_the_conventional_floor_is_true_whichever():
    ft = compare_fairtrade(FAIRTRADE_2023, _lot(), D("1.90"), C)
    assert ft is not None and not ft.meets
    assert (ft.floor_usd_lb, ft.difference_usd_lb) == (D("2.00"), D("-0.10"))
    assert ft.not_recorded == "organic status not recorded"


def test_living_income_references_that_differ_by_organic_pick_none():
    refs = LIVING_INCOME_DEFAULTS  # Colombia: 2.75 conventional, 3.06 organic
    lot = _lot()
    assert pick_living_income(refs, "CO", lot) is None
    e = economics(lot, living_income=refs, country="CO")
    assert e.living_income is None and e.living_income_usd_lb is None
    assert living_income_missing("organic status not recorded") in e.missing
    assert living_income_open(e.missing) == "organic status not recorded"
    assert pick_living_income(refs, "CO", replace(lot, organic=True)).value == D("3.06")
    assert pick_living_income(refs, "CO", replace(lot, organic=False)).value == D("2.75")
    # species not recorded either: both named
    both = economics(replace(lot, species=None), living_income=refs, country="CO")
    assert living_income_open(both.missing) == "species and organic status not recorded"
    # a country without a reference: organic status is not the reason, nothing claimed
    none = economics(lot, living_income=refs, country="PE")
    assert living_income_open(none.missing) == ""


def test_one_reference_for_either_status_is_taken_and_one_sided_is_not():
    conv = LivingIncomeReference("HN", 2023, D("3.89"), "USD", D(1), Basis.PARCHMENT, "c")
    lot = _lot()
    # only a conventional figure: an organic lot would have none, so it is not known
    assert pick_living_income([conv], "HN", lot) is None
    e = economics(lot, living_income=[conv], country="HN")
    assert living_income_open(e.missing) == "organic status not recorded"
    # the same figure published for both: it is the reference whichever the lot is
    org = replace(conv, organic=True, source="o")
    assert pick_living_income([conv, org], "HN", lot) == conv
    assert living_income_open(economics(lot, living_income=[conv, org],
                                        country="HN").missing) == ""
