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


@cache
def ambiguous_labels(name: str) -> dict[str, tuple[str, ...]]:
    """Folded label → the values it may mean, from the file's ``"_ambiguous"`` entry: labels
    that mean different things in different origins ("semi-washed")."""
    data = json.loads(resource_path("vocab", f"{name}.json").read_text(encoding="utf-8"))
    return {fold(k): tuple(v) for k, v in dict(data.get("_ambiguous") or {}).items()}


def refuse_ambiguous(name: str, text: str, field: str | None = None) -> None:
    """Raise ``ValueError`` naming the choices when ``text`` is an ambiguous label of the
    vocabulary ``name``: the user says which in the mapping (``"_values"`` of ``field``, the
    vocabulary's name when not given), never a guess."""
    choices = ambiguous_labels(name).get(fold(text))
    if choices:
        raise ValueError(f"{text.strip()!r} is ambiguous: it may mean {' or '.join(choices)}; "
                         f"say which in the mapping (\"_values\": {{\"{field or name}\": "
                         f"{{\"{text.strip()}\": \"...\"}}}})")


def nearest(labels: dict[str, str], text: str, n: int = 3) -> list[str]:
    """The known values closest to ``text``: ``labels`` maps folded label → value shown."""
    close = difflib.get_close_matches(fold(text), list(labels), n=n * 3, cutoff=0.5)
    return list(dict.fromkeys(labels[c] for c in close))[:n]


NEAREST_SEP = " · "  # labels hold commas ("Korea, Republic of")


def unknown(what: str, text: str, labels: dict[str, str]) -> ValueError:
    near = nearest(labels, text)
    hint = f"; nearest: {NEAREST_SEP.join(near)}" if near else ""
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
                for key in _country_keys(value):
                    out.setdefault(key, c.alpha_2)
        out.setdefault(fold(c.alpha_3), c.alpha_2)
    for c in pycountry.countries:  # "Tanzania" alone; after the full names ("Congo" is CG)
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value and "," in value:
                out.setdefault(fold(value.partition(",")[0]), c.alpha_2)
    data = json.loads(resource_path("vocab", "countries.json").read_text(encoding="utf-8"))
    for code, names in data.items():
        if not code.startswith("_"):
            for name in names:
                out[fold(name)] = code
    return out


def _country_keys(text: str) -> list[str]:
    """The folded forms a country name is known by: as written, its ISO "Name, qualifier"
    form turned round ("Congo, The Democratic Republic of the" → "The Democratic Republic of
    the Congo"), each also without "the" (which lists write or drop at will)."""
    forms = [fold(text)]
    if "," in text:
        head, _, tail = text.partition(",")
        forms.append(fold(f"{tail} {head}"))
    out = []
    for f in forms:
        out.append(f)
        out.append(" ".join(w for w in f.split() if w != "the"))
    return list(dict.fromkeys(out))


def _country_code(text: str) -> str | None:
    table = _countries()
    return next((table[k] for k in _country_keys(text) if k in table), None)


def country(text: str) -> tuple[str, str]:
    """(ISO-2 code, region) of a country cell: "Japan", "JP", "JPN", "Cote d?Ivoire",
    "Tanzania, United Republic Of", "United States (Hawaii)" → ("US", "Hawaii")."""
    raw = text.strip()
    refuse_ambiguous("countries", raw, "country")  # "Congo": DR Congo or Congo-Brazzaville
    code = country_code(raw) or _country_code(raw)
    if code:
        return code, ""
    m = _REGION.match(raw)
    if m:
        code = country_code(m.group(1)) or _country_code(m.group(1))
        if code:
            return code, m.group(2)
    raise unknown("country", raw, _country_labels())


@cache
def _country_labels() -> dict[str, str]:
    import pycountry

    return {fold(c.name): c.name for c in pycountry.countries}
