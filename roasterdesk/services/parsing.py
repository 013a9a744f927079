"""Parsers for the values real buyer spreadsheets hold.

Each parser takes the cell text and returns a value or raises ``ValueError`` whose text is the
reason shown to the user ("'12 kg' is not a percentage"). Choices:

- Thousands and decimal separators: when both ``,`` and ``.`` occur, the last one is the decimal
  mark ("1.234,5" and "1,234.5" are both 1234.5). A lone ``,`` is a decimal comma ("84,5"),
  unless it is followed by exactly three digits ("1,750"), which reads as a thousands separator.
  A lone ``.`` is a decimal point, except in whole-number fields (altitude, bags), where "1.750"
  is 1750. In an import a whole-number value both readings leave whole ("1.000": 1 or 1,000
  bags) is asked, unless the column shows its mark (a "1.750" there says "." groups
  thousands).
- Percentages: "12 %", "12" and "0.12" (a spreadsheet cell formatted as percent) all mean 12 %.
- Altitude: metres above sea level; feet are converted (1 ft = 0.3048 m exactly), rounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from ..domain.plausibility import ALTITUDE_M
from ..domain.units import LB_KG
from .harvest_cells import harvest_reading as harvest_reading
from .harvest_cells import parse_harvest_year as parse_harvest_year
from .harvest_cells import reset_origin as reset_origin
from .harvest_cells import set_origin as set_origin

FT_M = Decimal("0.3048")

_SPACES = re.compile(r"[\s\u00a0\u202f']+")


def tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without going to exponent form: 1.5E+3 → 1500, 11.500 → 11.5."""
    return Decimal(format(value.normalize(), "f"))


def clean(text: object) -> str:
    """A cell as trimmed text ('' for None)."""
    if text is None:
        return ""
    return str(text).strip()


# The decimal mark of the column being read: None outside an import (each value read on its own,
# as described above); "." or "," when the column's values showed it; "?" when they did not.
_MARK: ContextVar[str | None] = ContextVar("decimal_mark", default=None)


@contextmanager
def decimal_mark(mark: str | None) -> Iterator[None]:
    """Read numbers as a column whose decimal mark is ``mark`` ("." / "," / "?" = unknown)."""
    token = _MARK.set(mark)
    try:
        yield
    finally:
        _MARK.reset(token)


def set_reading(mark: str | None, order: str | None) -> tuple[Token[str | None], ...]:
    """:func:`decimal_mark` and :func:`date_order` at once, without a context manager (an
    import sets them for every cell); undo with :func:`reset_reading`."""
    return _MARK.set(mark), _DATE_ORDER.set(order)


def reset_reading(tokens: tuple[Token[str | None], ...]) -> None:
    _MARK.reset(tokens[0])
    _DATE_ORDER.reset(tokens[1])


_NUM_TOKEN = re.compile(r"\d[\d.,]*")


def number_form(raw: str, whole: bool = False) -> str | None:
    """What a number's text shows: "." or "," (its decimal mark), "ambiguous" ("19.200",
    "1,750": a decimal or a thousands separator), "bad" (marks no number has: "85.5.0",
    "1,2.5"), or None (no separator). In a whole-number field (``whole``) a separator followed
    by three digits that are not all zeros ("1.750" bags) groups thousands, the field refusing
    the fraction; "1.000" (1 or 1,000, both whole) stays ambiguous."""
    has_c, has_d = "," in raw, "." in raw
    if has_c and has_d:
        mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        return mark if _plain(raw, mark) is not None else "bad"
    if not (has_c or has_d):
        return None
    sep = "," if has_c else "."
    other = "." if sep == "," else ","
    parts = raw.lstrip("-+").split(sep)
    if len(parts) > 2:
        # "1.234.567": the separator groups thousands; "85.5.0" is no number
        return other if _plain(raw, other) is not None else "bad"
    head, tail = parts
    if len(tail) == 3 and head.isdigit() and 1 <= len(head) <= 3 and head != "0":
        return other if whole and tail != "000" else "ambiguous"
    return sep


