"""``roasterdesk import FILE --kind KIND``: import a spreadsheet (or GeoJSON/KML plots)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db
from ..services.fields import KINDS as FIELD_KINDS

NAME = "import"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = "import producers, people, plots, lots or visits from CSV, XLSX, GeoJSON or KML"
KINDS = tuple(FIELD_KINDS)  # the kinds the import knows the fields of (services.fields)


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
    parser.add_argument("--skip-invalid", action="store_true",
                        help="import the valid rows and write the others, with a 'problem' "
                             "column, to FILE.rejected.csv beside the file (default: all rows "
                             "or none)")


def _progress(what: str):  # type: ignore[no-untyped-def]
    """A progress line on stderr when it is a terminal, else None."""
    import sys

    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{what}: {done:,} of {total:,}", end=end, file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..services.import_checks import plural
    from ..services.importing import (
        import_rows,
        load_mapping,
        plan_import,
        read_source,
        rejects_path,
        write_rejects,
    )
    from ..store import Store

    def refused(plan) -> UserError:  # type: ignore[no-untyped-def]
        hint = (" (--skip-invalid imports the valid rows)" if not args.skip_invalid
                else "" if plan.skippable else " (--skip-invalid rejects rows: a problem of the "
                "file as a whole, above, must be fixed first)")
        return UserError(f"{plural(plan.error_count, 'error')}: nothing was imported{hint}")

    with Store.open(resolve_db(args), create=False) as store:
        table = read_source(args.file, args.kind, args.sheet)
        mapping = load_mapping(args.mapping, args.kind, table.headers) if args.mapping else None
        how = {"on_duplicate": args.on_duplicate,
               "defaults": {"producer": args.producer or "", "country": args.country or ""}}
        if args.dry_run:
            plan = plan_import(store, table, args.kind, mapping, **how,
                               progress=_progress("checking rows"))
            print(plan.report(limit=None))
            if not plan.ok and not (args.skip_invalid and plan.skippable):
                raise refused(plan)
            if plan.rejected:
                print(f"dry run: nothing was written; --skip-invalid would import "
                      f"{plural(sum(plan.counts.values()), 'row')} and reject "
                      f"{plural(len(plan.rejected), 'row')}")
            else:
                print("dry run: nothing was written")
            return 0
        out = rejects_path(args.file)

        def rejects(plan) -> None:  # type: ignore[no-untyped-def]
            if plan.rejected:  # written before the rows are committed: never lost
                write_rejects(plan, out)

        # one reading of the file: checked and written a batch at a time, in one transaction
        plan, result = import_rows(store, table, args.kind, mapping, **how,
                                   skip_invalid=args.skip_invalid, before_commit=rejects,
                                   progress=_progress("importing rows"))
        print(plan.report(limit=None))
        if result is None:
            raise refused(plan)
        if plan.rejected:
            print(f"{plural(len(plan.rejected), 'row')} rejected, written with a 'problem' "
                  f"column to {out}")
        print(result)
    return 0
