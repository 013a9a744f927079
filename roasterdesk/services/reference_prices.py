"""Reference prices from files: the monthly ICE "C" series (US cents/lb) and the ICE London
robusta series (USD per metric tonne).

A C series CSV or XLSX has a month (or date) column and a price column; a header row is
optional. Choices:

- Several rows in one month (a daily series) are averaged into that month's level.
- A series whose every value is below 20 is read as USD/lb and converted to cents (the C price
  has not been below 40 ¢/lb in decades); the report says so.

- London robusta is quoted in USD per tonne (``market="london"``); a series whose values are all
  below 100 is refused (USD/lb or cents, not tonnes): it is never rescaled by a guess.

Once stored, a lot's market price at fixation is filled from its contract date by the domain
(and marked *estimated*) wherever the lot records none: C for arabica, London for robusta.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain.words import plural
from ..errors import UserError
from .import_checks import Problem
from .parsing import column_mark, decimal_mark, parse_month_key, parse_number
from .tabular import read_rows

MONTH_HEADERS = ("month", "date", "period", "fecha", "mes", "time")
PRICE_HEADERS = ("price", "close", "settle", "settlement", "last", "value", "c", "kc",
                 "cents", "cents lb", "cents/lb", "c price", "us cents/lb", "precio",
                 "usd/t", "usd per tonne", "london", "rc", "robusta")
PRICE_STEMS = ("cent", "price", "settle", "close", "usd")
MARKETS = {"c": "C prices", "london": "London robusta prices"}
HEADER_SEARCH = 5  # rows in which a header is looked for (a title may sit above it)


@dataclass
class CPriceImport:
    source: str
    market: str = "c"
    months: dict[tuple[int, int], Decimal] = field(default_factory=dict)
    days: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.months) and not self.problems

    def report(self) -> str:
        lines = [f"{MARKETS[self.market]} from {self.source}: "
                 f"{plural(len(self.months), 'month')} from {plural(self.days, 'row')}"]
        if self.months:
            first, last = min(self.months), max(self.months)
            lines.append(f"  {first[0]}-{first[1]:02d} … {last[0]}-{last[1]:02d}")
        lines += [f"  {n}" for n in self.notes]
        lines += [f"  ERROR {p}" for p in self.problems]
        return "\n".join(lines)


def _columns(header: list[str]) -> tuple[int, int] | None:
    names = [h.strip().lower() for h in header]
    month = next((i for i, h in enumerate(names) if h in MONTH_HEADERS), None)
    price = next((i for i, h in enumerate(names) if h in PRICE_HEADERS
                  or any(stem in h for stem in PRICE_STEMS)), None)
    if month is None or price is None:
        return None
    return month, price


def read_c_prices(path: Path | str, market: str = "c") -> CPriceImport:
    """``market``: ``"c"`` (US cents/lb) or ``"london"`` (robusta, USD per tonne)."""
    if market not in MARKETS:
        raise UserError(f"unknown market {market!r}: c or london")
    path = Path(path)
    rows, notes = read_rows(path)
    result = CPriceImport(path.name, market, notes=list(notes))
    body = [(n, c) for n, c in rows if any(x.strip() for x in c)]
    if not body:
        raise UserError(f"{path.name} is empty")
    # the header is the first of the first rows that names a month and a price column; rows
    # above it are a title, not prices
    found = next(((n, c) for n, (_l, cells) in enumerate(body[:HEADER_SEARCH])
                  if (c := _columns(cells)) is not None), None)
    if found is not None:
        first, cols = found
        if first:
            result.notes.append(f"{first} row{'s' * (first > 1)} above the header (line "
                                f"{body[first][0]}) read as a title and left out")
        header_line = body[first][0]
        body = body[first + 1:]
    else:
        cols, header_line = (0, 1), body[0][0]
    mi, pi = cols

    def price_of(cells: list[str]) -> str:
        return (cells[pi] if pi < len(cells) else "").replace("¢", "")

    # numbers by the column's own decimal mark, as an import reads them ("4.812,50" and "5.120"
    # in one column: 5,120), never a guess for a value that reads two ways
    mark, mixed = column_mark(price_of(cells) for _l, cells in body)
    if mixed:
        result.problems.append(Problem(header_line, "price", "the price column mixes decimal "
                                       "points and decimal commas: write one convention"))
        return result
    sums: dict[tuple[int, int], list[Decimal]] = {}
    for line, cells in body:
        month_text = cells[mi] if mi < len(cells) else ""
        price_text = price_of(cells)
        try:
            key = parse_month_key(month_text)
        except ValueError as exc:
            result.problems.append(Problem(line, "month", str(exc)))
            continue
        try:
            with decimal_mark(mark):
                value = parse_number(price_text)
        except ValueError as exc:
            result.problems.append(Problem(line, "price", str(exc)))
            continue
        if value <= 0:
            result.problems.append(Problem(line, "price", "a market price must be positive"))
            continue
        if market == "london" and value < 100:
            result.problems.append(Problem(line, "price", f"{price_text.strip()} is not a London "
                                           "robusta price in USD per tonne (about 1,000–6,000)"))
            continue
        sums.setdefault(key, []).append(value)
        result.days += 1
    scale = Decimal(1)
    if market == "c" and sums and all(v < 20 for vs in sums.values() for v in vs):
        scale = Decimal(100)
        result.notes.append("values below 20 read as USD/lb and converted to US cents/lb")
    for key, values in sorted(sums.items()):
        avg = sum(values, Decimal(0)) / len(values) * scale
        result.months[key] = avg.quantize(Decimal("0.01"))
    if any(len(v) > 1 for v in sums.values()):
        result.notes.append("several rows in a month averaged into one monthly level")
    if not sums and not result.problems:
        result.problems.append(Problem(0, "", "no month and price found"))
    return result


def import_c_prices(store: Any, path: Path | str, *, dry_run: bool = False,
                    market: str = "c") -> CPriceImport:
    """Read the series and (unless ``dry_run`` or it has problems) store it in one transaction."""
    result = read_c_prices(path, market)
    if result.ok and not dry_run:
        if market == "london":
            store.set_london_prices(result.months)
        else:
            store.set_c_prices(result.months)
    return result
