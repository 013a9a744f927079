"""Reference prices: Fairtrade minimums, living-income reference prices and the C price series.

The figures here are the defaults from docs/domain.md; the app keeps editable copies in the
database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .model import Process, Species
from .text import country_problem
from .units import Basis


@dataclass(frozen=True)
class FairtradeTerms:
    """Fairtrade minimum prices (USD/lb FOB) by species and process, premium and organic diff."""

    valid_from: date
    minimums: dict[tuple[Species, str], Decimal]
    premium_usd_lb: Decimal
    organic_differential_usd_lb: Decimal
    productivity_earmark_usd_lb: Decimal = Decimal("0.05")

    def minimum(self, species: Species, process: Process) -> Decimal:
        """The minimum for a lot.

        Choice (docs/domain.md is silent on honey, anaerobic, wet-hulled): only a *natural* lot
        takes the natural minimum; every wet-processed coffee takes the washed one. The washed
        minimum is the higher floor, so the comparison never flatters a lot.
        """
        kind = "natural" if process is Process.NATURAL else "washed"
        return self.minimums[(species, kind)]


FAIRTRADE_2023 = FairtradeTerms(
    valid_from=date(2023, 8, 1),
    minimums={
        (Species.ARABICA, "washed"): Decimal("1.80"),
        (Species.ARABICA, "natural"): Decimal("1.75"),
        (Species.ROBUSTA, "washed"): Decimal("1.25"),
        (Species.ROBUSTA, "natural"): Decimal("1.20"),
    },
    premium_usd_lb=Decimal("0.20"),
    organic_differential_usd_lb=Decimal("0.40"),
)


@dataclass(frozen=True)
class LivingIncomeReference:
    """A living-income reference price at the farm gate (Fairtrade LIRP), in its own units."""

    country: str
    year: int
    value: Decimal
    currency: str
    unit_kg: Decimal
    basis: Basis
    source: str
    species: Species = Species.ARABICA
    organic: bool = False
    id: int | None = None

    def __post_init__(self) -> None:
        problem = country_problem(self.country)
        if problem:
            raise ValueError(problem)


LIVING_INCOME_DEFAULTS: tuple[LivingIncomeReference, ...] = (
    LivingIncomeReference(
        "CO", 2021, Decimal("2.75"), "USD", Decimal(1), Basis.PARCHMENT,
        "Fairtrade LIRP Colombia, June 2021 (COP 9,900/kg dry parchment)",
    ),
    LivingIncomeReference(
        "CO", 2021, Decimal("3.06"), "USD", Decimal(1), Basis.PARCHMENT,
        "Fairtrade LIRP Colombia organic, June 2021", organic=True,
    ),
    LivingIncomeReference(
        "UG", 2022, Decimal(11640), "UGX", Decimal(1), Basis.PARCHMENT,
        "Fairtrade LIRP Uganda arabica, Oct 2022",
    ),
    LivingIncomeReference(
        "UG", 2022, Decimal(7150), "UGX", Decimal(1), Basis.GREEN,
        "Fairtrade LIRP Uganda robusta FAQ, Oct 2022", species=Species.ROBUSTA,
    ),
    LivingIncomeReference(
        "HN", 2023, Decimal("3.89"), "USD", Decimal(1), Basis.PARCHMENT,
        "Fairtrade LIRP Honduras, c. 2023 (dried parchment)",
    ),
)

DEMO_C_ANNUAL_CENTS: dict[int, Decimal] = {
    2016: Decimal(140), 2017: Decimal(140), 2018: Decimal(115), 2019: Decimal(105),
    2020: Decimal(110), 2021: Decimal(170), 2022: Decimal(210), 2023: Decimal(175),
    2024: Decimal(250), 2025: Decimal(370),
}
"""Approximate annual C levels (US cents/lb) for realistic demo data only."""

FARM_GATE_SHARE_BENCHMARKS: dict[str, Decimal] = {
    "BR": Decimal("0.92"), "GT": Decimal("0.87"), "CO": Decimal("0.82"),
    "HN": Decimal("0.75"), "PE": Decimal("0.71"), "ET": Decimal("0.53"),
}
"""Country average farm-gate share of FOB, 2007–2016 (Lerner et al., Sustainability 2021)."""


@dataclass(frozen=True)
class MonthlySeries:
    """Monthly market levels keyed by (year, month)."""

    months: dict[tuple[int, int], Decimal]

    def at(self, day: date) -> Decimal | None:
        """The month's level, or the latest earlier month's within a year; else ``None``."""
        for back in range(12):
            y, m = day.year, day.month - back
            while m < 1:
                y, m = y - 1, m + 12
            if (y, m) in self.months:
                return self.months[(y, m)]
        return None


@dataclass(frozen=True)
class CSeries(MonthlySeries):
    """Monthly ICE "C" (arabica, New York) levels, US cents/lb."""


@dataclass(frozen=True)
class LondonSeries(MonthlySeries):
    """Monthly ICE London robusta levels, USD per metric tonne (docs/domain.md: a robusta lot is
    compared with London, never with C)."""
