"""``roasterdesk preflight``: what a lot's impact statement will have to call "not recorded".

Exit status: 0 when nothing is missing, 1 when the list is not empty (so scripts can test it),
2 for a user error (no such lot, no database).
"""

from __future__ import annotations

import argparse

from ..cli import resolve_db

NAME = "preflight"
HELP = ("list what a lot's impact statement is missing (exit 0: nothing missing, 1: items "
        "listed)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lot", required=True, metavar="CODE", help="the lot's code")
    parser.add_argument("--template", default=None, metavar="NAME",
                        help="also check this template (logo file, link, roaster name)")


def run(args: argparse.Namespace) -> int:
    from ..services.statement import open_read_only, preflight

    problems = []
    if args.template is not None:
        from ..pdf import load_template

        problems = load_template(args.template).problems()
    store = open_read_only(resolve_db(args))
    try:
        items = preflight(store, args.lot) + problems
    finally:
        store.close()
    if not items:
        print(f"{args.lot}: nothing missing")
        return 0
    print(f"{args.lot}: {len(items)} missing")
    for item in items:
        print(f"  - {item}")
    return 1
