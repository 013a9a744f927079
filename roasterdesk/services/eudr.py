"""The EUDR geolocation file: a GeoJSON FeatureCollection of the plots a set of lots came from.

Rules (DOMAIN.md, EU GeoJSON File Description v1.2): WGS84, positions ``[longitude, latitude]``
with at least 6 decimals; a plot of ≤ 4 ha may be a Point with its ``Area`` (ha); a plot over
4 ha must be a Polygon (closed ring of ≥ 4 positions, no self-intersection, no holes);
properties ``ProducerName``, ``ProducerCountry`` (ISO-2), ``ProductionPlace``, ``Area``.

Which plots: the plots linked to each lot; a lot with no linked plot stands for all plots of its
producer (the buyer did not record which ones), and for a cooperative or washing station without
plots of its own, for the plots of its member farms (each feature then names the member farm).
Before writing, :func:`validate` lists every
problem; plots with an error are left out of the file.

Country check: a rectangle around each origin country (:mod:`roasterdesk.domain.countries`) — a
plausibility test for swapped or mistyped coordinates, not a border test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..domain.countries import country_name, location_check
from ..domain.geo import GeometryError, centroid, geometry_area_ha, validate_geometry
from ..domain.model import LotStatus
from ..errors import UserError

POINT_MAX_HA = Decimal(4)
DECIMALS = 6
MAX_BYTES = 25 * 1024 * 1024

MISSING = "missing geolocation"
INVALID = "invalid geometry"
POINT_OVER_4HA = "over 4 ha with only a point"
POINT_NO_AREA = "point without an area"
SWAPPED = "coordinates look swapped"
OUTSIDE = "outside the producer's country"
NOT_CHECKED = "country not checked"
CATEGORIES = (MISSING, INVALID, POINT_OVER_4HA, POINT_NO_AREA, SWAPPED, OUTSIDE)
"""Errors: a plot with one of these is left out of the file."""


@dataclass(frozen=True)
class GeoProblem:
    category: str
    producer: str
    plot: str
    detail: str
    lots: tuple[str, ...] = ()

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
    notes: list[GeoProblem] = field(default_factory=list)  # warnings (country not checked)

    def counts(self) -> dict[str, int]:
        out = {c: 0 for c in CATEGORIES}
        for p in self.problems:
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
        if self.notes:
            lines.append(f"  {NOT_CHECKED:<32} {len(self.notes):>5}")
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
        "SELECT id FROM plots WHERE producer_id = ? ORDER BY name", [producer_id])]
    if not ids:
        ids = [r[0] for r in store.db.execute(
            "SELECT pl.id FROM plots pl JOIN producers p ON p.id = pl.producer_id "
            "WHERE p.parent_id = ? ORDER BY p.name, pl.name", [producer_id])]
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
    def problem(cat: str, detail: str) -> None:
        report.problems.append(GeoProblem(cat, prod.name, row["name"], detail, lots))

    if not row["geometry"]:
        problem(MISSING, "no point or polygon recorded")
        return None
    try:
        geom = json.loads(row["geometry"])
        validate_geometry(geom)
    except (ValueError, GeometryError) as exc:
        problem(INVALID, str(exc))
        return None
    area = row["area_ha"]
    if geom["type"] == "Point":
        if area is None:
            problem(POINT_NO_AREA, "a point needs the plot's area in ha")
            return None
        if area > POINT_MAX_HA:
            problem(POINT_OVER_4HA, f"{area} ha needs a polygon")
            return None
    else:
        computed = Decimal(str(round(geometry_area_ha(geom) or 0, 4)))
        if area is None:
            area = computed
    lon, lat = centroid(geom)
    where = location_check(prod.country, lon, lat)
    if where == "swapped":
        problem(SWAPPED, f"[{lon:.6f}, {lat:.6f}] lies in {country_name(prod.country)} only "
                         "with latitude and longitude exchanged")
        return None
    if where == "outside":
        problem(OUTSIDE, f"[{lon:.6f}, {lat:.6f}] is outside {country_name(prod.country)}")
        return None
    if where == "unknown":
        report.notes.append(GeoProblem(NOT_CHECKED, prod.name, row["name"],
                                       f"no bounding box for {prod.country}", lots))
    return {
        "type": "Feature",
        "properties": {
            "ProducerName": prod.name,
            "ProducerCountry": prod.country,
            "ProductionPlace": row["name"],
            "Area": float(area),
        },
        "geometry": {"type": geom["type"], "coordinates": geom["coordinates"]},
    }


_NUM = re.compile(r'"__n:([-0-9.]+)"')


def _coord(x: float) -> str:
    """At least 6 decimals, at most 8 (≈ 1 mm), no trailing noise."""
    text = f"{x:.8f}".rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(DECIMALS, '0')}"


def _mark(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return f"__n:{_coord(float(coords))}"
    return [_mark(c) for c in coords]


def geojson_text(features: list[dict[str, Any]]) -> str:
    """The FeatureCollection, coordinates written with ≥ 6 decimals ([lon, lat])."""
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