def _plain(raw: str, mark: str) -> str | None:
    """``raw`` with decimal mark ``mark`` as plain digits ("1.234,5" → "1234.5"), or None when
    its marks cannot be read that way: more than one decimal mark, or thousands separators
    that do not group three digits ("85.5.0", "1,2.5")."""
    thousands = "," if mark == "." else "."
    whole, _sep, frac = raw.partition(mark)
    if mark in frac or thousands in frac:
        return None
    if thousands in whole:
        groups = whole.lstrip("-").split(thousands)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        whole = whole.replace(thousands, "")
    return f"{whole}.{frac}" if _sep else whole


def column_mark(texts: Iterable[str]) -> tuple[str, bool]:
    """The decimal mark a column's values show ("." / ",", or "?" when none shows one) and
    whether they contradict each other (some show "." and some ",")."""
    seen: set[str] = set()
    for text in texts:
        mark_forms(text, seen)
    return marks_shown(seen)


def mark_forms(text: str, seen: set[str], whole: bool = False) -> None:
    """Add to ``seen`` the decimal marks ("." / ",") the numbers of ``text`` show (``whole``:
    a whole-number field, :func:`number_form`)."""
    for token in _NUM_TOKEN.findall(_SPACES.sub("", text)):
        form = number_form(token.rstrip(".,"), whole)
        if form in (".", ","):
            seen.add(form)


def marks_shown(seen: set[str]) -> tuple[str, bool]:
    """:func:`column_mark`'s answer from the marks a column's values show."""
    if len(seen) == 1:
        return next(iter(seen)), False
    return "?", len(seen) == 2


def _mark_name(mark: str) -> str:
    return "decimal comma" if mark == "," else "decimal point"


def parse_number(text: str, *, whole: bool = False) -> Decimal:
    """A number with any common thousands/decimal separators ("1,750", "84,25", "1.234,5").

    Inside an import the column's decimal mark decides (:func:`decimal_mark`): a value that
    contradicts it, or an ambiguous one ("19.200") in a column that shows no mark, is an error
    rather than a guess. Choice: in a whole-number field an ambiguous value reads as thousands,
    since its other reading would be a fraction the field refuses anyway.
    """
    raw = _SPACES.sub("", text.strip())
    if raw.startswith("+"):
        raw = raw[1:]
    if not raw:
        raise ValueError("is empty")
    mark = _MARK.get()
    form: str | None = None
    if mark is not None and re.fullmatch(r"-?[\d.,]+", raw):
        form = number_form(raw, whole)
        if form == "bad":
            raise ValueError(f"{text.strip()!r} is not a number")
        if form == "ambiguous":
            if mark in (".", ","):
                form = mark
            else:
                alt_a = raw.replace(",", ".")
                alt_b = raw.replace(",", "").replace(".", "")
                raise ValueError(
                    f"{text.strip()!r} reads as {tidy(Decimal(alt_a))} or {Decimal(alt_b)}: "
                    "the column shows no decimal mark; say which it uses (decimal point or "
                    "comma) in the mapping")
        elif form in (".", ",") and mark in (".", ",") and form != mark:
            raise ValueError(f"{text.strip()!r} does not follow the column's {_mark_name(mark)}")
    elif "," in raw and "." in raw:
        form = "," if raw.rfind(",") > raw.rfind(".") else "."
    elif "," in raw:
        parts = raw.split(",")
        thousands = len(parts) > 2 or (len(parts[1]) == 3 and parts[0].lstrip("-").isdigit())
        form = "." if thousands else ","
    elif "." in raw:
        thousands = raw.count(".") > 1 or bool(whole and re.fullmatch(r"-?\d{1,3}\.\d{3}", raw))
        form = "," if thousands else "."
    if form in (".", ","):
        plain = _plain(raw, form)
        if plain is None:
            raise ValueError(f"{text.strip()!r} is not a number")
        raw = plain
    if not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)", raw):
        raise ValueError(f"{text.strip()!r} is not a number")
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern above admits only valid text
        raise ValueError(f"{text.strip()!r} is not a number") from None


def parse_decimal(text: str) -> Decimal:
    return parse_number(text)


def parse_int(text: str) -> int:
    value = parse_number(text, whole=True)
    if value != value.to_integral_value():
        raise ValueError(f"{text.strip()!r} is not a whole number")
    return int(value)


