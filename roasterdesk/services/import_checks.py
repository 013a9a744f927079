"""Reading one row of an import: every cell of every mapped column, with every problem named.

- Numbers follow their column's own convention: :func:`column_marks` looks at all the values of
  a column to find its decimal mark (or takes the one the mapping states); see
  :func:`parsing.parse_number` for how an ambiguous value is refused.
- Units come from the cell ("5000 ft") or, when the cell has none, from a mapped unit column
  ("unit of measurement": ft).
- A field may be mapped from several columns: the first non-empty one (in mapping order) counts.
- Plausibility comes from :mod:`roasterdesk.domain.plausibility`; each failing check is its own
  problem, so a row with three bad cells shows three.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any

from ..domain import plausibility as PL
from ..domain.units import LB_KG
from . import fields as FS
from . import parsing as P
from . import vocab
from .tabular import Table, unneutralise

MARK_NAMES = {".": "decimal point (1,234.5)", ",": "decimal comma (1.234,5)"}
MARK_WORDS = {".": ".", ",": ",", "point": ".", "comma": ",", "dot": ".",
              "decimal point": ".", "decimal comma": ","}
# unit column key -> the fields whose cells take that unit when they name none
UNIT_FIELDS = {"altitude_unit": ("altitude", "altitude_m", "producer_altitude"),
               "weight_unit": ("weight_kg", "bag_kg")}
_ALT_UNITS = {"m": "m", "masl": "m", "meters": "m", "metres": "m", "msnm": "m", "ft": "ft",
              "feet": "ft", "foot": "ft", "fasl": "ft", "pies": "ft", "pes": "ft"}
_MASS_UNITS = {"kg": "kg", "kgs": "kg", "kilos": "kg", "kilograms": "kg", "lb": "lb",
               "lbs": "lb", "pounds": "lb", "libras": "lb"}


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    error: bool = True
    value: str = ""

    def __str__(self) -> str:
        col = f", column {self.column!r}" if self.column else ""
        val = f" ({self.value!r})" if self.value and self.value not in self.reason else ""
        return f"line {self.line}{col}{val}: {self.reason}"


def plural(n: int, word: str, words: str | None = None) -> str:
    """ "1 error", "2 errors", "1,311 rows"."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


Column = tuple[int, str, str]  # index, field key, header
# columns whose values have no decimal mark to infer: text, and dates ("Jan 10, 2025" is not
# a number with a decimal comma)
_NOT_NUMBERS = (FS.parse_text, P.parse_date)


def column_conventions(table: Table, columns: Sequence[Column],
                       specs: dict[str, FS.FieldSpec], declared_marks: dict[int, str],
                       declared_dates: dict[int, str],
                       ) -> tuple[dict[Column, tuple[str, bool]], dict[Column, tuple[str, bool]]]:
    """Each mapped number column's decimal mark ("." / "," / "?") and each date column's
    day/month order ("dmy" / "mdy" / "?"), with whether its values mix both, from all the
    values of the column (one reading of the file); a declared mark or order wins."""
    marks: dict[Column, tuple[str, bool]] = {}
    orders: dict[Column, tuple[str, bool]] = {}
    number_cols: dict[int, set[str]] = {}
    whole: dict[int, bool] = {}  # every field read from the column takes whole numbers
    date_cols: dict[int, set[str]] = {}
    for col in columns:
        i, key, _h = col
        parse = specs[key].parse
        if parse not in _NOT_NUMBERS and i not in declared_marks:
            number_cols.setdefault(i, set())
            whole[i] = whole.get(i, True) and parse in P.WHOLE_NUMBERS
        if parse is P.parse_date and i not in declared_dates:
            date_cols.setdefault(i, set())
    if number_cols or date_cols:
        numbers = [(i, seen, whole[i]) for i, seen in number_cols.items()]
        dates = list(date_cols.items())
        for _line, cells in table.rows:
            width = len(cells)
            for i, seen, whole_i in numbers:
                if i < width and len(seen) < 2:
                    P.mark_forms(cells[i], seen, whole_i)
            for i, seen in dates:
                if i < width and len(seen) < 2:
                    order = P.date_form(cells[i])
                    if order:
                        seen.add(order)
    for col in columns:
        i, key, _h = col
        parse = specs[key].parse
        if parse not in _NOT_NUMBERS:
            marks[col] = ((declared_marks[i], False) if i in declared_marks
                          else P.marks_shown(number_cols[i]))
        if parse is P.parse_date:
            orders[col] = ((declared_dates[i], False) if i in declared_dates
                           else P.orders_shown(date_cols[i]))
    return marks, orders


