"""``roasterdesk backup``: a verified backup of the database and its attachments (one zip)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "backup"
HELP = "write a verified backup (database + attachments) to the backup folder or --out DIR"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out", type=Path, default=None,
        help="folder for the backup (default: <db name>-backups beside the database)")
    parser.add_argument("--list", action="store_true",
                        help="list the backups instead of making one")


def run(args: argparse.Namespace) -> int:
    import time

    from ..services import backup as B

    path = resolve_db(args)
    folder = args.out if args.out is not None else B.default_backup_dir(path)
    if args.list:
        infos = B.list_backups(folder)
        for info in infos:
            print(f"{B.describe(info)}  {info.path.name}")
        if not infos:
            print(f"no backups in {folder}")
        return 0
    start = time.monotonic()
    info = B.create_backup(path, folder, reason=B.MANUAL)
    print(f"{info.path}")
    print(f"verified: integrity ok, {info.records:,} records in {len(info.counts)} tables, "
          f"{info.attachments} attachments, {time.monotonic() - start:.1f} s")
    return 0
