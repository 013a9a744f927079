"""``roasterdesk info``: where the database is, its schema and what it holds."""

from __future__ import annotations

import argparse
import json

from ..cli import resolve_db

NAME = "info"
HELP = "print the database path, schema version and record counts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from ..store import Store

    path = resolve_db(args)
    with Store.open(path, create=False) as store:
        data = {
            "path": str(path),
            "schema": store.schema_version(),
            "counts": store.counts(),
            "harvests": store.harvests(),
        }
    if args.json:
        print(json.dumps(data))
    else:
        print(f"database  {data['path']}")
        print(f"schema    {data['schema']}")
        for kind, n in data["counts"].items():
            print(f"{kind:<15} {n:>9,}")
        hv = data["harvests"]
        print(f"harvests  {hv[0]}–{hv[-1]} ({len(hv)})" if hv else "harvests  none")
    return 0
