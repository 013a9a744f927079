"""``roasterdesk conflicts [resolve ID --keep mine|theirs]``: sync conflicts, and resolving one."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from ..cli import resolve_db

NAME = "conflicts"
HELP = "list the open sync conflicts (both values, who and when), or resolve one"
WRITES = True


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    sub = parser.add_subparsers(dest="action", metavar="ACTION")
    res = sub.add_parser("resolve", help="resolve one conflict")
    res.add_argument("id", type=int, help="the conflict's number (see roasterdesk conflicts)")
    res.add_argument("--keep", required=True, choices=("mine", "theirs"),
                     help="mine: keep this laptop's value (sent on the next sync); theirs: "
                          "take the hub's value")


def run(args: argparse.Namespace) -> int:
    from ..services import sync
    from ..services.sync_conflicts import shown
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        if args.action == "resolve":
            c = sync.resolve(store, args.id, args.keep)
            print(f"conflict {c.id} resolved: kept {args.keep} for {c.record} {c.field} "
                  f"({shown(c.field, c.mine if args.keep == 'mine' else c.theirs)})")
            return 0
        found = sync.conflicts(store)
    if args.json:
        print(json.dumps([asdict(c) for c in found], ensure_ascii=False, default=str))
        return 0
    if not found:
        print("no open conflicts")
        return 0
    for c in found:
        if c.field == "*":
            print(f"#{c.id} {c.record}: new from the hub ({c.their_author or 'hub'}), not added "
                  f"here: {c.base}")
            continue
        who = f"{c.their_author or 'hub'}, {c.their_at}" if c.their_at else "hub"
        what = "refused by the hub (your role cannot change it)" if c.kind == "refused" else ""
        print(f"#{c.id} {c.record}: {c.field}  mine {shown(c.field, c.mine)}  |  theirs "
              f"{shown(c.field, c.theirs)} ({who}) {what}".rstrip())
    return 0
