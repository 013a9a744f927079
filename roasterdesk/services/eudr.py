"""The EUDR geolocation file: a GeoJSON FeatureCollection of the plots a set of lots came from.

Rules (docs/domain.md, EU GeoJSON File Description v1.2): WGS84, positions ``[longitude, latitude]``
with at least 6 decimals; a plot of ≤ 4 ha may be a Point with its ``Area`` (ha); a plot over
4 ha must be a Polygon (closed ring of ≥ 4 positions, no self-intersection, no holes);
properties ``ProducerName``, ``ProducerCountry`` (ISO-2), ``ProductionPlace``, ``Area``.

Which plots: the plots linked to each lot; a lot with no linked plot stands for all plots of its
producer (the buyer did not record which ones), and for a cooperative or washing station without
plots of its own, for the plots of its member farms (each feature then names the member farm).
Before writing, :func:`validate` lists every
problem; plots with an error are left out of the file.

Country check: every position of a plot against its producer's country polygons (Natural Earth
1:10m, :mod:`roasterdesk.services.borders`). Outside by more than ``BORDER_TOLERANCE_KM`` (1 km)
is an error; inside but within 1 km of the border, or outside by less, is a warning (the border
data is not more precise than that).

Geometry as TRACES judges it (:func:`plot_findings`): closed ring, no self-intersection (the
reason from shapely), no duplicate vertex, outer ring counter-clockwise (RFC 7946: a clockwise
ring is written reversed, and the report says so), a polygon above 4 ha, the declared area
within 10 % of the geodesic area (pyproj ``Geod`` on WGS84) or a warning, and coordinates as
recorded: fewer than 6 decimals is a warning naming the plot, and nothing is padded.
shapely and pyproj load when a check runs, never at start-up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..domain.countries import country_name
from ..domain.geo import GeometryError, point_area_problem, validate_geometry
from ..domain.model import LotStatus
from ..errors import UserError

DECIMALS = 6
MAX_BYTES = 25 * 1024 * 1024

MISSING = "missing geolocation"
INVALID = "invalid geometry"
POINT_OVER_4HA = "over 4 ha with only a point"
POINT_NO_AREA = "point without an area"
SWAPPED = "coordinates look swapped"
OUTSIDE = "outside the producer's country"
DUPLICATE_VERTEX = "duplicate vertex"
CATEGORIES = (MISSING, INVALID, POINT_OVER_4HA, POINT_NO_AREA, SWAPPED, OUTSIDE,
              DUPLICATE_VERTEX)
"""Errors: a plot with one of these is left out of the file."""

NOT_CHECKED = "country not checked"
NEAR_BORDER = "within 1 km of a border"
AREA_MISMATCH = "declared area differs from the polygon"
FEW_DECIMALS = "fewer than 6 decimals"
REVERSED = "ring written counter-clockwise"
WARNINGS = (NEAR_BORDER, AREA_MISMATCH, FEW_DECIMALS, REVERSED, NOT_CHECKED)
"""Warnings: the plot is written, and the report names it."""

AREA_TOLERANCE = Decimal("0.10")
"""Declared area against the polygon's geodesic area: a larger relative difference warns."""


@dataclass(frozen=True)
class GeoProblem:
    category: str
    producer: str
    plot: str
    detail: str
    lots: tuple[str, ...] = ()
    plot_id: int | None = None  # the plot's id (None: a producer without plots)

    def __str__(self) -> str:
        where = f"{self.producer} / {self.plot}" if self.plot else self.producer
        lots = f" (lots {', '.join(self.lots)})" if self.lots else ""
        return f"{self.category}: {where}{lots} — {self.detail}"


