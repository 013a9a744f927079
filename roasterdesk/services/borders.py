"""Country borders: Natural Earth admin-0 polygons (1:10m), offline, loaded on first use.

The data ships as ``resources/borders/countries-10m.json.gz`` (see ``ATTRIBUTION.md`` there and
``tools/build_borders.py``). Nothing is read before a function here is called, and shapely is
imported only by the functions that need it (:func:`country_of`, :func:`border_check`), so the
window's first paint loads neither.

Pure-Python API for drawing: :func:`country_polygons` (rings of ``(lon, lat)``) and
:func:`country_names`. Queries: :func:`country_of` and :func:`border_check` (inside or not, and
the distance to the border in km).
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from roasterdesk.resources import resource_path

BORDER_TOLERANCE_KM = 1.0
"""Within this distance of a border a plot is a warning, not a pass or a failure: the data is
Natural Earth 1:10m, quantized to about 400 m × 190 m, so a position this close to a border
cannot be placed on one side with certainty."""

EARTH_RADIUS_KM = 6371.0088

Ring = list[tuple[float, float]]
Polygon = list[Ring]  # outer ring first, then holes

_lock = threading.RLock()


@dataclass(frozen=True)
class BorderCheck:
    """Where a position lies against one country's borders."""

    country: str  # the ISO-2 code checked against
    known: bool  # False: no polygons for this code (nothing checked)
    inside: bool
    distance_km: float  # to the country's border (0 when unknown)
    found: str | None  # the country the position lies in, if any (None: sea or disputed)

    @property
    def near_border(self) -> bool:
        return self.known and self.distance_km <= BORDER_TOLERANCE_KM


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc[1:] if ring else arc)
    return ring


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, list[Polygon]], dict[str, str]]:
    """ISO-2 → polygons and ISO-2 → Natural Earth name. Areas without a code are skipped."""
    raw = gzip.decompress(resource_path("borders", "countries-10m.json.gz").read_bytes())
    topo = json.loads(raw)
    arcs = _decode_arcs(topo)
    polygons: dict[str, list[Polygon]] = {}
    names: dict[str, str] = {}
    for geometry in topo["objects"]["countries"]["geometries"]:
        code = geometry["properties"]["iso2"]
        if not code:
            continue
        names.setdefault(code, geometry["properties"]["name"])
        kind = geometry.get("type")
        if kind == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            parts = [geometry["arcs"]] if kind == "Polygon" else []
        for part in parts:
            # quantization collapses a few tiny islands and lakes to fewer than 4 positions
            rings = [r for r in (_ring(arcs, ring) for ring in part) if len(r) >= 4]
            if rings and len(_ring(arcs, part[0])) >= 4:
                polygons.setdefault(code, []).append(rings)
    return polygons, names


def country_names() -> dict[str, str]:
    """ISO-2 → Natural Earth's English name, for every country with borders."""
    return dict(_load()[1])


def country_polygons(code: str) -> list[Polygon]:
    """The country's polygons (outer ring, then holes; ``(lon, lat)``), ``[]`` if unknown."""
    return _load()[0].get(code.upper(), [])


@cache
def _shape(code: str) -> Any:
    """One country as a prepared shapely geometry (built on first use), ``None`` if unknown."""
    import shapely
    from shapely.geometry import MultiPolygon
    from shapely.geometry import Polygon as ShapelyPolygon

    polys = _load()[0].get(code)
    if not polys:
        return None
    parts = [ShapelyPolygon(p[0], p[1:]) for p in polys]
    geom = MultiPolygon(parts).buffer(0) if len(parts) > 1 else parts[0].buffer(0)
    shapely.prepare(geom)
    return geom


@lru_cache(maxsize=1)
def _tree() -> tuple[Any, list[str]]:
    """Every country's bounding box in an STRtree (for :func:`country_of`)."""
    import shapely

    polygons = _load()[0]
    codes, boxes = [], []
    for code, polys in polygons.items():
        xs = [x for poly in polys for x, _ in poly[0]]
        ys = [y for poly in polys for _, y in poly[0]]
        codes.append(code)
        boxes.append(shapely.box(min(xs), min(ys), max(xs), max(ys)))
    return shapely.STRtree(boxes), codes


def country_of(lon: float, lat: float) -> str | None:
    """ISO-2 code of the country containing the position; ``None`` at sea or in a disputed area."""
    from shapely.geometry import Point

    point = Point(lon, lat)
    with _lock:
        tree, codes = _tree()
        for index in tree.query(point, predicate="intersects"):
            geom = _shape(codes[int(index)])
            if geom is not None and geom.intersects(point):
                return codes[int(index)]
    return None


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _distance_km(geom: Any, lon: float, lat: float) -> float:
    """Distance from the position to the boundary of ``geom``, in km (local metric near it)."""
    import shapely
    from shapely.affinity import scale
    from shapely.geometry import Point, box
    from shapely.ops import nearest_points

    boundary = geom.boundary
    window = 0.5  # degrees: within it, a locally scaled plane is accurate to well under 1 %
    frame = box(lon - window, lat - window, lon + window, lat + window)
    near = shapely.intersection(boundary, frame)
    if not near.is_empty:
        k = math.cos(math.radians(lat))
        scaled = scale(near, xfact=k, yfact=1.0, origin=(lon, lat))
        _, q = nearest_points(Point(lon, lat), scaled)
        qlon = lon + (q.x - lon) / k if k else q.x
        return _haversine_km((lon, lat), (qlon, q.y))
    _, q = nearest_points(Point(lon, lat), boundary)
    return _haversine_km((lon, lat), (q.x, q.y))


def border_check(code: str, lon: float, lat: float) -> BorderCheck:
    """Whether (lon, lat) lies inside the country ``code`` and how far from its border."""
    from shapely.geometry import Point

    code = code.upper()
    with _lock:
        geom = _shape(code)
    if geom is None:
        return BorderCheck(code, False, False, 0.0, country_of(lon, lat))
    inside = bool(geom.contains(Point(lon, lat)))
    found = code if inside else country_of(lon, lat)
    return BorderCheck(code, True, inside, _distance_km(geom, lon, lat), found)
