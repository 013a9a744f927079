"""``roasterdesk init [--db PATH]``: create an empty database."""

from __future__ import annotations

import argparse

from ..cli import resolve_db

NAME = "init"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = "create an empty database (at --db PATH, else the default location)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # --db is a common option


def run(args: argparse.Namespace) -> int:
    from ..errors import UserError
    from ..store import Store

    path = resolve_db(args)
    if path.exists() and path.stat().st_size > 0:
        raise UserError(f"{path} already exists; nothing was changed")
    path.parent.mkdir(parents=True, exist_ok=True)
    with Store.open(path, create=True) as store:
        version = store.schema_version()
    print(f"created an empty database at {path} (schema {version})")
    return 0
