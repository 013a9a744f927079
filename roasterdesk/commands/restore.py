"""``roasterdesk restore BACKUP``: verify a backup, move the current database aside, restore."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "restore"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = "restore a backup zip (verified first; the current database is moved aside, not deleted)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", type=Path, help="a backup made by `roasterdesk backup`")


def run(args: argparse.Namespace) -> int:
    from ..services.backup import describe, restore_backup

    path = resolve_db(args)
    result = restore_backup(args.backup, path)
    print(f"restored {describe(result.info)}")
    print(f"into     {result.db_path}")
    if result.moved_aside is not None:
        print(f"previous database kept as {result.moved_aside}")
    if result.attachments_added:
        print(f"{result.attachments_added} attachments restored")
    return 0
