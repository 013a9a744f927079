"""Harvests are named by the year in which they end: "2014/2015" and "2014/15" mean 2015."""

from __future__ import annotations

import re
from datetime import date

_SPLIT = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\s*$")
_SINGLE = re.compile(r"^\s*(\d{4})\s*$")

MIN_HARVEST = 1900
MAX_HARVEST = 2100


def parse_harvest(label: str | int) -> int:
    """The harvest year a label means.

    >>> parse_harvest("2014/15"), parse_harvest("2019/2020"), parse_harvest("2021")
    (2015, 2020, 2021)
    """
    if isinstance(label, int):
        year = label
    else:
        m = _SPLIT.match(label)
        if m:
            start = int(m.group(1))
            end_text = m.group(2)
            end = int(end_text) if len(end_text) == 4 else (start // 100) * 100 + int(end_text)
            if end < start:  # "1999/00"
                end += 100
            if end != start + 1:
                raise ValueError(f"harvest {label!r}: the second year must follow the first")
            year = end
        else:
            m = _SINGLE.match(label)
            if not m:
                raise ValueError(f"harvest {label!r}: expected a year like 2021 or 2020/21")
            year = int(m.group(1))
    if not MIN_HARVEST <= year <= MAX_HARVEST:
        raise ValueError(f"harvest {year} is outside {MIN_HARVEST}–{MAX_HARVEST}")
    return year


def harvest_label(year: int) -> str:
    """The two-year label a buyer reads: 2015 → "2014/15"."""
    return f"{year - 1}/{year % 100:02d}"


def current_harvest(today: date | None = None) -> int:
    """Choice: the harvest "now" is the calendar year (harvests are named by their end year)."""
    return (today or date.today()).year


# Origins whose main harvest runs across the new year ("2025/26") and origins whose main
# harvest falls within one calendar year ("2026"); docs/domain.md "Harvest labels". Other
# origins are named across the new year, as most arabica origins north of the equator are.
WITHIN_ONE_YEAR = frozenset({"BR", "PE", "BO", "RW", "BI", "ZW", "ZM", "MW", "PY"})


def spans_new_year(country: str = "", months: tuple[int, ...] | list[int] = ()) -> bool:
    """Whether the origin's main harvest runs across the new year: the producer's harvest
    months decide when recorded (the longest pause in the circle of months ends the harvest
    before it starts again), else the country's usual calendar."""
    ms = sorted({m for m in months if 1 <= m <= 12})
    if ms:
        if len(ms) == 12:
            return False
        gaps = [((ms[(i + 1) % len(ms)] - m) % 12 or 12, i) for i, m in enumerate(ms)]
        _, last = max(gaps)  # the harvest ends at ms[last] and starts at the month after
        return ms[(last + 1) % len(ms)] > ms[last]
    return country.strip().upper() not in WITHIN_ONE_YEAR


def harvest_name(year: int, country: str = "", months: tuple[int, ...] | list[int] = ()) -> str:
    """The one label of a harvest (stored as the year it ends) everywhere it is shown: "2025/26"
    where the origin's harvest runs across the new year, "2026" where it falls in one year.

    >>> harvest_name(2026, "CO"), harvest_name(2026, "BR"), harvest_name(2026, "", (5, 6, 7))
    ('2025/26', '2026', '2026')
    """
    return harvest_label(year) if spans_new_year(country, months) else str(year)
