"""``roasterdesk eudr --lot CODE``: a lot's EUDR readiness and DDS records; records them too."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..cli import resolve_db

NAME = "eudr"
HELP = "show a lot's EUDR readiness and DDS references; record its DDS, upstream references "\
       "and legality documents"
WRITES = True  # the command line takes the writer lock before run() (cli.main)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lot", required=True, metavar="CODE", help="the lot")
    own = parser.add_argument_group("the lot's own DDS (TRACES)")
    own.add_argument("--dds", metavar="REF", help="reference number")
    own.add_argument("--verification", metavar="NUMBER", default="", help="verification number")
    own.add_argument("--submitted", type=date.fromisoformat, metavar="YYYY-MM-DD",
                     help="submission date")
    own.add_argument("--status", default="",
                     help="draft, submitted, available, rejected, withdrawn or archived")
    up = parser.add_argument_group("a DDS received from an upstream operator")
    up.add_argument("--upstream", metavar="REF", help="reference number received")
    up.add_argument("--upstream-verification", metavar="NUMBER", default="")
    up.add_argument("--supplier", default="", help="who gave the reference")
    doc = parser.add_argument_group("a legality document (certificate, land title…)")
    doc.add_argument("--document", type=Path, metavar="FILE", help="file to attach")
    doc.add_argument("--title", default="", help="the document's title (default: file name)")
    doc.add_argument("--kind", default="", help="certificate, land title, permit …")
    doc.add_argument("--producer-document", action="store_true",
                     help="attach to the lot's producer, not to the lot")


def run(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..services.attachments import store_file
    from ..services.backup import attachments_dir_for
    from ..services.eudr_pack import readiness
    from ..store import Store
    from ..store.eudr_records import Dds, LegalityDocument

    db = resolve_db(args)
    with Store.open(db, create=False) as store:
        lot = store.lot_by_code(args.lot)
        if lot is None:
            raise UserError(f"no lot with code {args.lot!r}")
        if args.dds:
            own = next((d for d in store.dds_of_lot(lot.id) if d.role == "own"), None)
            fields = {"reference": args.dds, "verification": args.verification,
                      "submitted_on": args.submitted, "status": args.status}
            if own is None:
                store.save_dds(Dds(lot.id, "own", **fields))
            else:
                store.save_dds(Dds(**{**own.__dict__, **fields}))
        if args.upstream:
            store.save_dds(Dds(lot.id, "upstream", args.upstream, args.upstream_verification,
                               supplier=args.supplier))
        if args.document:
            stored = store_file(args.document, attachments_dir_for(db), allowed=None)
            store.add_legality_document(LegalityDocument(
                args.title or args.document.name, stored.sha256, stored.path.name, args.kind,
                None if args.producer_document else lot.id,
                lot.producer_id if args.producer_document else None))
        r = readiness(store, args.lot)
    print(f"lot {r.code}: {r.producer} ({r.country}), harvest {r.harvest}")
    print(f"EUDR: {'ready' if r.ready else 'not ready: ' + '; '.join(r.reasons)}")
    if not r.dds:
        print("DDS: none recorded")
    for d in r.dds:
        on = d.submitted_on.isoformat() if d.submitted_on else "date not recorded"
        print(f"DDS ({d.role}): {d.reference}  verification {d.verification or 'not recorded'}"
              f"  {on}  status {d.status or 'not recorded'}"
              + (f"  from {d.supplier}" if d.supplier else ""))
    for doc in r.documents:
        print(f"document: {doc.title} ({doc.kind or 'document'}) {doc.file_name}")
    print(r.report.text())
    return 0
