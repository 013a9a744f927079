"""``roasterdesk export-pledge``: the Transparency Pledge data points of a period, as CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "export-pledge"
HELP = "write the Transparency Pledge's five data points per lot and the share reported (CSV)"


def _date(text: str):  # type: ignore[no-untyped-def]
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2025-01-31") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_date, required=True, metavar="DATE",
                        help="first day (lots by contract date)")
    parser.add_argument("--to", dest="end", type=_date, required=True, metavar="DATE",
                        help="last day")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")


def run(args: argparse.Namespace) -> int:
    from ..services.pledge import export_pledge, summary_lines
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        rows, summary = export_pledge(store, args.start, args.end, args.out)
    for k, v in summary_lines(summary):
        print(f"{k:<42} {v}")
    print(f"wrote {len(rows)} lots to {args.out}")
    return 0
