"""``roasterdesk info``: where the database is, its schema and what it holds."""

from __future__ import annotations

import argparse
import json

from ..cli import resolve_db

NAME = "info"
HELP = "print the database path, schema version and record counts"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--full-check", action="store_true",
                        help="run SQLite's full integrity check of every page and index first "
                             "(seconds for a large file; exit 2 if the file is damaged)")


def run(args: argparse.Namespace) -> int:
    from ..store import Store, integrity

    path = resolve_db(args)
    if args.full_check:
        Store.open(path, create=False).close()  # refused first if newer, locked or damaged
        integrity.full_check(path)
    with Store.open(path, create=False) as store:
        data = {
            "path": str(path),
            "schema": store.schema_version(),
            "counts": store.counts(),
            "harvests": store.harvests(),
        }
    last = integrity.last_check(path)
    data["full_check"] = ({"at": last.at.isoformat(), "passed": last.passed,
                           "detail": last.detail} if last else None)
    if args.json:
        print(json.dumps(data))
    else:
        print(f"database  {data['path']}")
        print(f"schema    {data['schema']}")
        for kind, n in data["counts"].items():
            print(f"{kind:<15} {n:>9,}")
        hv = data["harvests"]
        print(f"harvests  {hv[0]}–{hv[-1]} ({len(hv)})" if hv else "harvests  none")
        print(integrity.describe(path))
    return 0
