"""Harvest labels and plot geometry (WGS84, longitude first)."""

from __future__ import annotations

import math

import pytest

from roasterdesk.domain.geo import (
    EARTH_RADIUS_M,
    GeometryError,
    centroid,
    geometry_area_ha,
    ring_area_ha,
    rounded_location,
    self_intersects,
    validate_geometry,
)
from roasterdesk.domain.harvest import harvest_label, parse_harvest


@pytest.mark.parametrize("label, year", [
    ("2014/2015", 2015), ("2014/15", 2015), ("1999/00", 2000), ("1999/2000", 2000),
    (" 2020 / 21 ", 2021), ("2020-21", 2021), ("2020–2021", 2021), ("2021", 2021), (2019, 2019),
])
def test_harvest_labels_mean_the_year_the_harvest_ends(label, year):
    assert parse_harvest(label) == year


@pytest.mark.parametrize("label, message", [
    ("2014/16", "must follow"), ("2015/2014", "must follow"), ("2015/15", "must follow"),
    ("14/15", "expected a year"), ("harvest 2020", "expected a year"), ("", "expected a year"),
    ("2020/2", "expected a year"), ("1850", "outside"), ("2150/51", "outside"), (0, "outside"),
])
def test_bad_harvest_labels_are_refused(label, message):
    with pytest.raises(ValueError, match=message):
        parse_harvest(label)


def test_harvest_label_round_trips():
    assert harvest_label(2015) == "2014/15"
    assert harvest_label(2000) == "1999/00"
    for year in (1901, 1999, 2000, 2025, 2100):
        assert parse_harvest(harvest_label(year)) == year


SQUARE = [[-77.0, 1.0], [-76.99, 1.0], [-76.99, 1.01], [-77.0, 1.01], [-77.0, 1.0]]


def poly(ring):
    return {"type": "Polygon", "coordinates": [ring]}


def test_valid_point_and_polygon():
    validate_geometry({"type": "Point", "coordinates": [-77.281234, 1.214567]})
    validate_geometry({"type": "Point", "coordinates": (-77.28, 1.21, 1850)})  # with altitude
    validate_geometry(poly(SQUARE))
    validate_geometry(poly(list(reversed(SQUARE))))


@pytest.mark.parametrize("geom, message", [
    ("POINT(1 2)", "GeoJSON object"),
    ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "Point or a Polygon"),
    ({"type": "MultiPolygon", "coordinates": []}, "Point or a Polygon"),
    ({"type": "Point", "coordinates": [1]}, "longitude, latitude"),
    ({"type": "Point", "coordinates": "1,2"}, "longitude, latitude"),
    ({"type": "Point", "coordinates": ["1", "2"]}, "numbers"),
    ({"type": "Point", "coordinates": [True, 2]}, "numbers"),
    ({"type": "Point", "coordinates": [181, 2]}, "longitude 181"),
    ({"type": "Point", "coordinates": [-180.5, 2]}, "longitude"),
    ({"type": "Point", "coordinates": [1, 90.01]}, "latitude 90.01"),
    ({"type": "Point", "coordinates": [1, float("nan")]}, "latitude"),
    # latitude first by mistake: 77 as latitude is fine, -1.2 fine; but 120 latitude is not
    ({"type": "Point", "coordinates": [10.5, 120.0]}, "latitude"),
    (poly(SQUARE[:-1]), "closed"),
    (poly(SQUARE[:3]), "at least 4"),
    (poly([[1, 1], [1, 1], [1, 1], [1, 1]]), "3 different positions"),
    (poly([[1, 1], [2, 2], [1, 1], [2, 2], [1, 1]]), "3 different positions"),
    ({"type": "Polygon", "coordinates": [SQUARE, SQUARE]}, "no holes"),
    ({"type": "Polygon", "coordinates": []}, "no holes"),
    ({"type": "Polygon", "coordinates": "x"}, "no holes"),
    # a bow tie: the edges cross
    (poly([[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]), "cross"),
    (poly([[0, 0], [1, 0], [1, 200], [0, 0]]), "latitude"),
])
def test_invalid_geometries_are_refused(geom, message):
    with pytest.raises(GeometryError, match=message):
        validate_geometry(geom)


