"""``roasterdesk eudr-pack``: the EUDR due-diligence pack (ZIP) of a lot or of a harvest."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "eudr-pack"
HELP = "write the EUDR due-diligence pack (GeoJSON, PDF summary, DDS, documents, manifest)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--lot", metavar="CODE", help="one lot: --out is the ZIP file")
    which.add_argument("--harvest", type=int, metavar="YEAR",
                       help="every lot of the harvest: --out is a folder, one ZIP per lot")
    parser.add_argument("--out", type=Path, required=True)


def run(args: argparse.Namespace) -> int:
    from ..services.backup import attachments_dir_for
    from ..services.eudr_pack import write_harvest_packs, write_pack
    from ..store import Store

    db = resolve_db(args)
    with Store.open(db, create=False) as store:
        if args.lot:
            results = [write_pack(store, args.lot, args.out, attachments_dir_for(db))]
            print(f"wrote {args.out}")
        else:
            results, seconds = write_harvest_packs(store, args.harvest, args.out,
                                                   attachments_dir_for(db))
            print(f"wrote {len(results)} packs to {args.out} in {seconds:.1f} s")
    for r in results:
        print(f"  {r.code}: {'ready' if r.ready else 'not ready: ' + '; '.join(r.reasons)}")
    return 0 if all(r.ready for r in results) else 1
