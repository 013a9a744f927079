"""``roasterdesk encrypt``: encrypt the database at rest (SQLCipher; optional extra)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..cli import resolve_db

NAME = "encrypt"
WRITES = True  # the command line takes the writer lock before run() (cli.main)
HELP = ("encrypt the database (key kept in the OS keyring, or behind a passphrase); "
        "prints a recovery key")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--passphrase", action="store_true",
                        help="keep the key behind a passphrase even if a keyring exists")


def run(args: argparse.Namespace) -> int:
    import getpass

    from ..errors import UserError
    from ..services import encryption as E
    from ..store import cipher

    path = resolve_db(args)
    if not cipher.available():
        raise UserError(f"encryption is not installed; {cipher.INSTALL_HINT}")
    if not path.is_file() or not cipher.is_plain_sqlite(path):
        raise UserError(f"{path} is not a plain RoasterDesk database")
    use_keyring = E.keyring_available() and not args.passphrase
    passphrase = ""
    if not use_keyring:
        passphrase = getpass.getpass("Passphrase for the database (8 characters or more): ")
        if passphrase != getpass.getpass("The same passphrase again: "):
            raise UserError("the two passphrases differ; nothing was changed")
        E.wrap_key(bytes(32), passphrase)  # refuses a short passphrase before anything changes
    key = E.new_key()
    print("Recovery key — print it and keep it apart from this computer. With it the database "
          "can be opened if the passphrase or the keyring is lost:")
    print(f"    {E.recovery_key(key)}")
    def keep_key(encrypted_copy: Path) -> None:  # on disk before the copy takes the path
        if use_keyring:
            E.save_key_to_keyring(encrypted_copy, key)
        else:
            E.save_key_file(path, key, passphrase)

    E.encrypt_database(path, key, keep_key)
    if use_keyring:
        print(f"{path} is encrypted; its key is in the system keyring.")
    else:
        print(f"{path} is encrypted; its key is kept behind your passphrase in "
              f"{E.key_file_for(path).name}.")
    left = E.plain_leftovers(path)
    if left:
        print("Still readable without the key (keep them on an encrypted disk, or delete what "
              "you no longer need once a new backup exists):")
        for line in left:
            print(f"  - {line}")
    return 0