def test_a_ring_that_is_not_a_list_of_positions_is_a_geometry_error():
    with pytest.raises(GeometryError, match="list of"):
        validate_geometry({"type": "Polygon", "coordinates": [5]})
    with pytest.raises(GeometryError, match="longitude, latitude"):
        validate_geometry({"type": "Polygon", "coordinates": [[5, 6, 7, 8]]})


def test_self_intersection_checks_proper_crossings_only():
    assert self_intersects([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])
    assert not self_intersects([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)])
    # a concave (arrow) shape does not cross itself
    assert not self_intersects([(0, 0), (2, 1), (0, 2), (1, 1), (0, 0)])


def test_area_of_a_known_square():
    # 0.01° × 0.01° at the equator ≈ (0.01 × π/180 × R)² ≈ 123.6 ha
    side = math.radians(0.01) * EARTH_RADIUS_M
    eq = [[0, 0], [0.01, 0], [0.01, 0.01], [0, 0.01], [0, 0]]
    assert ring_area_ha(eq) == pytest.approx(side * side / 10_000, rel=1e-4)
    assert round(ring_area_ha(eq), 1) == 123.6
    # the same square at 60° N is half as wide
    north = [[0, 60], [0.01, 60], [0.01, 60.01], [0, 60.01], [0, 60]]
    assert ring_area_ha(north) == pytest.approx(ring_area_ha(eq) / 2, rel=1e-3)
    # orientation does not matter
    assert ring_area_ha(list(reversed(eq))) == pytest.approx(ring_area_ha(eq))
    # a 200 m × 200 m plot is 4 ha
    d = math.degrees(200 / EARTH_RADIUS_M)
    four = [[0, 0], [d, 0], [d, d], [0, d], [0, 0]]
    assert geometry_area_ha(poly(four)) == pytest.approx(4.0, rel=1e-4)
    assert geometry_area_ha({"type": "Point", "coordinates": [0, 0]}) is None


def test_centroid_and_public_location():
    pt = {"type": "Point", "coordinates": [-77.281234, 1.214567, 1850]}
    assert centroid(pt) == (-77.281234, 1.214567)
    assert rounded_location(pt) == (-77.28, 1.21)
    assert centroid(poly(SQUARE)) == pytest.approx((-76.995, 1.005))
    assert rounded_location(poly(SQUARE), 1) == (-77.0, 1.0)


@pytest.mark.parametrize("country,months,label", [
    ("CO", (), "2025/26"),  # Colombia main crop runs across the new year
    ("ET", (), "2025/26"),
    ("br", (), "2026"),  # Brazil May–Sep: one calendar year
    ("PE", (), "2026"),
    ("RW", (), "2026"),
    ("BR", (11, 12, 1, 2), "2025/26"),  # the producer's months decide over the country
    ("CO", (4, 5, 6, 7), "2026"),
    ("", (6,), "2026"),
    ("", (12, 1), "2025/26"),
    ("", tuple(range(1, 13)), "2026"),  # all year round: one calendar year
    ("", (10, 11, 12, 1, 3), "2025/26"),
])
def test_one_harvest_name_by_the_origins_calendar(country, months, label):
    from roasterdesk.domain.harvest import harvest_name

    assert harvest_name(2026, country, months) == label


def test_a_point_is_enough_for_the_eudr_only_for_a_plot_of_4_ha_or_less():
    from decimal import Decimal

    from roasterdesk.domain.geo import point_area_problem

    assert point_area_problem(None) == "a point needs the plot's area in ha"
    assert point_area_problem(Decimal("4")) is None
    assert point_area_problem(Decimal("4.01")) == ("4.01 ha needs a polygon (a point only up "
                                                   "to 4 ha)")
