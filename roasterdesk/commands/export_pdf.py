"""``roasterdesk export-pdf``: a lot's impact statement as PDF, or every lot of a harvest."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..cli import resolve_db
from ..errors import UserError

NAME = "export-pdf"
HELP = ("write the customer impact statement of one lot (--lot CODE --out FILE) or of every lot "
        "of a harvest (--harvest YEAR --out-dir DIR)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--lot", metavar="CODE", help="the lot's code, e.g. CO-25-001")
    which.add_argument("--harvest", type=int, metavar="YEAR",
                       help="every lot of this harvest (not an offer, not cancelled)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="PDF file to write (--lot)")
    parser.add_argument("--out-dir", type=Path, metavar="DIR",
                        help="folder for the PDFs, one per lot, named by code (--harvest)")
    parser.add_argument("--template", default=None, metavar="NAME",
                        help="a template in reports/ (e.g. default-es) or a .toml file "
                             "(default: default-en)")
    parser.add_argument("--processes", type=int, default=None, metavar="N",
                        help="worker processes for --harvest (default: number of cores)")


def run(args: argparse.Namespace) -> int:
    from ..services.statement import open_read_only

    path = resolve_db(args)
    if args.lot is not None:
        if args.out is None:
            raise UserError("--lot needs --out FILE")
        from ..pdf import load_template
        from ..services.statement import bought_lot
        from ..services.statement_batch import export_one

        template = load_template(args.template)
        store = open_read_only(path)
        try:
            lot = bought_lot(store, args.lot)
            assert lot.id is not None
            if lot.status is None:
                print(f"roasterdesk: {lot.code}: status not recorded (is the lot bought? the "
                      "statement shows its prices as paid)", file=sys.stderr)
            done = export_one(store, lot.id, template, args.out)
        finally:
            store.close()
        print(f"wrote {done.path} ({done.pages} pages)")
        _warn(template.problems())
        return 0
    if args.out_dir is None:
        raise UserError("--harvest needs --out-dir DIR")
    from ..services.statement_batch import export_batch
    from ..store.sql import BOUGHT_SQL

    store = open_read_only(path)
    try:
        lots = store.lots_where(f"harvest = ? AND {BOUGHT_SQL}", [args.harvest])
    finally:
        store.close()
    if not lots:
        raise UserError(f"no lots of harvest {args.harvest} in {path}")
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"\rexporting: {done:,} of {total:,}", end="", file=sys.stderr, flush=True)

    done = export_batch(path, [(x.id, x.code) for x in lots if x.id is not None], args.out_dir,
                        template=args.template, processes=args.processes, progress=progress)
    print(file=sys.stderr)
    pages = sum(d.pages for d in done)
    print(f"wrote {len(done)} statements ({pages} pages) to {args.out_dir} "
          f"in {time.perf_counter() - started:.1f} s")
    from ..pdf import load_template

    _warn(load_template(args.template).problems())
    return 0


def _warn(problems: list[str]) -> None:
    """The template's problems (the shipped example roaster name or link, a missing logo) on
    stderr: a statement for customers is never written with them in silence."""
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
