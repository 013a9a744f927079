"""``roasterdesk import-c-prices FILE [--market london]``: store a monthly C price series
(US cents/lb), or the ICE London robusta series (USD per tonne)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "import-c-prices"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = ("import a monthly ICE C price series (CSV/XLSX: month, US cents/lb), or with "
        "--market london the ICE London robusta series (USD per tonne)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="CSV or XLSX with a month and a price column")
    parser.add_argument("--market", choices=("c", "london"), default="c",
                        help="c: ICE C, US cents/lb (default); london: ICE London robusta, "
                             "USD per tonne")
    parser.add_argument("--dry-run", action="store_true", help="check only; write nothing")


def run(args: argparse.Namespace) -> int:
    from ..domain.words import plural
    from ..errors import UserError
    from ..services.reference_prices import import_c_prices
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        result = import_c_prices(store, args.file, dry_run=args.dry_run, market=args.market)
    print(result.report())
    if not result.ok:
        raise UserError(f"{plural(len(result.problems), 'problem')}: nothing was imported")
    print("dry run: nothing was written" if args.dry_run else f"stored {len(result.months)} months")
    return 0
