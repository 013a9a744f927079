"""``roasterdesk export --kind KIND --out FILE``: a list to CSV or XLSX (re-importable)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "export"
HELP = "export producers, people, plots, lots or visits to CSV or XLSX"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True,
                        choices=("producers", "people", "plots", "lots", "visits"))
    parser.add_argument("--out", type=Path, required=True, help=".csv or .xlsx file to write")


def run(args: argparse.Namespace) -> int:
    from ..services.exporting import export_list
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        n = export_list(store, args.kind, args.out)
    print(f"wrote {n:,} {args.kind} to {args.out}")
    return 0
