"""Reading a harvest cell: "2024", "2014/15", "08/09 crop", "Oct 2023", "Fall 2023".

Crop words ("crop", "harvest", "cosecha", "safra" …) are dropped. A month or a season (English,
Spanish, Portuguese) is read by the origin's harvest calendar: the harvest whose crop year holds
it (:func:`domain.harvest.harvest_of_month`), seasons by the origin's hemisphere. Any other word,
a season spanning two crop years, or an origin whose calendar is not known is an error asking
for the harvest year: never a guess.
"""

from __future__ import annotations

import calendar
import re
from contextvars import ContextVar, Token

from ..domain.harvest import USUAL_HARVEST, harvest_name, harvest_of_month, parse_harvest

__all__ = ["harvest_reading", "parse_harvest_year", "reset_origin", "set_origin"]

# Words a harvest cell may hold besides its year: crop words (dropped), months and seasons
# (English, Spanish, Portuguese). Any other word is an error, never ignored.
_CROP_WORDS = frozenset({"crop", "harvest", "cosecha", "safra", "season", "year", "ano", "año",
                         "colheita", "zafra", "temporada", "main", "principal", "de", "del",
                         "of", "the"})
_HARVEST_MONTHS = {
    **{m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june",
                                   "july", "august", "september", "october", "november",
                                   "december"), 1)},
    **{m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug",
                                   "sep", "oct", "nov", "dec"), 1)},
    "sept": 9,
}
_SEASONS = {  # season → (months in the northern hemisphere, in the southern)
    "spring": ((3, 4, 5), (9, 10, 11)), "primavera": ((3, 4, 5), (9, 10, 11)),
    "summer": ((6, 7, 8), (12, 1, 2)), "verano": ((6, 7, 8), (12, 1, 2)),
    "verao": ((6, 7, 8), (12, 1, 2)), "verão": ((6, 7, 8), (12, 1, 2)),
    "fall": ((9, 10, 11), (3, 4, 5)), "autumn": ((9, 10, 11), (3, 4, 5)),
    "otoño": ((9, 10, 11), (3, 4, 5)), "otono": ((9, 10, 11), (3, 4, 5)),
    "outono": ((9, 10, 11), (3, 4, 5)),
    "winter": ((12, 1, 2), (6, 7, 8)), "invierno": ((12, 1, 2), (6, 7, 8)),
    "inverno": ((12, 1, 2), (6, 7, 8)),
}
# The producer country of the row being read (None outside an import; "" when the row names
# none): a harvest given as a month or season is read by that origin's harvest calendar.
_ORIGIN: ContextVar[str | None] = ContextVar("harvest_origin", default=None)


def set_origin(country: str | None) -> Token[str | None]:
    """Read harvests as a row whose producer country is ``country``; undo with
    :func:`reset_origin`."""
    return _ORIGIN.set(country)


def reset_origin(token: Token[str | None]) -> None:
    _ORIGIN.reset(token)


def _harvest_month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if w in _HARVEST_MONTHS:
        return _HARVEST_MONTHS[w]
    from .parsing import _MONTH_WORDS  # Spanish and Portuguese month names

    spanish = _MONTH_WORDS.get(w)
    return _HARVEST_MONTHS[spanish] if spanish else None


def harvest_reading(text: str) -> tuple[int, str]:
    """The harvest (end year) of a harvest cell and, when it was read from a month or season,
    how ("'Oct 2023': Colombia's harvest starts in October, so the crop year 2023/24").

    Crop words are dropped; a month or season is read by the origin's harvest calendar
    (:func:`domain.harvest.harvest_of_month`); any other word, a season that spans two crop
    years, or an origin whose calendar is not known is an error asking for the year.
    """
    raw = text.strip()
    if re.fullmatch(r"\d{4}\.0+", raw):  # a year typed into a number cell
        raw = raw.split(".")[0]
    words = re.findall(r"[^\W\d_]+\.?", raw)
    rest = raw
    months: tuple[int, ...] = ()
    said = ""
    for word in words:
        w = word.lower().rstrip(".")
        rest = rest.replace(word, " ", 1)
        if w in _CROP_WORDS:
            continue
        month = _harvest_month(w)
        season = _SEASONS.get(w)
        if (month or season) and not months:
            said = word.rstrip(".")
            months = (month,) if month else ()
            if season:
                months = season[0]  # hemisphere chosen below, once the origin is known
                said = word
            continue
        raise ValueError(f"{raw!r}: {word.rstrip('.')!r} is not a month, a season or a crop "
                         "word (give the harvest as 2023 or 2022/23)")
    rest = " ".join(rest.split())
    m = re.fullmatch(r"(\d{2})\s*[/-]\s*(\d{2})", rest)  # "08/09": two-digit years
    if m:
        rest = f"{19 if int(m.group(1)) > 50 else 20}{m.group(1)}/{m.group(2)}"
    if not months:
        return parse_harvest(rest or raw), ""
    if not re.fullmatch(r"\d{4}", rest):
        raise ValueError(f"{raw!r}: a month or season goes with one calendar year "
                         "(e.g. Oct 2023)")
    year = int(rest)
    origin = (_ORIGIN.get() or "").strip().upper()
    season = _SEASONS.get(said.lower())
    usual = USUAL_HARVEST.get(origin)
    if usual is None:
        where = f"for {origin}" if origin else "without the producer's country"
        raise ValueError(f"{raw!r}: which harvest a month or season belongs to depends on the "
                         f"origin's harvest calendar, not known {where}; give the harvest "
                         "year (e.g. 2023 or 2022/23)")
    if season:
        months = season[0] if usual[2] == "N" else season[1]
        if months[0] > months[-1]:
            raise ValueError(f"{raw!r}: this season runs across the new year there (December "
                             "to February), so it may mean the start or the end of "
                             f"{year}; give the harvest year")
    dated = [(year, mo) for mo in months]
    found = {harvest_of_month(y, mo, origin) for y, mo in dated}
    if len(found) > 1:
        names = " and ".join(harvest_name(h, origin) for h in sorted(found))
        raise ValueError(f"{raw!r} spans the harvests {names} of this origin; give the "
                         "harvest year")
    harvest = found.pop()
    start = calendar.month_name[usual[0]]
    return parse_harvest(harvest), (f"{raw!r} read as harvest {harvest_name(harvest, origin)}: "
                                    f"in {origin} the crop year starts in {start}")


def parse_harvest_year(text: str) -> int:
    """ "2024", "2014/15", "08/09 crop", "Oct 2023", "Fall 2009" → the harvest's (end) year."""
    return harvest_reading(text)[0]
