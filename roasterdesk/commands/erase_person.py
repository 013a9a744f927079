"""``roasterdesk erase-person ID``: replace a person's personal data by a pseudonym."""

from __future__ import annotations

import argparse

from ..cli import resolve_db

NAME = "erase-person"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = "erase a person's personal data on request (pseudonym; lots and payments are kept)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("person", type=int, help="the person's id (see the producer's page)")
    parser.add_argument("--yes", action="store_true", help="do it (without it: show what changes)")


def run(args: argparse.Namespace) -> int:
    from ..services.producer_data import erase_person, pseudonym
    from ..store import Store

    with Store.open(resolve_db(args), create=False) as store:
        person = store.person(args.person)
        if not args.yes:
            print(f"would replace {person.name!r} by {pseudonym(person)!r} and clear phone, "
                  "e-mail, quote and consent; add --yes to do it")
            return 1
        erased = erase_person(store, args.person)
    print(f"person {args.person} is now {erased.name!r}; personal data cleared and the full "
          "name replaced in this producer's records (mentions by first name alone are not "
          "found: check visit notes)")
    return 0
