"""What the Map page draws: every plot with coordinates, with its producer and origin."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..domain.geo import geometry_area_ha


@dataclass(frozen=True)
class PlotMark:
    plot_id: int
    plot: str
    producer_id: int
    producer: str
    country: str
    geometry: dict[str, Any]
    area_ha: float | None  # as recorded, else the outline's area; None for a point without one

    def points(self) -> list[tuple[float, float]]:
        """(lon, lat) of the point, or of the outline's corners."""
        g = self.geometry
        if g.get("type") == "Point":
            return [(float(g["coordinates"][0]), float(g["coordinates"][1]))]
        return [(float(p[0]), float(p[1])) for p in g["coordinates"][0]]

    def centre(self) -> tuple[float, float]:
        pts = self.points()
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts = pts[:-1]
        return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def plot_marks(store: Any, country: str | None = None) -> list[PlotMark]:
    """Every live plot with a point or an outline (of producers in ``country`` if given)."""
    sql = ("SELECT pl.id, pl.name, pl.geometry, pl.area_ha, pr.id, pr.name, pr.country "
           "FROM plots pl JOIN producers pr ON pr.id = pl.producer_id "
           "WHERE pl.deleted_at IS NULL AND pr.deleted_at IS NULL AND pl.geometry IS NOT NULL")
    params: list[Any] = []
    if country:
        sql += " AND pr.country = ?"
        params.append(country)
    marks = []
    for pid, name, geometry, area, prid, producer, code in store.db.execute(
            sql + " ORDER BY pr.name, pl.name", params):
        try:
            g = json.loads(geometry)
            if g.get("type") not in ("Point", "Polygon"):
                continue
        except (TypeError, ValueError, AttributeError):
            continue
        if area is not None:
            area_ha: float | None = float(area)
        elif g["type"] == "Polygon":
            computed = geometry_area_ha(g)
            area_ha = float(computed) if computed is not None else None
        else:
            area_ha = None
        marks.append(PlotMark(int(pid), name, int(prid), producer, code or "", g, area_ha))
    return marks


def producers_without_coordinates(store: Any, country: str | None = None) -> int:
    """How many live producers (of ``country`` if given) have no plot with coordinates."""
    sql = ("SELECT count(*) FROM producers pr WHERE pr.deleted_at IS NULL AND NOT EXISTS ("
           "SELECT 1 FROM plots pl WHERE pl.producer_id = pr.id AND pl.deleted_at IS NULL "
           "AND pl.geometry IS NOT NULL)")
    params: list[Any] = []
    if country:
        sql += " AND pr.country = ?"
        params.append(country)
    return int(store.db.execute(sql, params).fetchone()[0])