_NUM = r"[-+]?\d[\d\s.,'\u00a0]*"
_ALT = re.compile(
    rf"^\s*(?:approx\.?|ca\.?|~)?\s*({_NUM})\s*(?:(?:-|–|—|to|a|bis)\s*({_NUM}))?\s*"
    r"(m|mt|mts|meters|metres|masl|m\.?s\.?n\.?m\.?|msnm|m\.a\.s\.l\.|m a\.?s\.?l\.?|ft|feet|"
    r"fasl|ft\.? asl)?\.?\s*$",
    re.IGNORECASE,
)


def parse_altitude(text: str) -> tuple[int, int]:
    """ "1600-1800 masl", "1,750 m", "5000 ft" → (lowest, highest) metres above sea level."""
    m = _ALT.match(text)
    if not m:
        raise ValueError(f"{text.strip()!r} is not an altitude (e.g. 1600-1800 masl)")
    lo = parse_number(m.group(1), whole=True)
    hi = parse_number(m.group(2), whole=True) if m.group(2) else lo
    for v in (lo, hi):
        if v != v.to_integral_value():
            raise ValueError(f"{text.strip()!r}: an altitude is a whole number of metres or feet "
                             f"(is {v} a typing error?)")
    unit = (m.group(3) or "m").lower()
    if unit.startswith("f"):
        lo, hi = lo * FT_M, hi * FT_M
    lo_m, hi_m = int(lo.quantize(Decimal(1))), int(hi.quantize(Decimal(1)))
    if lo_m > hi_m:
        lo_m, hi_m = hi_m, lo_m
    for alt in (lo_m, hi_m):
        bad = ALTITUDE_M.check(alt)
        if bad:
            raise ValueError(f"{text.strip()!r}: {bad[0]}" + (" (feet?)" if not
                                                               unit.startswith("f") else ""))
    return lo_m, hi_m


def has_unit(text: str) -> bool:
    """Whether a cell names its own unit ("5000 ft", "70 kg")."""
    return bool(re.search(r"\d\s*[^\d\s.,'\u00a0\u202f%+\-–—]", text))


_MASS_UNITS = {
    "kg": Decimal(1), "kgs": Decimal(1), "kilo": Decimal(1), "kilos": Decimal(1),
    "kilogram": Decimal(1), "kilograms": Decimal(1),
    "lb": LB_KG, "lbs": LB_KG, "pound": LB_KG, "pounds": LB_KG,
    "t": Decimal(1000), "mt": Decimal(1000), "tonne": Decimal(1000), "tonnes": Decimal(1000),
    "g": Decimal("0.001"),
}
_MASS = re.compile(rf"^\s*({_NUM})\s*([a-z]+)?\.?\s*$", re.IGNORECASE)


def parse_mass_kg(text: str) -> Decimal:
    """ "70 kg", "69kg", "100 lb", "1,400", "1.5 t" → kilograms (no unit means kg)."""
    m = _MASS.match(text)
    if not m:
        raise ValueError(f"{text.strip()!r} is not a weight (e.g. 70 kg or 100 lb)")
    unit = (m.group(2) or "kg").lower()
    if unit not in _MASS_UNITS:
        raise ValueError(f"unknown weight unit {m.group(2)!r} (use kg, lb or t)")
    value = parse_number(m.group(1))
    if value <= 0:
        raise ValueError("a weight must be more than 0")
    # the digits as written when nothing is converted ("0.50" stays 0.50: export → import
    # gives back what was recorded)
    return value if _MASS_UNITS[unit] == 1 else tidy(value * _MASS_UNITS[unit])


def parse_area_ha(text: str) -> Decimal:
    """ "2.5 ha", "2,5", "25000 m2" → hectares."""
    m = re.match(rf"^\s*({_NUM})\s*(ha|hectares?|has|m2|m²|acres?|ac)?\.?\s*$", text,
                 re.IGNORECASE)
    if not m:
        raise ValueError(f"{text.strip()!r} is not an area (e.g. 2.5 ha)")
    value = parse_number(m.group(1))
    unit = (m.group(2) or "ha").lower()
    if unit in ("m2", "m²"):
        value = value / 10_000
    elif unit.startswith("ac"):
        value = value * Decimal("0.40468564224")
    if value <= 0:
        raise ValueError("an area must be more than 0 ha")
    return value if unit.startswith("h") else tidy(value)  # as written when in hectares


