"""Plots from GeoJSON and KML files, as a table the plot import understands.

Each feature (GeoJSON) or Placemark (KML) becomes one row; its "line" is the feature's number
in the file (1 = first feature). Properties are columns: the EUDR names (``ProducerName``,
``ProducerCountry``, ``ProductionPlace``, ``Area``) map by themselves; the geometry goes into a
GeoJSON text column. KML is parsed with ``xml.etree``; a file with a DOCTYPE (entity
declarations, the route of "billion laughs" and external-entity attacks) is refused.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from ..errors import UserError
from .tabular import Table

GEOMETRY_COLUMN = "Geometry (GeoJSON)"


def _rows_to_table(path: Path, records: list[tuple[int, dict[str, str]]], what: str) -> Table:
    headers: list[str] = []
    for _n, props in records:
        for k in props:
            if k not in headers:
                headers.append(k)
    rows = [(n, [props.get(h, "") for h in headers]) for n, props in records]
    return Table(headers, rows, 0, path.name, [f"{len(records)} {what}; line = {what[:-1]} number"])


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_geojson(path: Path) -> Table:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError(f"{path.name} is not GeoJSON: {exc}") from exc
    if isinstance(data, dict) and data.get("type") == "FeatureCollection":
        features = data.get("features") or []
    elif isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    else:
        raise UserError(f"{path.name}: expected a GeoJSON FeatureCollection or Feature")
    records = []
    for n, feat in enumerate(features, 1):
        props = {k: _text(v) for k, v in ((feat or {}).get("properties") or {}).items()
                 if not isinstance(v, (dict, list))}
        geom = (feat or {}).get("geometry")
        props[GEOMETRY_COLUMN] = json.dumps(geom) if geom else ""
        records.append((n, props))
    return _rows_to_table(path, records, "features")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _coords(text: str) -> list[list[float]]:
    out = []
    for tup in text.split():
        parts = tup.split(",")
        if len(parts) < 2:
            raise ValueError(f"KML coordinates {tup!r} are not lon,lat[,alt]")
        out.append([float(parts[0]), float(parts[1])])
    return out


def _kml_geometry(pm: ET.Element) -> dict | None:
    for el in pm.iter():
        tag = _local(el.tag)
        if tag == "Point":
            c = next((e for e in el.iter() if _local(e.tag) == "coordinates"), None)
            if c is not None and c.text:
                return {"type": "Point", "coordinates": _coords(c.text)[0]}
        if tag == "Polygon":
            rings = []
            for b in el:
                if _local(b.tag) in ("outerBoundaryIs", "innerBoundaryIs"):
                    c = next((e for e in b.iter() if _local(e.tag) == "coordinates"), None)
                    if c is not None and c.text:
                        rings.append(_coords(c.text))
            return {"type": "Polygon", "coordinates": rings}
    return None


def read_kml(path: Path) -> Table:
    raw = path.read_bytes()
    if re.search(rb"<!DOCTYPE|<!ENTITY", raw[:4096], re.IGNORECASE):
        raise UserError(f"{path.name}: KML with a DOCTYPE is refused (entity declarations)")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise UserError(f"{path.name} is not valid KML: {exc}") from exc
    records = []
    for n, pm in enumerate((e for e in root.iter() if _local(e.tag) == "Placemark"), 1):
        props: dict[str, str] = {}
        for child in pm:
            tag = _local(child.tag)
            if tag == "name" and child.text:
                props["ProductionPlace"] = child.text.strip()
            elif tag == "ExtendedData":
                for d in child.iter():
                    dt = _local(d.tag)
                    if dt == "Data" and d.get("name"):
                        val = next((v.text for v in d if _local(v.tag) == "value"), "")
                        props[d.get("name", "")] = (val or "").strip()
                    elif dt == "SimpleData" and d.get("name"):
                        props[d.get("name", "")] = (d.text or "").strip()
        try:
            geom = _kml_geometry(pm)
        except ValueError as exc:
            raise UserError(f"{path.name}, placemark {n}: {exc}") from exc
        props[GEOMETRY_COLUMN] = json.dumps(geom) if geom else ""
        records.append((n, props))
    return _rows_to_table(path, records, "placemarks")


def read_geo_table(path: Path) -> Table:
    path = Path(path)
    if not path.exists():
        raise UserError(f"{path} does not exist")
    if path.suffix.lower() == ".kml":
        return read_kml(path)
    return read_geojson(path)