@lru_cache(maxsize=512)
def header_unit(key: str, header: str) -> str | None:
    """The unit a header names in brackets for a field that takes one ("Weight (lb)" → lb,
    "Altitude [ft]" → ft): the column's unit where a cell and a unit column name none, so a
    pound is never read as a kilogram."""
    if key in PRICE_FIELDS:
        for inner in FS.BRACKETED.findall(header):
            said = _price_unit(inner, "kg" if key == "fob_usd_kg" else "lb")
            if said:
                return said
        return None
    for ukey, targets in UNIT_FIELDS.items():
        if key in targets:
            table = _ALT_UNITS if ukey == "altitude_unit" else _MASS_UNITS
            for inner in FS.BRACKETED.findall(header):
                word = FS.fold(inner)
                if word in table:
                    return table[word]
    return None


PRICE_FIELDS = frozenset({"fob_usd_lb", "fob_usd_kg", "c_cents_lb", "differential_cents_lb"})
"""Prices whose header may name their unit ("FOB (US¢/lb)", "C price (USD/lb)")."""


def _price_unit(text: str, field_per: str) -> str | None:
    """The price unit a header's bracket names, as a cell would write it: "¢/lb", "USD/lb",
    "USD/kg"; None when it names none. A currency without a weight ("Price per kg (USD)") is
    per the field's own weight (``field_per``); a weight that is neither lb nor kg ("USD/qq",
    "USD/46 kg", "USD/t") is given as named, so that every cell of the column is refused with
    it rather than read per lb."""
    t = " ".join(text.lower().split())
    m = re.search(r"(?:/|\bper\b)\s*([^/()]+?)\s*$", t)
    said = m.group(1).strip() if m else ""
    per = ("kg" if said in ("kg", "kilo", "kilogram") else
           "lb" if said in ("lb", "lbs", "pound") else said)
    if re.search(r"¢|\bcents?\b|\bcts\b|\busc\b|\bc\s*/", t):
        return "¢/lb" if per in ("lb", "") else f"¢/{per}"  # cents per kg: refused in the cell
    if re.search(r"usd|us\$|\$", t):
        return f"USD/{per or field_per}"
    return None


def _unit_text(key: str, text: str) -> str:
    word = FS.fold(text)
    table = _ALT_UNITS if key == "altitude_unit" else _MASS_UNITS
    if word not in table:
        raise ValueError(f"{text.strip()!r} is not a unit ({', '.join(sorted(set(table)))})")
    return table[word]


def _positive(what: str) -> Callable[[Any], tuple[str, bool] | None]:
    return lambda v: PL.positive(what, v)


CHECKS: dict[str, Callable[[Any], tuple[str, bool] | None]] = {
    "weight_kg": _positive("a weight"),
    "bags": _positive("bags"),
    "bag_kg": PL.BAG_KG.check,
    "quality_score": PL.CUP_SCORE.check,
    "moisture_pct": PL.moisture,
    "fob_usd_lb": PL.fob_price,
    "fob_usd_kg": lambda v: PL.fob_price(Decimal(v) * LB_KG),
    "c_cents_lb": PL.c_price,
    "fg_amount": _positive("a farm-gate price"),
    "fg_fx": _positive("an exchange rate"),
    "area_ha": _positive("an area"),
}


_UNKNOWN = ("?", False)

# What sheets write for "no value" in a number, date or vocabulary cell: read as not recorded,
# with a warning naming the cell (never an error, never a value).
PLACEHOLDERS = frozenset({"#n/a", "n/a", "na", "#na", "-", "--", "—", "–", "tbd", "tba", "?",
                          "??", "n.a.", "n/d", "nd", "s/d", "#value!", "#ref!", "#div/0!",
                          "null", "none", "unknown", "desconocido", "pending"})
# Values that sheets write for "not measured" in a field where they would read as a fact:
# 0 % moisture, a cup score of 0 (a 0 score would print as a score), a C price of 0.
ZERO_NOT_RECORDED = {"moisture_pct": "moisture 0 %", "quality_score": "cup score 0",
                     "c_cents_lb": "C price 0"}


def is_placeholder(text: str) -> bool:
    return " ".join(text.lower().split()) in PLACEHOLDERS


_NOT_READ = object()
"""A cell that gives no value (a placeholder, an error, a 0 that means not measured)."""

MEMO_PER_COLUMN = 4096
"""Distinct values of a column whose readings are kept (:func:`read_row`'s ``cells_read``)."""


