"""Text the store may hold (hole 11): control characters and terminal escapes go, tabs and line
breaks stay; only real ISO 3166 codes are countries."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.domain.reference import LivingIncomeReference
from roasterdesk.domain.text import ISO_3166_ALPHA2, clean_text, country_problem


@pytest.mark.parametrize(("raw", "clean"), [
    ("Finca Roja", "Finca Roja"),
    ("Fin\x00ca\x07 Roja", "Finca Roja"),
    ("\x1b[31mFinca Roja\x1b[0m", "Finca Roja"),
    ("\x1b[1;4;38;5;196mX\x1b[K", "X"),
    ("\x1b]0;title\x07Finca", "Finca"),  # an operating-system command, ended by BEL
    ("a\x7fb\x85c\x9bd", "abcd"),  # DEL and C1 controls
    ("first line\nsecond\tcolumn\r\n", "first line\nsecond\tcolumn\r\n"),
    ("Café Perú — 60\u00a0% shade", "Café Perú — 60\u00a0% shade"),
])
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


@given(st.text())
def test_clean_text_leaves_no_control_character_and_is_idempotent(text):
    out = clean_text(text)
    assert not any(ord(ch) < 32 and ch not in "\t\n\r" or 0x7F <= ord(ch) <= 0x9F for ch in out)
    assert clean_text(out) == out


def test_only_assigned_codes_are_countries():
    assert {"CO", "ET", "BR", "KE", "XK"} <= ISO_3166_ALPHA2 and len(ISO_3166_ALPHA2) == 250
    assert country_problem("CO") is None
    assert country_problem("ZZ") == "'ZZ' is not an ISO 3166 country code"
    assert "like 'CO'" in country_problem("co") and "like 'CO'" in country_problem("COL")
    with pytest.raises(ValueError, match="'ZZ' is not an ISO 3166"):
        Producer("Finca", ProducerKind.FARM, "ZZ")
    with pytest.raises(ValueError, match="'QQ' is not an ISO 3166"):
        LivingIncomeReference("QQ", 2024, 1, "USD", 1, "parchment", "x")  # type: ignore[arg-type]
