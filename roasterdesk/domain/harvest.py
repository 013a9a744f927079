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


# The usual main-harvest months of origins whose calendar DOMAIN.md names (first month, last
# month) and the hemisphere their seasons follow ("N" / "S"). An origin not listed has no usual
# calendar here: a harvest given as a month or a season there is ambiguous, never guessed.
USUAL_HARVEST: dict[str, tuple[int, int, str]] = {
    "CO": (10, 1, "N"),  # main crop across the new year
    **dict.fromkeys(("GT", "HN", "SV", "NI", "CR", "PA", "MX"), (11, 3, "N")),  # Central America
    "ET": (10, 1, "N"), "KE": (10, 1, "S"), "VN": (11, 1, "N"),
    "BR": (5, 9, "S"), "PE": (4, 9, "S"), "RW": (3, 7, "S"), "BI": (3, 7, "S"),
}


def harvest_of_month(year: int, month: int, country: str = "",
                     months: tuple[int, ...] | list[int] = ()) -> int:
    """The harvest (its end year) whose crop year holds ``month`` of ``year``: a crop year runs
    twelve months from the first month of the harvest. The producer's harvest months decide
    when recorded, else the country's usual calendar; with neither it is a ValueError.

    >>> harvest_of_month(2023, 10, "CO"), harvest_of_month(2023, 6, "BR")
    (2024, 2023)
    """
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1–12")
    start = harvest_start(country, months)
    if start is None:
        raise ValueError("the harvest calendar of this origin is not known")
    crop_start_year = year if month >= start else year - 1
    return crop_start_year + 1 if spans_new_year(country, months) else crop_start_year


def harvest_start(country: str = "", months: tuple[int, ...] | list[int] = ()) -> int | None:
    """The first month of the origin's main harvest (None when not known)."""
    ms = sorted({m for m in months if 1 <= m <= 12})
    if ms and len(ms) < 12:
        gaps = [((ms[(i + 1) % len(ms)] - m) % 12 or 12, i) for i, m in enumerate(ms)]
        _, last = max(gaps)
        return ms[(last + 1) % len(ms)]
    usual = USUAL_HARVEST.get(country.strip().upper())
    return usual[0] if usual else None
