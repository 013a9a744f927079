"""What a coffee figure can plausibly be: the ranges every import and editor checks against.

Written once here, so a spreadsheet, the lot editor and the import report agree. A value outside
an ``error`` range is refused; outside the ``usual`` range it is accepted with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .harvest import harvest_name, harvest_start, spans_new_year
from .model import Species
from .money import round_pct, round_per_lb, round_places
from .units import DEFAULT_KG_PER_KG_GREEN, LB_KG, Basis, usd_tonne_to_usd_lb


@dataclass(frozen=True)
class Range:
    what: str
    unit: str
    low: Decimal
    high: Decimal
    usual_low: Decimal | None = None
    usual_high: Decimal | None = None
    whole: bool = False

    def check(self, value: Decimal | int) -> tuple[str, bool] | None:
        """None when plausible, else (reason, is_error)."""
        v = Decimal(value)
        u = f" {self.unit}" if self.unit else ""
        if self.whole and v != v.to_integral_value():
            return f"{self.what} {v}{u} is not a whole number", True
        if not self.low <= v <= self.high:
            return (f"{self.what} {v}{u} is outside {self.low}–{self.high}{u}", True)
        lo = self.usual_low if self.usual_low is not None else self.low
        hi = self.usual_high if self.usual_high is not None else self.high
        if not lo <= v <= hi:
            return (f"{self.what} {v}{u} is unusual (usually {lo}–{hi}{u})", False)
        return None


ALTITUDE_M = Range("altitude", "m", Decimal(0), Decimal(3000), whole=True)
MOISTURE_PCT = Range("moisture", "%", Decimal(6), Decimal(20))
CUP_SCORE = Range("cup score", "", Decimal(0), Decimal(100), Decimal(60), Decimal(100))
BAG_KG = Range("bag weight", "kg", Decimal(1), Decimal(100))


def positive(what: str, value: Decimal | int) -> tuple[str, bool] | None:
    """Weights, prices and counts must be more than 0."""
    if Decimal(value) <= 0:
        return f"{what} must be more than 0 (not {value})", True
    return None


def moisture(value: Decimal) -> tuple[str, bool] | None:
    """0 % is how many sheets say "not measured": the caller records nothing, with a warning."""
    if value == 0:
        return "moisture 0 % read as not recorded", False
    return MOISTURE_PCT.check(value)


# -- prices ---------------------------------------------------------------------------------
# ICE "C" (arabica, New York) is quoted in US cents per lb. It has traded between about 41.5
# ¢/lb (2001) and about 440 ¢/lb (2025); 30–1,000 leaves room for a new extreme while it
# still refuses the two slips a sheet makes: a price in USD/lb (2.0015 for 200.15 ¢/lb) and a
# London robusta price in USD per tonne (4,400 USD/t ≈ 199.6 ¢/lb).
C_CENTS_LB = Range("C price", "¢/lb", Decimal(30), Decimal(1000))
# ICE robusta (London) is quoted in USD per tonne; it has traded between about 700 and 5,800.
LONDON_USD_T = Range("London robusta price", "USD/t", Decimal(500), Decimal(10000))


def c_price(value: Decimal) -> tuple[str, bool] | None:
    """A C price (¢/lb) outside :data:`C_CENTS_LB` is an error naming the unit it looks like."""
    bad = C_CENTS_LB.check(value)
    if bad is None:
        return None
    v = Decimal(value)
    if 0 < v < C_CENTS_LB.low and C_CENTS_LB.check(v * 100) is None:
        return f"{bad[0]}: {v} looks like USD/lb: {_tidy(v * 100)} ¢/lb?", True
    if v > C_CENTS_LB.high and LONDON_USD_T.check(v) is None:
        as_cents = round_places(usd_tonne_to_usd_lb(v) * 100, 2)
        return (f"{bad[0]}: {v} looks like a London robusta price in USD/t ({as_cents} ¢/lb; "
                "a robusta lot compares with London, not C)", True)
    return bad


FOB_USUAL_HIGH_USD_LB = Decimal(100)
"""Above this an FOB is worth a look: auction lots sell for more, but a price in US cents per
lb read as dollars (410 for 4.10 USD/lb) lands here."""
FOB_USUAL_LOW_USD_LB = Decimal("0.5")
"""Below this an FOB is worth a look: C has not been under 0.5 USD/lb since 2002, but dollars
in a column headed in cents (4.10 read as 4.10 ¢/lb) land here."""


def fob_price(usd_lb: Decimal) -> tuple[str, bool] | None:
    """An FOB (USD/lb) must be more than 0; above :data:`FOB_USUAL_HIGH_USD_LB` it is a warning
    asking whether it is in cents, below :data:`FOB_USUAL_LOW_USD_LB` whether it is dollars
    read as cents."""
    v = Decimal(usd_lb)
    bad = positive("a price", v)
    if bad is not None:
        return bad
    if v > FOB_USUAL_HIGH_USD_LB:
        return (f"FOB {round_places(v, 2)} USD/lb is unusual (an auction lot's, or a price in US "
                f"cents per lb: {round_places(v / 100, 4)} USD/lb?)", False)
    if v < FOB_USUAL_LOW_USD_LB:
        return (f"FOB {round_places(v, 4)} USD/lb is unusual (a price in dollars read as cents: "
                f"{round_places(v * 100, 2)} USD/lb?)", False)
    return None


def c_price_market(species: Species | None) -> str | None:
    """A C price (or a fixation against C) on a robusta lot: ICE C is the arabica market; a
    robusta lot compares with London (USD/t), never with C (docs/domain.md "Robusta
    market"); its market price is London's at the contract date (the reference prices)."""
    if species is not Species.ROBUSTA:
        return None
    return ("a robusta lot is compared with London (USD/t), never with ICE C (arabica): leave "
            "its C price out (its market price is London's at the contract date, from the "
            "reference prices), or is the lot arabica?")


PRICE_SLACK_CENTS_LB = Decimal(1)
"""How far C + differential and the FOB may differ (rounding) before they contradict."""


def price_sum(c_cents_lb: Decimal, differential_cents_lb: Decimal, fob_usd_lb: Decimal,
              fob_said: str = "") -> str | None:
    """FOB = C + differential (docs/domain.md "Prices and contracts"): when a lot records all
    three and they differ by more than :data:`PRICE_SLACK_CENTS_LB`, the sentence saying so
    (a statement would print them side by side). ``fob_said``: the FOB as the buyer wrote it
    ("7.60 USD/kg"), else it is shown in USD/lb."""
    total = c_cents_lb + differential_cents_lb
    fob_cents = fob_usd_lb * 100
    if abs(total - fob_cents) <= PRICE_SLACK_CENTS_LB:
        return None
    # a C weighted over fixations has many decimals: shown to 4 places, as a price per lb is
    return (f"C {_tidy(round_places(c_cents_lb, 4))} + differential "
            f"{_tidy(differential_cents_lb, sign=True)} = {_tidy(round_places(total, 4))} ¢/lb "
            f"but FOB {fob_said or f'{round_per_lb(fob_usd_lb)} USD/lb'} "
            f"is {round_places(fob_cents, 2)} ¢/lb")


def fob_per_lb_and_kg(fob_usd_lb: Decimal, fob_usd_kg: Decimal, lb_said: str = "",
                      kg_said: str = "") -> str | None:
    """One FOB written twice, per lb and per kg: they must be the same price (within
    :data:`PRICE_SLACK_CENTS_LB`, so a rounded conversion agrees); else the sentence saying
    so, with each as the buyer wrote it (``lb_said``, ``kg_said``)."""
    per_lb = fob_usd_kg * LB_KG
    if abs(per_lb - fob_usd_lb) * 100 <= PRICE_SLACK_CENTS_LB:
        return None
    return (f"FOB {lb_said or f'{round_per_lb(fob_usd_lb)} USD/lb'} and FOB "
            f"{kg_said or f'{fob_usd_kg} USD/kg'} (= {round_per_lb(per_lb)} USD/lb) are not "
            "the same price")


FR_RANGE = (Decimal(60), Decimal(150))
"""Where a Colombian *factor de rendimiento* lies (kg dry parchment per 70 kg excelso; 94 the
reference): a number there written as an outturn is an FR, never 94 kg per kg green."""


def outturn(factor: Decimal, basis: Basis) -> str | None:
    """An outturn (kg of ``basis`` per kg green) that cannot be one, and why; None when it can.
    At least 1 (green is what is left); at most 20; an FR written as an outturn is named with
    what it would be (94 → 94/70 = 1.343); a price of green coffee has an outturn of 1."""
    usual = f"the usual for {basis.label}: {DEFAULT_KG_PER_KG_GREEN[basis]}"
    if basis is Basis.GREEN and factor != 1:
        return f"a price of green coffee has an outturn of 1, not {_tidy(factor)}"
    if factor < 1:
        return f"kg of {basis.label} per kg green is at least 1, not {_tidy(factor)} ({usual})"
    if basis is Basis.PARCHMENT and FR_RANGE[0] <= factor <= FR_RANGE[1]:
        return (f"{_tidy(factor)} kg dry parchment per kg green is not an outturn; as a factor "
                f"de rendimiento (kg parchment per 70 kg excelso) it is {_tidy(factor)}/70 = "
                f"{round_places(factor / 70, 3)}: write 'FR {_tidy(factor)}', or use a "
                "'Factor de rendimiento' column")
    if factor > 20:
        return f"{_tidy(factor)} kg per kg green is not an outturn ({usual})"
    return None


def farm_gate_over_fob(farm_gate_usd_lb: Decimal, fob_usd_lb: Decimal) -> str | None:
    """A farm-gate price (USD/lb green) above the FOB: the share of FOB would pass 100 % and
    the exporter's remainder go negative; most often a unit, basis, outturn or exchange rate
    read wrong."""
    if farm_gate_usd_lb <= fob_usd_lb:
        return None
    return (f"farm gate {round_per_lb(farm_gate_usd_lb)} USD/lb green is above the FOB "
            f"{round_per_lb(fob_usd_lb)} USD/lb ({round_pct(farm_gate_usd_lb / fob_usd_lb)} % "
            "of FOB): check its unit, basis, outturn and exchange rate")


# -- lots -----------------------------------------------------------------------------------
def bags_without_size(bags: int | None, bag_kg: Decimal | None,
                      weight_kg: Decimal | None = None) -> str | None:
    """A number of bags needs the bag size it counts (60, 69, 70 kg differ by origin) when it
    is what gives the lot's weight: the reason when it has none. With the weight recorded the
    bags are a count beside it (the weight gives every figure), never a bag size worked out
    from them."""
    if bags is None or bag_kg is not None or weight_kg is not None:
        return None
    return "a number of bags needs its bag size (e.g. 60, 69, 70 kg) or the lot's weight"


def weight_beside_bags(weight_kg: Decimal | None, bags: int | None,
                       bag_kg: Decimal | None) -> str | None:
    """A weight and a bag count with its size that do not agree: a statement prints both, so
    the difference is worth a look. The weight gives every figure.

    Choice: net weights differ from bags × nominal size (tare, moisture, samples drawn), so
    only a difference beyond the larger of half a bag and 2 % is named (19,200 kg beside 274
    bags of 70 kg, 19,180 kg, is not; 1,380 kg beside 20 bags of 69 kg, 1,380 kg, neither)."""
    if weight_kg is None or not bags or bag_kg is None:
        return None
    nominal = bags * bag_kg
    if abs(weight_kg - nominal) <= max(bag_kg / 2, nominal / 50):
        return None
    return (f"weight {_tidy(weight_kg)} kg is not {bags} bags × {_tidy(bag_kg)} kg = "
            f"{_tidy(bags * bag_kg)} kg (a statement prints both; the weight gives every "
            "figure): correct the one that is wrong")


def fixations_over_weight(fixed_kg: Decimal, weight_kg: Decimal | None) -> str | None:
    """Fixations that fix more kg than the lot weighs: an error (which is wrong, the volumes or
    the weight, is the buyer's to say; the price of the kg beyond would be invented)."""
    if weight_kg is None or fixed_kg <= weight_kg:
        return None
    return f"fixations total {_tidy(fixed_kg)} kg, more than the lot's {_tidy(weight_kg)} kg"


CROP_YEARS_BEFORE = 2
"""A lot contracted more than this many crop years after its harvest ended is worth a look."""


def harvest_far_from_contract(harvest: int, contract: date, country: str = "",
                              months: tuple[int, ...] = ()) -> str | None:
    """A harvest (its end year) that ended more than :data:`CROP_YEARS_BEFORE` years before the
    contract date, or that starts after it (by the origin's calendar; without one, a harvest
    ending two years after the contract year): '08/09 crop' read as 2008/09 for a 2024
    contract, or a forward contract worth confirming."""
    name = harvest_name(harvest, country, months)
    if contract.year - harvest > CROP_YEARS_BEFORE:
        return (f"harvest {name} ended {contract.year - harvest} years before the contract date "
                f"{contract.isoformat()}: is it the right harvest?")
    month = harvest_start(country, months)
    if month is None:
        starts = date(harvest - 1, 1, 1)
    else:
        starts = date(harvest - 1 if spans_new_year(country, months) else harvest, month, 1)
    if starts > contract:
        return (f"harvest {name} starts after the contract date {contract.isoformat()}: a "
                "forward contract, or is it the right harvest?")
    return None


def _tidy(value: Decimal, sign: bool = False) -> str:
    """A figure as written, without trailing zeros (200.1500 → 200.15, 250 → +250)."""
    text = format(value.normalize(), "f")
    return f"+{text}" if sign and value > 0 else text