def parse_percent(text: str) -> Decimal:
    """ "12 %", "12", "0.12" (a cell formatted as percent) → 12."""
    raw = text.strip()
    had_sign = raw.endswith("%")
    value = parse_number(raw.rstrip("%").strip())
    scaled = not had_sign and 0 < value < 1
    if scaled:
        value = value * 100
    if not 0 <= value <= 100:
        raise ValueError(f"{raw!r} is not a percentage between 0 and 100")
    return tidy(value) if scaled else value  # as written, unless read as a fraction


_CENTS_LB = re.compile(rf"^\s*({_NUM})\s*(?:us\s*)?(?:¢|c|cts|cents?|usc)\s*(?:/|per)\s*lbs?\s*$",
                       re.IGNORECASE)
"""A price in US cents per lb with its unit ("410 ¢/lb", "410 US¢/lb", "95 cents/lb")."""
_USD = re.compile(rf"^\s*(?:usd|us\$|\$)?\s*({_NUM})\s*(?:usd|us\$|\$)?\s*"
                  r"(?:/|per)?\s*(lb|lbs|kg)?\s*$", re.IGNORECASE)


def parse_price(text: str, *, per: str = "lb") -> Decimal:
    """ "4.75", "USD 4.75/lb", "$10.47 / kg", "4,75", "475 ¢/lb" → USD per ``per`` (lb or
    kg): a price the cell (or its column's header) gives in cents per lb is read as such,
    never as dollars."""
    raw = text.strip()
    cents = _CENTS_LB.match(raw)
    if cents:
        value = parse_number(cents.group(1)) / 100
        return value if per == "lb" else value / LB_KG
    m = _USD.match(raw)
    if not m:
        raise ValueError(f"{raw!r} is not a price (e.g. 4.75 or 4.75 USD/lb)")
    value = parse_number(m.group(1))
    unit = (m.group(2) or per).lower().rstrip("s")
    if unit != per:
        value = value * LB_KG if unit == "kg" else value / LB_KG
    return value


def parse_cents(text: str) -> Decimal:
    """US cents per lb: "380", "380.00 c/lb", "+95", "-12,5"; a cell (or header) that gives
    the price in dollars ("3.80 USD/lb", "$8.38/kg") is converted, never read as cents."""
    raw = text.strip()
    if re.search(r"usd|us\$|\$", raw, re.IGNORECASE):
        m = _USD.match(raw)
        if not m:
            raise ValueError(f"{raw!r} is not a price (e.g. 380 ¢/lb or 3.80 USD/lb)")
        return parse_price(raw, per="lb") * 100
    # "¢/lb", "US¢/lb", "cents per lb", "c", "/lb": never "US" or "per lb" alone ("0.95 per lb"
    # is no more cents than dollars: refused)
    raw = re.sub(r"\s*(?:(?:us\s*)?(?:¢|c|cts|cents?|usc)\s*(?:(?:/|per)\s*lbs?)?|/\s*lbs?)\s*$",
                 "", raw, flags=re.IGNORECASE)
    return parse_number(raw)


def parse_country(text: str) -> str:
    """Any ISO 3166-1 country by name or code, with common variants ("Cote d?Ivoire");
    "United States (Hawaii)" is US (the region: :func:`vocab.country`)."""
    from .vocab import country

    return country(text)[0]


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%d %b %Y",
                 "%d %B %Y", "%b %d, %Y", "%B %d, %Y")


_MONTH_WORDS = {  # Spanish and Portuguese month names → English abbreviations
    "ene": "jan", "enero": "jan", "janeiro": "jan", "febrero": "feb", "fevereiro": "feb",
    "fev": "feb", "marzo": "mar", "marco": "mar", "março": "mar", "abr": "apr", "abril": "apr",
    "mayo": "may", "maio": "may", "mai": "may", "junio": "jun", "junho": "jun", "julio": "jul",
    "julho": "jul", "ago": "aug", "agosto": "aug", "septiembre": "sep", "setiembre": "sep",
    "set": "sep", "setembro": "sep", "sept": "sep", "octubre": "oct", "out": "oct",
    "outubro": "oct", "noviembre": "nov", "novembro": "nov", "dic": "dec", "diciembre": "dec",
    "dez": "dec", "dezembro": "dec",
}


