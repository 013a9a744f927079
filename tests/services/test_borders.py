"""Country borders (Natural Earth 1:10m): country of a position, inside/outside, distance."""

from __future__ import annotations

import math

import pytest

from roasterdesk.services import borders

QUITO = (-78.47, -0.18)
MERIDA = (-71.14, 8.59)
PASTO = (-77.28, 1.21)


def test_names_and_natural_earth_quirks_map_to_iso2():
    names = borders.country_names()
    # France and Norway (ISO_A2 "-99" in Natural Earth's attributes), Kosovo (no ISO code)
    assert names["FR"] == "France" and names["NO"] == "Norway" and names["XK"] == "Kosovo"
    assert borders.country_of(2.35, 48.85) == "FR"
    assert borders.country_of(10.75, 59.91) == "NO"
    assert borders.country_of(21.17, 42.66) == "XK"  # Pristina


def test_polygons_for_drawing_are_lon_lat_rings():
    polys = borders.country_polygons("co")
    assert polys
    for poly in polys:
        for ring in poly:
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert all(-82 < lon < -66 and -5 < lat < 16 for lon, lat in ring)
    assert borders.country_polygons("ZZ") == []


def test_quito_is_in_ecuador_not_colombia():
    check = borders.border_check("CO", *QUITO)
    assert check.known and not check.inside and check.found == "EC"
    assert check.distance_km > 50


def test_merida_is_in_venezuela_not_colombia():
    check = borders.border_check("CO", *MERIDA)
    assert not check.inside and check.found == "VE"
    assert borders.border_check("VE", *MERIDA).inside


def _step(a, b, km):
    """The position ``km`` from a towards b (small distances, local plane)."""
    k = math.cos(math.radians(a[1]))
    dx, dy = (b[0] - a[0]) * k, b[1] - a[1]
    length_km = math.hypot(dx, dy) * 111.195
    f = km / length_km
    return a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f


def test_a_plot_500_m_inside_the_border_is_near_it():
    inside, outside = PASTO, QUITO
    for _ in range(40):  # bisect the Colombia-Ecuador crossing on the Pasto-Quito line
        mid = ((inside[0] + outside[0]) / 2, (inside[1] + outside[1]) / 2)
        if borders.border_check("CO", *mid).inside:
            inside = mid
        else:
            outside = mid
    point = _step(inside, PASTO, 0.5)
    check = borders.border_check("CO", *point)
    assert check.inside and check.found == "CO"
    assert 0.2 < check.distance_km <= 0.5 + 1e-6
    assert check.near_border
    far = borders.border_check("CO", -75.68, 4.53)
    assert far.inside and not far.near_border


def test_unknown_code_checks_nothing():
    check = borders.border_check("ZZ", *QUITO)
    assert not check.known and check.found == "EC" and not check.near_border


@pytest.mark.parametrize("lon,lat", [(-30.0, 0.0)])
def test_sea_is_no_country(lon, lat):
    assert borders.country_of(lon, lat) is None