@dataclass
class GeoReport:
    lots: list[str] = field(default_factory=list)
    plots_checked: int = 0
    features: list[dict[str, Any]] = field(default_factory=list)
    problems: list[GeoProblem] = field(default_factory=list)
    notes: list[GeoProblem] = field(default_factory=list)  # warnings (categories WARNINGS)

    def counts(self) -> dict[str, int]:
        out = {c: 0 for c in CATEGORIES}
        for p in self.problems:
            out[p.category] += 1
        return out

    def warning_counts(self) -> dict[str, int]:
        out = {c: 0 for c in WARNINGS}
        for p in self.notes:
            out[p.category] += 1
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        lines = [f"{len(self.lots)} lots, {self.plots_checked} plots checked, "
                 f"{len(self.features)} features ready"]
        for cat, n in self.counts().items():
            lines.append(f"  {cat:<32} {n:>5}")
        for cat, n in self.warning_counts().items():
            if n:
                lines.append(f"  {cat:<32} {n:>5}  (warning)")
        for p in self.problems:
            lines.append(f"  - {p}")
        for p in self.notes:
            lines.append(f"  · {p}")
        return "\n".join(lines)


def _lots(store: Any, harvest: int | None, codes: Iterable[str] | None) -> list[Any]:
    if codes:
        lots = []
        for code in codes:
            lot = store.lot_by_code(code)
            if lot is None:
                raise UserError(f"no lot with code {code!r}")
            lots.append(lot)
        return lots
    if harvest is None:
        raise UserError("choose a harvest or one or more lot codes")
    lots = [lot for lot in store.lots_where("harvest = ?", [harvest])
            if lot.status is not LotStatus.CANCELLED]
    if not lots:
        raise UserError(f"no lots in harvest {harvest}")
    return lots


