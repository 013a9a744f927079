"""``roasterdesk import FILE --kind KIND``: import a spreadsheet (or GeoJSON/KML plots)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "import"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = "import producers, people, plots, lots or visits from CSV, XLSX, GeoJSON or KML"
KINDS = ("producers", "people", "plots", "lots", "visits")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="CSV, XLSX (first sheet), GeoJSON or KML file")
    parser.add_argument("--kind", required=True, choices=KINDS, help="what the rows are")
    parser.add_argument("--dry-run", action="store_true",
                        help="check the file and print the report; write nothing")
    parser.add_argument("--mapping", type=Path, metavar="FILE",
                        help='JSON {"column header": "field" or null} overriding the automatic '
                             "column mapping")
    parser.add_argument("--on-duplicate", choices=("update", "skip"), default="skip",
                        help="a row matching a stored record (code, or name + country): "
                             "update it or skip it (default: skip)")
    parser.add_argument("--sheet", help="XLSX sheet name (default: the first)")
    parser.add_argument("--producer", help="producer for rows that name none (e.g. a KML file)")
    parser.add_argument("--country", help="country for rows that name none")


def run(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..services.importing import commit_import, load_mapping, plan_import, read_source
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        table = read_source(args.file, args.kind, args.sheet)
        mapping = load_mapping(args.mapping, args.kind, table.headers) if args.mapping else None
        plan = plan_import(store, table, args.kind, mapping, on_duplicate=args.on_duplicate,
                           defaults={"producer": args.producer or "",
                                     "country": args.country or ""})
        print(plan.report(limit=None))
        if not plan.ok:
            raise UserError(f"{len(plan.errors):,} errors: nothing was imported")
        if args.dry_run:
            print("dry run: nothing was written")
            return 0
        print(commit_import(store, plan))
    return 0