class _Memo(dict):  # type: ignore[type-arg]
    """What a column's values read as: (text, unit, origin) -> (value, what is said)."""

    looked = 0

    def get(self, key: Any, default: Any = None) -> Any:
        self.looked += 1
        return dict.get(self, key, default)

    def keep(self, key: Any, read: tuple[Any, Any]) -> bool:
        """Keep a reading; False when the column is not worth keeping: its value is a list
        (the rows could share and change it), or its values mostly differ (a lot code: after
        256 values, more than half of them new) or are too many."""
        n = len(self)
        if not _immutable(read[0]) or n >= MEMO_PER_COLUMN or (n >= 256 and 2 * n > self.looked):
            return False
        self[key] = read
        return True


CellsRead = dict[Column, Any]
"""Column -> its :class:`_Memo`, or None once not kept."""
_IMMUTABLE = (str, int, float, Decimal, date, type(None), Enum)


def _immutable(value: Any) -> bool:
    """A value several rows may share (a list or a record could be changed by one of them)."""
    if value is _NOT_READ or isinstance(value, _IMMUTABLE):
        return True
    return isinstance(value, tuple) and all(_immutable(v) for v in value)


def read_row(line: int, cells: list[str], columns: Sequence[Column],
             marks: dict[Column, tuple[str, bool]], specs: dict[str, FS.FieldSpec],
             defaults: dict[str, str], values_map: dict[str, dict[str, str]],
             orders: dict[Column, tuple[str, bool]] | None = None,
             cells_read: CellsRead | None = None,
             ) -> tuple[dict[str, Any], dict[str, str], list[Any], dict[str, str]]:
    """(values, raw texts, problems, header each field was read from) of one row.

    ``cells_read`` (one per reading of a file) remembers what each column's cells read as, so
    a value written on many rows (a country, a process, a bag size, a price) is parsed and
    checked once: the same text, unit and origin in the same column reads the same, with the
    same problems. A column whose values (nearly) all differ (a lot code) stops being kept at
    :data:`MEMO_PER_COLUMN` values: memory stays bounded by the columns, not the file."""
    raw: dict[str, str] = {}
    src: dict[str, Column] = {}
    for col in columns:
        i, key, _h = col
        if key in raw:
            continue  # an earlier column of the same field was not empty
        text = unneutralise(cells[i].strip()) if i < len(cells) else ""
        if text:
            raw[key], src[key] = text, col
    problems: list[Problem] = []
    units: dict[str, str] = {}
    for ukey, targets in UNIT_FIELDS.items():
        if ukey in raw:
            try:
                unit = _unit_text(ukey, raw.pop(ukey))
            except ValueError as exc:
                problems.append(Problem(line, src[ukey][2], str(exc), value=cells[src[ukey][0]]))
                continue
            units.update(dict.fromkeys(targets, unit))
    inline_size = _bags_of(raw, src, specs)
    values: dict[str, Any] = {}
    # the country first: a harvest given as a month or season is read by its calendar
    for key in sorted(raw, key=lambda k: k != "country"):
        text, col = raw[key], src[key]
        cell_unit = units.get(key)
        origin = values.get("country", "")
        memo = cells_read.get(col, _NOT_READ) if cells_read is not None else None
        if memo is _NOT_READ:
            memo = cells_read[col] = _Memo()  # type: ignore[index]
        read = memo.get((text, cell_unit, origin)) if memo is not None else None
        if read is None:
            read = _read_cell(key, col, text, cell_unit, origin, specs[key], values_map.get(key),
                              marks, orders)
            if memo is not None and not memo.keep((text, cell_unit, origin), read):
                cells_read[col] = None  # type: ignore[index]
        value, said = read
        for reason, error in said:
            problems.append(Problem(line, col[2], reason, error, value=text))
        if value is not _NOT_READ:
            values[key] = value
    if inline_size is not None and "bag_kg" in values:
        _same_bag_size(line, src, specs, inline_size, values["bag_kg"], problems)
    if "country" in values and "(" in raw["country"]:  # "United States (Hawaii)"
        region = vocab.country(raw["country"])[1]
        target = next((k for k in ("producer_region", "region") if k in specs), None)
        if region and target and target not in values:
            values[target] = raw[target] = region
    for key, text in defaults.items():
        if key not in raw and key in specs:
            raw[key] = text
            try:
                values[key] = specs[key].parse(text)
            except (ValueError, ArithmeticError) as exc:
                problems.append(Problem(line, specs[key].label, str(exc), value=text))
    return values, raw, problems, {k: c[2] for k, c in src.items()}