def _plot_rows(store: Any, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Plots read raw: a stored geometry may be invalid, and must be reported, not crash."""
    out: dict[int, dict[str, Any]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        cur = store.db.execute(
            f"SELECT id, producer_id, name, area_ha, geometry FROM plots "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        for id_, pid, name, area, geom in cur.fetchall():
            out[id_] = {"id": id_, "producer_id": pid, "name": name,
                        "area_ha": Decimal(area) if area else None, "geometry": geom}
    return out


def _producer_plot_ids(store: Any, producer_id: int) -> list[int]:
    """The producer's plots; for a cooperative or station without its own, its members' plots."""
    ids = [r[0] for r in store.db.execute(
        "SELECT id FROM plots WHERE producer_id = ? AND deleted_at IS NULL ORDER BY name",
        [producer_id])]
    if not ids:
        ids = [r[0] for r in store.db.execute(
            "SELECT pl.id FROM plots pl JOIN producers p ON p.id = pl.producer_id "
            "WHERE p.parent_id = ? AND pl.deleted_at IS NULL AND p.deleted_at IS NULL "
            "ORDER BY p.name, pl.name", [producer_id])]
    return ids


def validate(store: Any, *, harvest: int | None = None, codes: Iterable[str] | None = None
             ) -> GeoReport:
    """Check every plot behind the chosen lots; build the features of the valid ones."""
    lots = _lots(store, harvest, codes)
    report = GeoReport(lots=[lot.code for lot in lots])
    plots_of_lot: dict[int, list[int]] = {}
    lots_of_plot: dict[int, list[str]] = {}
    producers: dict[int, Any] = {}
    no_plots: dict[int, list[str]] = {}
    for lot in lots:
        if lot.producer_id not in producers:
            producers[lot.producer_id] = store.producer(lot.producer_id)
        ids = list(lot.plot_ids) or _producer_plot_ids(store, lot.producer_id)
        plots_of_lot[lot.id] = ids
        if not ids:
            no_plots.setdefault(lot.producer_id, []).append(lot.code)
        for pid in ids:
            lots_of_plot.setdefault(pid, []).append(lot.code)
    for pid, codes in no_plots.items():
        report.problems.append(GeoProblem(MISSING, producers[pid].name, "",
                                          "no plots recorded (nor plots of member farms)",
                                          tuple(codes)))
    rows = _plot_rows(store, sorted(lots_of_plot))
    for pid in sorted(rows, key=lambda i: (rows[i]["producer_id"], rows[i]["name"])):
        row = rows[pid]
        report.plots_checked += 1
        prod = producers.get(row["producer_id"]) or store.producer(row["producer_id"])
        feature = _check_plot(report, row, prod, tuple(sorted(lots_of_plot[pid])))
        if feature is not None:
            report.features.append(feature)
    return report


def _check_plot(report: GeoReport, row: dict[str, Any], prod: Any, lots: tuple[str, ...]
                ) -> dict[str, Any] | None:
    findings, feature = plot_findings(row["name"], row["geometry"], row["area_ha"], prod.country)
    for cat, detail in findings:
        target = report.problems if cat in CATEGORIES else report.notes
        target.append(GeoProblem(cat, prod.name, row["name"], detail, lots, row["id"]))
    if feature is None:
        return None
    feature["properties"] = {
        "ProducerName": prod.name,
        "ProducerCountry": prod.country,
        "ProductionPlace": row["name"],
        "Area": feature.pop("area"),
    }
    return feature


def _decimals(x: Any) -> int:
    if isinstance(x, Decimal):
        return max(0, -int(x.as_tuple().exponent))
    return 0


@lru_cache(maxsize=1)
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def geodesic_area_ha(ring: list[tuple[float, float]]) -> float:
    """The area of a closed lon/lat ring on the WGS84 ellipsoid, in hectares (pyproj)."""
    lons, lats = zip(*ring, strict=True)
    area, _perimeter = _geod().polygon_area_perimeter(lons, lats)
    return abs(area) / 10_000


def _signed_area(ring: list[tuple[float, float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False)) / 2


def _shapely_reason(ring: list[tuple[float, float]]) -> str:
    import shapely
    from shapely.geometry import Polygon

    try:
        return str(shapely.is_valid_reason(Polygon(ring)))
    except (ValueError, shapely.errors.GEOSException) as exc:  # too few points and the like
        return str(exc)


def _country(code: str, positions: list[tuple[float, float]]
             ) -> tuple[str, str] | None:
    """The worst border finding over the positions; ``None`` when all lie well inside."""
    from . import borders

    checks = [borders.border_check(code, lon, lat) for lon, lat in positions]
    if not checks[0].known:
        return NOT_CHECKED, f"no border data for country code {code!r}"
    name = country_name(code)
    tol = borders.BORDER_TOLERANCE_KM
    for (lon, lat), c in zip(positions, checks, strict=True):
        if not c.inside and c.distance_km > tol:
            if abs(lon) <= 90 and borders.border_check(code, lat, lon).inside:
                return SWAPPED, (f"[{lon}, {lat}] lies in {name} only with latitude and "
                                 "longitude exchanged")
            where = (f"in {borders.country_names().get(c.found, c.found)}" if c.found
                     else "in no country (sea or disputed area)")
            return OUTSIDE, (f"[{lon}, {lat}] is {where}, {c.distance_km:.1f} km outside "
                             f"{name} (tolerance {tol:g} km)")
    near = min(checks, key=lambda c: c.distance_km)
    if near.distance_km <= tol:
        side = "inside" if near.inside else "outside"
        return NEAR_BORDER, (f"{near.distance_km * 1000:.0f} m {side} the border of {name} "
                             f"(tolerance {tol:g} km): check on a map")
    return None


def plot_findings(name: str, text: str | None, declared: Decimal | None, country: str
                  ) -> tuple[list[tuple[str, str]], dict[str, Any] | None]:
    """Every check of one plot: ``[(category, detail)]`` and the feature to write (``None``
    when an error keeps it out). The feature's coordinates are the numbers as recorded
    (``Decimal`` keeps the written decimals); its ``area`` is the declared area, else the
    computed one."""
    del name  # the caller names the plot in each finding
    found: list[tuple[str, str]] = []
    if not text:
        return [(MISSING, "no point or polygon recorded")], None
    try:
        raw = json.loads(text, parse_float=Decimal)
        as_float = json.loads(text)
    except ValueError as exc:
        return [(INVALID, f"not JSON: {exc}")], None
    try:
        validate_geometry(as_float)
    except GeometryError as exc:
        detail = str(exc)
        if as_float.get("type") == "Polygon" and "cross" in detail:
            ring = [tuple(p[:2]) for p in as_float["coordinates"][0]]
            detail += f" (shapely: {_shapely_reason(ring)})"
        return [(INVALID, detail)], None
    if raw["type"] == "Point":
        coords: Any = list(raw["coordinates"][:2])
        positions = [(float(coords[0]), float(coords[1]))]
        numbers = list(coords)
        if (said := point_area_problem(declared)) is not None:
            return [(POINT_NO_AREA if declared is None else POINT_OVER_4HA, said)], None
        area = declared
    else:
        ring_raw = [list(p[:2]) for p in raw["coordinates"][0]]
        ring = [(float(p[0]), float(p[1])) for p in ring_raw]
        seen: set[tuple[float, float]] = set()
        for p in ring[:-1]:
            if p in seen:
                return [(DUPLICATE_VERTEX, f"[{p[0]}, {p[1]}] appears twice in the ring")], None
            seen.add(p)
        reason = _shapely_reason(ring)
        if reason != "Valid Geometry":
            return [(INVALID, f"not a valid polygon (shapely: {reason})")], None
        if _signed_area(ring) < 0:
            ring_raw.reverse()
            ring.reverse()
            found.append((REVERSED, "the outer ring was recorded clockwise; the file lists "
                                    "the same positions counter-clockwise (RFC 7946)"))
        computed = Decimal(str(round(geodesic_area_ha(ring), 4)))
        if declared is not None and computed > 0:
            off = abs(declared - computed) / computed
            if off > AREA_TOLERANCE:
                found.append((AREA_MISMATCH, f"declared {declared} ha, polygon {computed} ha "
                                             f"({off * 100:.0f} % apart; tolerance "
                                             f"{AREA_TOLERANCE * 100:.0f} %)"))
        area = declared if declared is not None else computed
        coords = [ring_raw]
        positions = ring[:-1]
        numbers = [x for p in ring_raw for x in p]
    fewest = min(_decimals(x) for x in numbers)
    if fewest < DECIMALS:
        found.append((FEW_DECIMALS, f"recorded with {fewest} decimals (6 or more ≈ 0.1 m); "
                                    "written as recorded, not padded"))
    where = _country(country, positions)
    if where is not None:
        found.append(where)
        if where[0] in CATEGORIES:
            return found, None
    return found, {"type": "Feature", "area": float(area),
                   "geometry": {"type": raw["type"], "coordinates": coords}}


_NUM = re.compile(r'"__n:([-0-9.]+)"')


def _coord(x: Any) -> str:
    """A coordinate as recorded: a ``Decimal`` keeps its written decimals; nothing is padded."""
    if isinstance(x, Decimal):
        return format(x, "f")
    if isinstance(x, int):
        return str(x)
    return repr(float(x))


def _mark(coords: Any) -> Any:
    if isinstance(coords, (int, float, Decimal)):
        return f"__n:{_coord(coords)}"
    return [_mark(c) for c in coords]


def geojson_text(features: list[dict[str, Any]]) -> str:
    """The FeatureCollection, [lon, lat], coordinates written as recorded."""
    marked = [
        {**f, "geometry": {"type": f["geometry"]["type"],
                           "coordinates": _mark(_lon_lat(f["geometry"]))}}
        for f in features
    ]
    text = json.dumps({"type": "FeatureCollection", "features": marked}, ensure_ascii=False,
                      separators=(",", ":"))
    return _NUM.sub(lambda m: m.group(1), text)


def _lon_lat(geom: dict[str, Any]) -> Any:
    """Positions trimmed to [lon, lat] (an altitude is not part of the EU format)."""
    if geom["type"] == "Point":
        return list(geom["coordinates"][:2])
    return [[list(p[:2]) for p in ring] for ring in geom["coordinates"]]


def export_geojson(store: Any, out: Path | str, *, harvest: int | None = None,
                   codes: Iterable[str] | None = None, force: bool = False
                   ) -> tuple[GeoReport, bool]:
    """Validate, then write ``out`` unless there are problems (``force`` writes the valid
    plots anyway). Returns the report and whether the file was written."""
    report = validate(store, harvest=harvest, codes=codes)
    if not report.features:
        return report, False
    if report.problems and not force:
        return report, False
    text = geojson_text(report.features)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise UserError("the geolocation file would exceed 25 MB; split it by lots")
    Path(out).write_text(text, encoding="utf-8")
    return report, True
