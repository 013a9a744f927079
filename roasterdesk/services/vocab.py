"""Vocabularies as data: process, certification and country labels in
``resources/vocab/*.json`` (English, Spanish, Portuguese and grading-export labels).

Values are compared folded (case, accents, punctuation and a "?" standing for a lost character
ignored), so "Washed / Wet", "washed-wet" and "WASHED WET" are one label. An unknown value gets
the nearest known labels, for the error that names it. Countries are every ISO 3166-1 country
(pycountry, imported on first use), the app's own names and the variants in ``countries.json``;
"United States (Hawaii)" is the United States, with the region Hawaii kept.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import cache

from ..domain.countries import country_code
from ..resources import resource_path


def fold(text: str) -> str:
    text = text.replace("’", "'").replace("\ufffd", "'").replace("?", "'")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


@cache
def table(name: str) -> dict[str, str]:
    """Folded label → canonical value, from ``resources/vocab/<name>.json``."""
    data = json.loads(resource_path("vocab", f"{name}.json").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for canonical, labels in data.items():
        if canonical.startswith("_"):
            continue
        out.setdefault(fold(canonical), canonical)
        for label in labels:
            out.setdefault(fold(label), canonical)
    return out


def lookup(name: str, text: str) -> str | None:
    return table(name).get(fold(text))


def nearest(labels: dict[str, str], text: str, n: int = 3) -> list[str]:
    """The known values closest to ``text``: ``labels`` maps folded label → value shown."""
    close = difflib.get_close_matches(fold(text), list(labels), n=n * 3, cutoff=0.5)
    return list(dict.fromkeys(labels[c] for c in close))[:n]


def unknown(what: str, text: str, labels: dict[str, str]) -> ValueError:
    near = nearest(labels, text)
    hint = f"; nearest: {', '.join(near)}" if near else ""
    return ValueError(f"unknown {what} {text.strip()!r}{hint}")


_REGION = re.compile(r"^\s*(.+?)\s*\(\s*([^()]+?)\s*\)\s*$")


@cache
def _countries() -> dict[str, str]:
    """Folded name → ISO-2, every ISO 3166-1 country and our variants."""
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                out.setdefault(fold(value), c.alpha_2)
                if "," in value:  # "Tanzania, United Republic of" → "United Republic of Tanzania"
                    head, _, tail = value.partition(",")
                    out.setdefault(fold(f"{tail} {head}"), c.alpha_2)
                    out.setdefault(fold(head), c.alpha_2)
        out.setdefault(fold(c.alpha_3), c.alpha_2)
    data = json.loads(resource_path("vocab", "countries.json").read_text(encoding="utf-8"))
    for code, names in data.items():
        if not code.startswith("_"):
            for name in names:
                out[fold(name)] = code
    return out


def country(text: str) -> tuple[str, str]:
    """(ISO-2 code, region) of a country cell: "Japan", "JP", "JPN", "Cote d?Ivoire",
    "Tanzania, United Republic Of", "United States (Hawaii)" → ("US", "Hawaii")."""
    raw = text.strip()
    code = country_code(raw) or _countries().get(fold(raw))
    if code:
        return code, ""
    m = _REGION.match(raw)
    if m:
        code = country_code(m.group(1)) or _countries().get(fold(m.group(1)))
        if code:
            return code, m.group(2)
    raise unknown("country", raw, _country_labels())


@cache
def _country_labels() -> dict[str, str]:
    import pycountry

    return {fold(c.name): c.name for c in pycountry.countries}
