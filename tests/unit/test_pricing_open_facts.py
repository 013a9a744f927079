"""A lot's species or process not recorded: the figures they decide are not guessed.

The Fairtrade minimum depends on species and process (arabica washed 1.80, natural 1.75,
robusta washed 1.25, natural 1.20 USD/lb, premium 0.20): a lot whose process or species is not
recorded is compared with every floor it could have. Above the highest or below the lowest is
true whichever it is; in between there is no comparison. The market (ICE C or London) depends
on the species: a lot whose species is not recorded takes neither series.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from roasterdesk.domain.model import ContractType, Lot, Process, Species
from roasterdesk.domain.pricing import (
    compare_fairtrade,
    economics,
    fairtrade_floor,
    fairtrade_floors,
    fairtrade_missing,
    not_recorded_facts,
)
from roasterdesk.domain.reference import (
    FAIRTRADE_2023,
    CSeries,
    LivingIncomeReference,
    LondonSeries,
)
from roasterdesk.domain.units import Basis

LOW_C = D("1.00")  # a C price below every minimum: each floor is the minimum + premium
# (without a C price the floor is only known from below: tests/unit/test_pricing.py)


def _lot(**kw) -> Lot:
    args = dict(code="X-1", producer_id=1, harvest=2025, weight_kg=D(1000),
                contract_type=ContractType.FIXED, fob_usd_lb=D("2.10"), c_cents_lb=D(100))
    args.update(kw)
    return Lot(**args)


def test_what_is_not_recorded_in_words():
    assert not_recorded_facts(_lot()) == ""
    assert not_recorded_facts(_lot(process=None)) == "process not recorded"
    assert not_recorded_facts(_lot(species=None)) == "species not recorded"
    assert not_recorded_facts(_lot(species=None, process=None)) == \
        "species and process not recorded"


def test_process_not_recorded_above_every_floor_is_true_whichever_it_is():
    lot = _lot(process=None)  # arabica: washed 1.80 + 0.20 = 2.00, natural 1.75 + 0.20 = 1.95
    assert fairtrade_floors(FAIRTRADE_2023, lot, LOW_C) == [(D("1.95"), D("1.75")),
                                                           (D("2.00"), D("1.80"))]
    ft = compare_fairtrade(FAIRTRADE_2023, lot, D("2.10"), LOW_C)
    assert ft is not None and ft.meets
    assert ft.floor_usd_lb == D("2.00") and ft.difference_usd_lb == D("0.10")  # the highest
    assert ft.not_recorded == "process not recorded"


def test_process_not_recorded_below_every_floor_is_true_whichever_it_is():
    ft = compare_fairtrade(FAIRTRADE_2023, _lot(process=None), D("1.90"), LOW_C)
    assert ft is not None and not ft.meets
    assert ft.floor_usd_lb == D("1.95") and ft.difference_usd_lb == D("-0.05")  # the lowest
    assert ft.not_recorded == "process not recorded"


def test_process_not_recorded_between_the_floors_is_no_comparison():
    lot = _lot(process=None, fob_usd_lb=D("1.97"))
    assert compare_fairtrade(FAIRTRADE_2023, lot, D("1.97"), LOW_C) is None
    e = economics(lot, fairtrade=FAIRTRADE_2023)
    assert e.fairtrade is None
    assert fairtrade_missing("process not recorded") in e.missing
    assert "Fairtrade comparison (process not recorded)" in e.missing
    # the same FOB with the process recorded is compared: the gap was the process alone
    washed = economics(replace(lot, process=Process.WASHED), fairtrade=FAIRTRADE_2023)
    assert washed.fairtrade is not None and not washed.fairtrade.meets
    natural = economics(replace(lot, process=Process.NATURAL), fairtrade=FAIRTRADE_2023)
    assert natural.fairtrade is not None and natural.fairtrade.meets


def test_species_not_recorded_spans_arabica_and_robusta_floors():
    lot = _lot(species=None, process=Process.WASHED)  # robusta 1.45 … arabica 2.00
    assert [f for f, _ in fairtrade_floors(FAIRTRADE_2023, lot, LOW_C)] == [D("1.45"), D("2.00")]
    assert compare_fairtrade(FAIRTRADE_2023, lot, D("1.80"), LOW_C) is None
    low = compare_fairtrade(FAIRTRADE_2023, lot, D("1.40"), LOW_C)
    assert low is not None and not low.meets and low.floor_usd_lb == D("1.45")
    both = _lot(species=None, process=None)  # four floors: 1.40, 1.45, 1.95, 2.00
    assert len(fairtrade_floors(FAIRTRADE_2023, both, LOW_C)) == 4
    ft = compare_fairtrade(FAIRTRADE_2023, both, D("2.00"), LOW_C)
    assert ft is not None and ft.meets and ft.difference_usd_lb == 0
    assert ft.not_recorded == "species and process not recorded"


def test_a_market_above_every_minimum_makes_the_comparison_exact():
    """With C at 3.80 every candidate floor is 3.80 + 0.20: the unknown process changes
    nothing, so the comparison is exact and says nothing is missing."""
    ft = compare_fairtrade(FAIRTRADE_2023, _lot(process=None), D("4.75"), D("3.80"))
    assert ft is not None and ft.floor_usd_lb == D("4.00") and ft.not_recorded == ""


def test_a_floor_needs_a_species_and_a_process():
    with pytest.raises(ValueError, match="species, a process and an organic status"):
        fairtrade_floor(FAIRTRADE_2023, _lot(process=None), LOW_C)
    assert fairtrade_floor(FAIRTRADE_2023, _lot(process=None), LOW_C,
                           process=Process.NATURAL) == (D("1.95"), D("1.75"))


def test_species_not_recorded_takes_no_market_series():
    c = CSeries({(2025, 3): D(380)})
    london = LondonSeries({(2025, 3): D(4400)})
    lot = _lot(species=None, contract_date=date(2025, 3, 10), c_cents_lb=None)
    e = economics(lot, c_series=c, london_series=london)
    assert e.c_usd_lb is None and e.london_usd_t is None and not e.c_estimated
    assert e.premium_over_c_usd_lb is None
    assert "market price at fixation (species not recorded)" in e.missing
    assert "C price at fixation" not in e.missing
    # a C the buyer recorded on the lot is a fact: it is used
    own = economics(replace(lot, c_cents_lb=D(190)), c_series=c)
    assert own.c_usd_lb == D("1.9")
    assert not any(m.startswith("market price") for m in own.missing)
    # the same lot with its species recorded takes its own market
    assert economics(replace(lot, species=Species.ARABICA), c_series=c).c_usd_lb == D("3.8")


def test_species_not_recorded_picks_no_living_income_reference_and_says_why():
    ref = LivingIncomeReference("CO", 2021, D("2.75"), "USD", D(1), Basis.PARCHMENT, "a")
    lot = _lot(species=None)
    e = economics(lot, living_income=[ref], country="CO")
    assert e.living_income is None and e.living_income_usd_lb is None
    assert "living-income reference (species not recorded)" in e.missing
    # no reference for the country at all: the species is not the reason, nothing claimed
    other = economics(lot, living_income=[ref], country="PE")
    assert not any("living-income" in m for m in other.missing)
    assert economics(replace(lot, species=Species.ARABICA), living_income=[ref],
                     country="CO").living_income == ref
