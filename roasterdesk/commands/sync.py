"""``roasterdesk sync``: push this database's changes to the team hub, then pull the others'."""

from __future__ import annotations

import argparse
import json

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
    from ..store import Store

    path = resolve_db(args)
    url = args.join or args.hub
    with Store.open(path, create=bool(args.join)) as store:
        if args.join and (any(store.counts().values()) or sync.hub_url_of(store)):
            raise sync.HubError(f"{path} holds records already: --join fills a new or empty "
                                "database (give another --db, or sync this one with --hub)")
        result = sync.sync(store, url)
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
