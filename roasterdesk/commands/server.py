"""``roasterdesk server init|add-user``: set up the team hub in a PostgreSQL database."""

from __future__ import annotations

import argparse
import secrets
import sys

NAME = "server"
HELP = "set up the team hub in PostgreSQL: install or upgrade its schema, add users"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = sub.add_parser("init", help="install or upgrade the hub schema, roles and policies")
    init.add_argument("--url", required=True,
                      help="postgresql:// URL of an existing database, as its owner")
    user = sub.add_parser("add-user", help="create a PostgreSQL role for one person "
                          "(or change an existing one's role and password)")
    user.add_argument("name", help="the person's login name")
    user.add_argument("--role", required=True, choices=("admin", "buyer", "viewer"),
                      help="viewer reads; buyer and admin also change records, prices and "
                           "payments")
    user.add_argument("--url", required=True,
                      help="postgresql:// URL of the hub, as a role allowed to create roles")
    user.add_argument("--password-stdin", action="store_true",
                      help="read the new password from the first line of stdin (else one is "
                           "made and printed once)")


def run(args: argparse.Namespace) -> int:
    from ..services import sync

    if args.action == "init":
        before = sync.init_hub(args.url)
        now = sync.HUB_SCHEMA_VERSION
        if before == 0:
            print(f"hub schema {now} installed")
        elif before < now:
            print(f"hub schema upgraded from {before} to {now}")
        else:
            print(f"hub schema {now} is up to date (roles and policies refreshed)")
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise sync.HubError("no password on stdin")
        made = False
    else:
        password, made = secrets.token_urlsafe(18), True
    sync.add_user(args.url, args.name, args.role, password)
    print(f"user {args.name} is now a {args.role} of this hub")
    if made:
        print(f"password (shown once, give it to {args.name} privately): {password}")
    return 0
