"""``roasterdesk export-producer``: everything about one producer, as JSON + photos in a zip."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "export-producer"
HELP = "export all data about one producer (JSON and photos in a zip), e.g. on their request"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("producer", help="producer id, UUID or exact name")
    parser.add_argument("--out", type=Path, required=True, help="zip file to write")


def run(args: argparse.Namespace) -> int:
    from ..services.producer_data import export_producer, find_producer
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        producer = find_producer(store, args.producer)
        photos, missing = export_producer(store, producer.id, args.out)
    print(f"wrote {producer.name} ({producer.country}) to {args.out}: producer.json and "
          f"{photos} photos" + (f"; {len(missing)} photo files not found" if missing else ""))
    return 0