def _read_cell(key: str, col: Column, text: str, unit: str | None, origin: str,
               spec: FS.FieldSpec, mapping: dict[str, str] | None,
               marks: dict[Column, tuple[str, bool]],
               orders: dict[Column, tuple[str, bool]] | None,
               ) -> tuple[Any, tuple[tuple[str, bool], ...]]:
    """One cell's value (or :data:`_NOT_READ`) and what is said of it (reason, is an error):
    the same for the same text, unit and origin in the same column."""
    mapped = mapping.get(FS.fold(text)) if mapping else None
    parse_text = mapped if mapped is not None else text
    if mapped is None and spec.parse is not FS.parse_text and is_placeholder(text):
        return _NOT_READ, ((f"{text!r} read as not recorded", False),)
    unit = unit or header_unit(key, col[2])
    if unit and not P.has_unit(parse_text):
        parse_text = f"{parse_text} {unit}"
    said: list[tuple[str, bool]] = []
    # the column's decimal mark and date order, set without a context manager a cell
    tokens = P.set_reading(marks.get(col, _UNKNOWN)[0], (orders or {}).get(col, _UNKNOWN)[0])
    origin_token = P.set_origin(origin)
    try:
        if spec.parse is P.parse_harvest_year:
            value, how = P.harvest_reading(parse_text)
            if how:
                said.append((how, False))
        else:
            value = spec.parse(parse_text)
    except (ValueError, ArithmeticError) as exc:
        return _NOT_READ, ((str(exc), True),)
    finally:
        P.reset_reading(tokens)
        P.reset_origin(origin_token)
    if key in ZERO_NOT_RECORDED and value == 0:
        return _NOT_READ, ((f"{ZERO_NOT_RECORDED[key]} read as not recorded", False),)
    check = CHECKS.get(key)
    bad = check(value) if check and isinstance(value, (Decimal, int)) else None
    if bad:
        said.append(bad)
    return value, tuple(said)


BAGS_OF = re.compile(r"(\d[\d.,]*)\s*(?:bags?|sacks?|sacos?|sacas?)?\s*[x×*]\s*"
                     r"(\d+(?:[.,]\d+)?)\s*([a-z]*)\.?", re.IGNORECASE)
"""A bags cell that gives the bag size too, as offer lists write it: "275 x 69 kg", "20 × 70"."""


def _bags_of(raw: dict[str, str], src: dict[str, Column],
             specs: dict[str, FS.FieldSpec]) -> str | None:
    """Split a "275 x 69 kg" bags cell into its bags and its bag size (kg when it names no
    unit): the size fills the bag size when no column gives it (read as a cell of its own, the
    Bags column named in its problems). Returns the size text when the cell gave one."""
    text = raw.get("bags")
    m = BAGS_OF.fullmatch(text.strip()) if text and "bag_kg" in specs else None
    if m is None:
        return None
    size = f"{m[2]} {m[3] or 'kg'}"
    raw["bags"] = m[1]
    if "bag_kg" not in raw:
        col = src["bags"]
        raw["bag_kg"], src["bag_kg"] = size, (col[0], "bag_kg", col[2])
    return size


def _same_bag_size(line: int, src: dict[str, Column], specs: dict[str, FS.FieldSpec],
                   size: str, bag_kg: Any, problems: list[Problem]) -> None:
    """A bag size written in the bags cell and in a bag size column must agree."""
    if src["bag_kg"][0] == src["bags"][0]:
        return  # the size came from the bags cell itself
    try:
        inline = specs["bag_kg"].parse(size)
    except (ValueError, ArithmeticError):
        inline = None
    if inline != bag_kg:
        problems.append(Problem(line, src["bags"][2], f"the bags cell says bags of {size} but "
                                f"{src['bag_kg'][2]!r} says {bag_kg} kg: which is it?",
                                value=size))


def read_faults(table: Table, line: int) -> list[Problem]:
    """The problems the reading of the file found in this row (:attr:`Table.faults`): more
    cells than the header, a formula with no saved value."""
    out = []
    for i, reason, value in getattr(table, "faults", {}).get(line, ()):
        column = (table.headers[i] or f"#{i + 1}") if 0 <= i < len(table.headers) else ""
        if i >= len(table.headers):
            column = f"#{i + 1}"
        out.append(Problem(line, column, reason, value=value))
    return out


class CodeMaker:
    """Lot codes for a file that has none, in the app's pattern: CO-24-001 (country, harvest,
    number), skipping codes already stored."""

    def __init__(self, taken: dict[Any, int]) -> None:
        self.taken = {k for k in taken if isinstance(k, str)}
        self.counters: dict[str, int] = {}

    def next(self, country: str, harvest: int) -> str:
        prefix = f"{country}-{harvest % 100:02d}-"
        n = self.counters.get(prefix, 0)
        while True:
            n += 1
            code = f"{prefix}{n:03d}"
            if code not in self.taken:
                break
        self.counters[prefix] = n
        self.taken.add(code)
        return code
