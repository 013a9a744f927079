"""Schema step ``m010_open_facts`` (the order is in :mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._shared import relax_in_place

if TYPE_CHECKING:
    from sqlite_utils import Database

_RELAX = {
    "lots": (("process TEXT NOT NULL", "process TEXT"),
             ("species TEXT NOT NULL DEFAULT 'arabica'", "species TEXT")),
    # the CHECK on the kind's values stays: NULL passes a CHECK in SQLite
    "producers": (("kind TEXT NOT NULL", "kind TEXT"),),
}


def m010_open_facts(db: Database) -> None:
    """A lot's process and species and a producer's kind may be "not recorded" (NULL): a file
    that does not give them no longer stores an invented "washed", "arabica" or "farm". The NOT
    NULL constraints go, and so does the species' DEFAULT 'arabica' (a default is an invented
    fact); the CHECK on the kind, the columns, indexes and triggers stay.

    As in ``m007_import_facts``: SQLite cannot drop a NOT NULL with ALTER TABLE and removing a
    constraint or a default does not change how rows are stored, so each table's definition is
    rewritten in place (section 7 of SQLite's ALTER TABLE page), each replacement checked to
    match exactly once; the schema version is bumped so every connection reads the new
    definitions."""
    relax_in_place(db.conn, "m010_open_facts", _RELAX)