def _written_date(raw: str) -> str:
    """ "April 4th, 2015" → "april 4 2015"; "4 de abr. de 2015" → "4 apr 2015"."""
    text = re.sub(r"(\d)(st|nd|rd|th|º|°)\b", r"\1", raw.lower())
    words = [w for w in re.split(r"[\s,.]+", text) if w and w not in ("de", "del", "of", "the")]
    return " ".join(_MONTH_WORDS.get(w, w) for w in words)


def parse_date(text: str) -> date:
    """ISO dates, day-first dates (25/03/2024, 25.03.2024) and written ones ('14 Mar 2025',
    'April 4th, 2015', '4 abr 2015', '4 de abril de 2015').

    Outside an import a slashed date is read day first (the custom at origin and in Europe).
    Inside one, the column's order decides (:func:`date_order`): a column whose dates all read
    both ways ("03/04/2024") gets an error per such date asking which order, never a guess.
    """
    raw = text.strip()
    order = _DATE_ORDER.get()
    m = _NUMERIC_DATE.fullmatch(raw) if order is not None else None
    if m is not None and order is not None:
        readings = {}
        for way in ("dmy", "mdy"):
            try:
                readings[way] = _numeric_date(m, way)
            except ValueError:
                continue
        if order in readings:
            return readings[order]
        distinct = set(readings.values())
        if order == "?" and len(distinct) == 2:
            one, other = readings["dmy"], readings["mdy"]
            raise ValueError(
                f"{raw!r} reads as {one.day} {one:%B %Y} or {other.day} {other:%B %Y}: say "
                "whether the column is day first or month first (mapping: \"_dates\": "
                "{\"column\": \"dmy\" or \"mdy\"})")
        if order == "?" and distinct:
            return distinct.pop()
        if distinct:  # valid only the other way round: against the column's order
            raise ValueError(f"{raw!r} is not a date {DATE_ORDERS[order].split(' (')[0]}, as "
                             "the column's other dates are")
        raise ValueError(f"{raw!r} is not a date (use 2025-03-14)")
    if re.search(r"[a-zA-Z]", raw):
        words = _written_date(raw)
        for fmt in ("%d %b %Y", "%b %d %Y", "%d %B %Y", "%B %d %Y"):
            try:
                return datetime.strptime(words, fmt).date()
            except ValueError:
                continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", raw):
        raw = raw[:10]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{raw!r} is not a date (use 2025-03-14)")


# The day/month order of the date column being read: None outside an import (a slashed date is
# read day first, as parse_date says); "dmy" or "mdy" when the column's values showed it or the
# mapping stated it; "?" when no value showed it: then a date that reads both ways is an error.
_DATE_ORDER: ContextVar[str | None] = ContextVar("date_order", default=None)
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")
DATE_ORDERS = {"dmy": "day first (25/03/2024)", "mdy": "month first (03/25/2024)"}
DATE_WORDS = {"dmy": "dmy", "mdy": "mdy", "day first": "dmy", "month first": "mdy",
              "dd/mm/yyyy": "dmy", "mm/dd/yyyy": "mdy"}


@contextmanager
def date_order(order: str | None) -> Iterator[None]:
    """Read dates as a column whose day/month order is ``order`` ("dmy" / "mdy" / "?")."""
    token = _DATE_ORDER.set(order)
    try:
        yield
    finally:
        _DATE_ORDER.reset(token)


def column_date_order(texts: Iterable[str]) -> tuple[str, bool]:
    """The day/month order a column's numeric dates show ("dmy" / "mdy", or "?" when every one
    reads both ways) and whether they show both (a column that mixes the two)."""
    seen: set[str] = set()
    for text in texts:
        order = date_form(text)
        if order:
            seen.add(order)
            if len(seen) == 2:
                return "?", True
    return orders_shown(seen)


