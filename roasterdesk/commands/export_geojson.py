"""``roasterdesk export-geojson``: the EUDR geolocation file of a harvest or of some lots."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "export-geojson"
HELP = "validate plot geolocation and write the EUDR GeoJSON file for a harvest or lots"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--harvest", type=int, metavar="YEAR", help="every lot of this harvest")
    which.add_argument("--lot", nargs="+", metavar="CODE", help="these lots")
    parser.add_argument("--out", type=Path, required=True, help="GeoJSON file to write")
    parser.add_argument("--force", action="store_true",
                        help="write the valid plots even when others have problems")


def run(args: argparse.Namespace) -> int:
    from ..services.eudr import export_geojson
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        report, written = export_geojson(store, args.out, harvest=args.harvest, codes=args.lot,
                                         force=args.force)
    print(report.text())
    if written:
        print(f"wrote {len(report.features)} plots to {args.out}")
        return 0 if report.ok else 1
    if not report.features:
        print("nothing written: no plot has a valid geolocation")
    else:
        print(f"nothing written: fix the {len(report.problems)} problems above, "
              "or use --force to write the valid plots only")
    return 1
