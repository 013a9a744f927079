"""Display rounding (docs/domain.md: only for display; half-up).

USD amounts to cents, USD/lb to 4 decimals, percentages to 0.1. Calculations keep full precision;
these helpers are called by the UI and the PDF at the last moment.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
PER_LB = Decimal("0.0001")
TENTH = Decimal("0.1")


def round_usd(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_per_lb(value: Decimal) -> Decimal:
    return value.quantize(PER_LB, rounding=ROUND_HALF_UP)


def round_pct(fraction: Decimal) -> Decimal:
    """A fraction (0.651…) as a percentage rounded to 0.1 (65.1)."""
    return (fraction * 100).quantize(TENTH, rounding=ROUND_HALF_UP)


def round_places(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half-up to ``places`` decimals (2.345, 2 → 2.35)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_number(value: Decimal, places: int) -> str:
    """``value`` rounded half-up to ``places`` decimals, with thousands separators:
    ``12500.125, 2`` → ``'12,500.13'``."""
    return f"{round_places(value, places):,.{places}f}"


def fmt_usd(value: Decimal | None, missing: str = "not recorded") -> str:
    """``14660.74`` → ``'USD 14,660.74'``."""
    if value is None:
        return missing
    return f"USD {round_usd(value):,.2f}"


def fmt_usd_lb(value: Decimal | None, missing: str = "not recorded") -> str:
    if value is None:
        return missing
    return f"{round_per_lb(value):,.4f} USD/lb"


def fmt_pct(fraction: Decimal | None, missing: str = "not recorded") -> str:
    if fraction is None:
        return missing
    return f"{round_pct(fraction):,.1f} %"


def fmt_kg(value: Decimal) -> str:
    """A weight in kg as recorded, to at most 2 decimals, without trailing zeros:
    ``1400`` → ``'1,400'``, ``1399.50`` → ``'1,399.5'``, ``299.3709642`` → ``'299.37'``."""
    text = f"{round_places(value, 2):,.2f}"
    return text.rstrip("0").rstrip(".")
