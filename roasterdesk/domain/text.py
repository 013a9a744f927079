"""Text as it may be stored: no control characters, no terminal escapes; country codes that exist.

Every text the store writes passes through :func:`clean_text` (the store's one write path calls
it), so a name pasted from a terminal, a spreadsheet cell holding a NUL or a BEL, or an imported
ANSI colour code never reaches the database, an export or a statement. Tabs and line breaks stay
(notes have paragraphs); every other C0/C1 control character and DEL goes, and an escape
sequence (``ESC [ … m``) goes whole, not only its ESC.
"""

from __future__ import annotations

import re

_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """``value`` without terminal escape sequences and control characters (tab, line feed and
    carriage return kept)."""
    if value.isprintable():  # the common case costs one scan in C
        return value
    return _CONTROL.sub("", _ESCAPE.sub("", value))


ISO_3166_ALPHA2: frozenset[str] = frozenset((
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW "
).split())
"""The ISO 3166-1 alpha-2 codes of all 249 countries and territories, plus XK (Kosovo, the
user-assigned code in common use)."""


def country_problem(code: str) -> str | None:
    """Why ``code`` is not a country code, or None when it is one."""
    if code in ISO_3166_ALPHA2:
        return None
    if len(code) == 2 and code.isalpha() and code.isupper():
        return f"{code!r} is not an ISO 3166 country code"
    return f"country must be an ISO 3166 code like 'CO', not {code!r}"
