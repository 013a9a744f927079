"""``roasterdesk sync``: push this database's changes to the team hub, then pull the others'."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..cli import resolve_db

NAME = "sync"
HELP = "sync with the team hub (PostgreSQL): push local changes, then pull the team's"
WRITES = True  # the command line takes the writer lock before run() (cli.main)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", metavar="URL",
                        help="postgresql:// URL of the hub (needed once; remembered for this "
                             "database, its password kept in the keyring)")
    parser.add_argument("--join", metavar="URL",
                        help="make a new database (--db) from the hub, then keep syncing it; "
                             "--db may also be an empty one, e.g. made by 'init' and "
                             "'encrypt' to join encrypted")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from ..services import sync

    path = resolve_db(args)
    url = args.join or args.hub
    made = bool(args.join) and not path.exists()  # a join's new file, removed if it fails
    try:
        return _run(args, path, url)
    except sync.HubError:
        if made:
            _remove_empty(path)
        raise


def _remove_empty(path: Path) -> None:
    """The file a failed ``--join`` made, while it holds no record (nothing is lost)."""
    from ..store import Store

    with Store.open(path) as store:
        if any(store.counts().values()):
            return
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        p.unlink(missing_ok=True)


def _run(args: argparse.Namespace, path: Path, url: str | None) -> int:
    from ..services import sync
    from ..store import Store

    with Store.open(path, create=bool(args.join)) as store:
        if args.join and (any(store.counts().values()) or sync.hub_url_of(store)):
            raise sync.HubError(f"{path} holds records already: --join fills a new or empty "
                                "database (give another --db, or sync this one with --hub)")
        try:
            result = sync.sync(store, url)
        except sync.HubError as exc:
            if args.json:  # a script asking for JSON gets it, and the one line on stderr
                print(json.dumps({"error": str(exc),
                                  "offline": isinstance(exc, sync.HubUnreachable)}))
            raise
    for note in result.notes:
        print(f"warning: {note}", file=sys.stderr)
    data = result.as_dict()
    if args.json:
        print(json.dumps(data))
    else:
        extra = f", {result.refused} refused by the hub" if result.refused else ""
        if result.photos:
            extra += f", {result.photos} photo file(s) fetched"
        if result.photos_not_on_hub:
            extra += (f", {result.photos_not_on_hub} photo file(s) on record but on no laptop "
                      "that synced (statements leave them out)")
        print(f"pushed {result.pushed}, pulled {result.pulled}, new conflicts "
              f"{result.conflicts}{extra}; open conflicts {result.open_conflicts}, "
              f"waiting {result.waiting} ({result.seconds:.2f} s)")
    return 0