def date_form(text: str) -> str | None:
    """The order a numeric date shows ("dmy" / "mdy"), None when it reads both ways or is not
    a numeric date."""
    m = _NUMERIC_DATE.fullmatch(text.strip())
    if m:
        a, b = int(m.group(1)), int(m.group(3))
        if a > 12 >= b:
            return "dmy"
        if b > 12 >= a:
            return "mdy"
    return None


def orders_shown(seen: set[str]) -> tuple[str, bool]:
    """:func:`column_date_order`'s answer from the orders a column's dates show."""
    if len(seen) == 2:
        return "?", True
    return (next(iter(seen)) if seen else "?"), False


def _numeric_date(m: re.Match[str], order: str) -> date:
    a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    day, month = (a, b) if order == "dmy" else (b, a)
    return date(year, month, day)


_TRUE = {"yes", "y", "true", "1", "x", "si", "sí", "sim", "oui", "ja", "✓"}
_FALSE = {"no", "n", "false", "0", "não", "nao", "non", "nein", "-"}


def parse_bool(text: str) -> bool:
    raw = text.strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"{text.strip()!r} is not yes or no")


def parse_list(text: str) -> tuple[str, ...]:
    """ "Castillo, Caturra; Typica" → ("Castillo", "Caturra", "Typica"); an item in double
    quotes is one item whatever it holds (``"SL28/SL34"; "Ruiz, Ana"``, as exports write
    them), a quote inside doubled. An item given twice is kept once (the first)."""
    if '"' not in text:
        parts = re.split(r"\s*[;,|/]\s*", text.strip())
        return _once(p.strip() for p in parts if p.strip())
    out = []
    for m in re.finditer(r'\s*(?:"((?:[^"]|"")*)"|([^;,|/"]*))\s*(?:[;,|/]|$)', text):
        if m.group(1) is not None:
            out.append(m.group(1).replace('""', '"'))
        elif m.group(2) and m.group(2).strip():
            out.append(m.group(2).strip())
    return _once(out)


def _once(items: Iterable[str]) -> tuple[str, ...]:
    """Items in order, each once (compared without case and surrounding spaces)."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(" ".join(item.casefold().split()), item)
    return tuple(seen.values())


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}


def _month(token: str) -> int:
    t = token.strip().lower()[:3]
    if t.isdigit() and 1 <= int(t) <= 12:
        return int(t)
    if t in _MONTHS:
        return _MONTHS[t]
    raise ValueError(f"{token.strip()!r} is not a month")


def parse_months(text: str) -> tuple[int, ...]:
    """ "Oct-Jan" → (10, 11, 12, 1); "5, 6, 7" → (5, 6, 7); "May–Sep" → (5, …, 9)."""
    months: list[int] = []
    for part in re.split(r"\s*[;,]\s*", text.strip()):
        if not part:
            continue
        ends = re.split(r"\s*(?:-|–|to)\s*", part)
        if len(ends) == 2:
            a, b = _month(ends[0]), _month(ends[1])
            m = a
            while True:
                months.append(m)
                if m == b:
                    break
                m = m % 12 + 1
        else:
            months.append(_month(part))
    return tuple(dict.fromkeys(months))


def parse_month_key(text: str) -> tuple[int, int]:
    """A month for the C price series: "2024-03", "2024-03-15", "03/2024", "Mar 2024"."""
    raw = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})(?:[-/.]\d{1,2})?(?:[T ].*)?", raw)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(?:\d{1,2}[/.])?(\d{1,2})[/.](\d{4})", raw)
        if m:
            y, mo = int(m.group(2)), int(m.group(1))
        else:
            m = re.fullmatch(r"([A-Za-z]+)\.?[\s-]+(\d{4})", raw)
            if not m:
                raise ValueError(f"{raw!r} is not a month (use 2024-03)")
            y, mo = int(m.group(2)), _month(m.group(1))
    if not 1 <= mo <= 12:
        raise ValueError(f"{raw!r}: month {mo} is not 1–12")
    return y, mo


WHOLE_NUMBERS = (parse_int, parse_altitude)
"""The parsers of whole-number fields (bags, altitude): a fraction is no reading of theirs."""
