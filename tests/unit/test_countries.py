"""Country names and codes, and the plausibility box check for plot coordinates."""

from __future__ import annotations

import pytest

from roasterdesk.domain.countries import (
    BOUNDING_BOXES,
    country_code,
    country_name,
    in_box,
    location_check,
)


@pytest.mark.parametrize("text, code", [
    ("Colombia", "CO"), ("  etiopía ", "ET"), ("ÄTHIOPIEN", "ET"), ("co", "CO"), ("XK", "XK"),
    ("COL", "CO"), ("eth", "ET"), ("Côte d'Ivoire", "CI"), ("Côte d’Ivoire", "CI"),
    ("Viet  Nam", "VN"), ("Sumatra", "ID"),
])
def test_country_code_from_names_and_codes(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["Atlantis", "ABC", "C0", "", "Ñu"])
def test_unknown_countries(text):
    assert country_code(text) is None


def test_country_name():
    assert country_name("CO") == "Colombia"
    assert country_name("XK") == "XK"


def test_location_check_in_box_swapped_outside_unknown():
    assert location_check("CO", -77.28, 1.21) == "ok"  # Nariño, longitude first
    assert location_check("CO", 1.21, -77.28) == "swapped"
    assert location_check("CO", 38.5, 7.0) == "outside"  # that is Ethiopia
    assert location_check("CO", 100.0, 5.0) == "outside"  # |lon| > 90 cannot be swapped
    assert location_check("XK", 21.0, 42.6) == "unknown"
    assert in_box("XK", 0, 0) is None
    min_lon, min_lat, _, _ = BOUNDING_BOXES["ET"]
    assert in_box("ET", min_lon - 0.05, min_lat - 0.05) is True  # within the margin
    assert in_box("ET", min_lon - 0.2, min_lat) is False
