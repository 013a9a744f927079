"""What a coffee figure can plausibly be: the ranges every import and editor checks against.

Written once here, so a spreadsheet, the lot editor and the import report agree. A value outside
an ``error`` range is refused; outside the ``usual`` range it is accepted with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


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
