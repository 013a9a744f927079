"""``roasterdesk statement --lot CODE --json``: the data behind a lot's impact statement.

Every figure, series, checklist answer (with its rule or what is missing) and consent decision
that the PDF lays out, as JSON on standard output. Exit 2 for a user error (no such lot; an
offer or a cancelled lot, which gets no statement).
"""

from __future__ import annotations

import argparse
import json

from ..cli import resolve_db

NAME = "statement"
HELP = "print the data of a lot's impact statement (--json)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lot", required=True, metavar="CODE", help="the lot's code")
    parser.add_argument("--json", action="store_true", required=True,
                        help="print the statement's data as JSON")
    parser.add_argument("--on", default=None, metavar="YYYY-MM-DD",
                        help="statement date (consent is checked on it; default today)")
    parser.add_argument("--template", default=None, metavar="NAME",
                        help="template whose words stand in for withheld names")


def run(args: argparse.Namespace) -> int:
    from datetime import date

    from ..errors import UserError
    from ..pdf.data import statement_json
    from ..services.statement import bought_lot, load_statement, open_read_only

    on = None
    if args.on:
        try:
            on = date.fromisoformat(args.on)
        except ValueError as exc:
            raise UserError(f"--on: {args.on!r} is not a date (YYYY-MM-DD)") from exc
    tpl = None
    if args.template is not None:
        from ..pdf import load_template

        tpl = load_template(args.template)
    store = open_read_only(resolve_db(args))
    try:
        data = load_statement(store, bought_lot(store, args.lot), on=on, photos=True,
                              template=tpl)
    finally:
        store.close()
    print(json.dumps(statement_json(data), ensure_ascii=False, indent=2))
    return 0
