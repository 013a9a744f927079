"""Build ``resources/borders/countries-10m.json.gz`` from the npm package ``world-atlas``.

Run by hand when the border data is updated (not at build or run time)::

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
    pip install --target /tmp/pyc pycountry
    PYTHONPATH=/tmp/pyc python tools/build_borders.py /tmp/package/countries-10m.json

world-atlas 2 is Natural Earth 4.1.0 admin-0 (1:10m) as quantized TopoJSON whose geometry ids
are ISO 3166-1 *numeric* codes. The output keeps the topology (quantized, delta-encoded arcs:
the compact form), drops the ``land`` object, and gives every country its ISO-2 code in
``properties.iso2``. Natural Earth's unrecognised or special areas carry no id; they are
mapped below by name (Kosovo XK, Northern Cyprus CY …) or left without a code (disputed reefs).
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pycountry

# Natural Earth areas without an ISO numeric id in world-atlas: the ISO-2 of the country a plot
# there must be declared in, or "" where no single country applies (disputed).
BY_NAME = {
    "Kosovo": "XK",
    "Somaliland": "SO",
    "N. Cyprus": "CY",
    "Cyprus U.N. Buffer Zone": "CY",
    "Dhekelia": "GB",
    "Akrotiri": "GB",
    "USNB Guantanamo Bay": "CU",
    "Baikonur": "KZ",
    "Indian Ocean Ter.": "AU",
    "Coral Sea Is.": "AU",
    "Clipperton I.": "FR",
    "Bajo Nuevo Bank": "CO",
    "Serranilla Bank": "CO",
    "Siachen Glacier": "",
    "Spratly Is.": "",
    "Scarborough Reef": "",
}


def iso2(geometry: dict) -> str:
    name = geometry["properties"]["name"]
    numeric = geometry.get("id")
    if numeric is None:
        if name not in BY_NAME:
            raise SystemExit(f"no ISO code for {name!r}: add it to BY_NAME")
        return BY_NAME[name]
    country = pycountry.countries.get(numeric=str(numeric).zfill(3))
    if country is None:
        raise SystemExit(f"unknown ISO numeric {numeric} ({name})")
    return country.alpha_2


def main(source: str) -> None:
    topo = json.loads(Path(source).read_text(encoding="utf-8"))
    countries = topo["objects"]["countries"]
    for geometry in countries["geometries"]:
        geometry["properties"] = {"name": geometry["properties"]["name"], "iso2": iso2(geometry)}
        geometry.pop("id", None)
    out = {
        "type": "Topology",
        "transform": topo["transform"],
        "objects": {"countries": countries},
        "arcs": topo["arcs"],
    }
    root = Path(__file__).resolve().parent.parent
    target = root / "resources" / "borders" / "countries-10m.json.gz"
    data = json.dumps(out, separators=(",", ":")).encode()
    target.write_bytes(gzip.compress(data, 9, mtime=0))
    print(f"{target}: {target.stat().st_size} bytes, {len(countries['geometries'])} areas")


if __name__ == "__main__":
    main(sys.argv[1])
