"""Plot geometry: GeoJSON Point and Polygon in WGS84, positions ``[longitude, latitude]``.

Coordinates are floats here on purpose: they are measurements, not money, and GeoJSON is float.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)

POINT_MAX_HA = Decimal(4)
"""EUDR: a plot of at most this many hectares may be given as a point (with its area); a larger
one needs its outline."""


def point_area_problem(area_ha: Decimal | None) -> str | None:
    """What the EUDR says of a plot given as a single point with this declared area (None: a
    point is enough). One rule for the due-diligence file and the plot window."""
    if area_ha is None:
        return "a point needs the plot's area in ha"
    if area_ha > POINT_MAX_HA:
        return f"{area_ha} ha needs a polygon (a point only up to {POINT_MAX_HA} ha)"
    return None


class GeometryError(ValueError):
    """A geometry that is not a valid WGS84 Point or Polygon."""


def _position(pos: Any) -> tuple[float, float]:
    if not isinstance(pos, (list, tuple)) or len(pos) < 2:
        raise GeometryError(f"a position is [longitude, latitude], not {pos!r}")
    lon, lat = pos[0], pos[1]
    if isinstance(lon, bool) or isinstance(lat, bool):
        raise GeometryError("coordinates must be numbers")
    if not isinstance(lon, (int, float)) or not isinstance(lat, (int, float)):
        raise GeometryError("coordinates must be numbers")
    if not -180 <= lon <= 180:
        raise GeometryError(f"longitude {lon} is outside −180…180")
    if not -90 <= lat <= 90:
        raise GeometryError(f"latitude {lat} is outside −90…90")
    return float(lon), float(lat)


def validate_geometry(geom: object) -> None:
    """Raise :class:`GeometryError` unless ``geom`` is a valid Point or single-ring Polygon."""
    if not isinstance(geom, dict):
        raise GeometryError("a geometry is a GeoJSON object")
    kind = geom.get("type")
    coords = geom.get("coordinates")
    if kind == "Point":
        _position(coords)
        return
    if kind != "Polygon":
        raise GeometryError(f"a plot is a Point or a Polygon, not {kind!r}")
    if not isinstance(coords, list) or len(coords) != 1:
        raise GeometryError("a plot polygon has exactly one ring (no holes)")
    if not isinstance(coords[0], (list, tuple)):
        raise GeometryError("a polygon ring is a list of [longitude, latitude] positions")
    ring = [_position(p) for p in coords[0]]
    if len(ring) < 4:
        raise GeometryError("a polygon ring needs at least 4 positions")
    if ring[0] != ring[-1]:
        raise GeometryError("a polygon ring must be closed (first position = last)")
    if len(set(ring)) < 3:
        raise GeometryError("a polygon ring needs at least 3 different positions")
    if self_intersects(ring):
        raise GeometryError("the polygon's edges cross each other")


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def _segments_cross(
    p1: tuple[float, float], p2: tuple[float, float],
    p3: tuple[float, float], p4: tuple[float, float],
) -> bool:
    d1, d2 = _cross(p3, p4, p1), _cross(p3, p4, p2)
    d3, d4 = _cross(p1, p2, p3), _cross(p1, p2, p4)
    return ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and 0 not in (d1, d2, d3, d4)


def self_intersects(ring: list[tuple[float, float]]) -> bool:
    """Whether two non-adjacent edges of a closed ring cross (proper crossings)."""
    edges = list(zip(ring, ring[1:], strict=False))
    n = len(edges)
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # first and last edge share the closing vertex
            if _segments_cross(*edges[i], *edges[j]):
                return True
    return False


def ring_area_ha(ring: list[tuple[float, float]] | list[list[float]]) -> float:
    """Area of a closed lon/lat ring in hectares (spherical excess, good for farm-sized plots)."""
    pts = [(math.radians(p[0]), math.radians(p[1])) for p in ring]
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(pts, pts[1:], strict=False):
        total += (lon2 - lon1) * (2 + math.sin(lat1) + math.sin(lat2))
    return abs(total) * EARTH_RADIUS_M**2 / 2 / 10_000


def geometry_area_ha(geom: dict[str, Any]) -> float | None:
    """Area of a Polygon in ha; ``None`` for a Point."""
    if geom.get("type") == "Polygon":
        return ring_area_ha(geom["coordinates"][0])
    return None


def centroid(geom: dict[str, Any]) -> tuple[float, float]:
    """(lon, lat) of a Point, or the vertex average of a Polygon ring (fine at plot scale)."""
    if geom["type"] == "Point":
        lon, lat = geom["coordinates"][:2]
        return float(lon), float(lat)
    ring = geom["coordinates"][0][:-1]
    return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))


def rounded_location(geom: dict[str, Any], decimals: int = 2) -> tuple[float, float]:
    """A public location: the centroid rounded (2 decimals ≈ 1.1 km), never the polygon."""
    lon, lat = centroid(geom)
    return round(lon, decimals), round(lat, decimals)
