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
