"""Schema step ``m010_open_facts`` (the order is in :mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    conn = db.conn
    new: dict[str, str] = {}
    for table, pairs in _RELAX.items():
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                              [table]).fetchone()
        for old, relaxed in pairs:
            if sql.count(old) != 1:
                raise RuntimeError(f"m010_open_facts: the {table} table does not read as "
                                   f"expected ({old!r} found {sql.count(old)} times)")
            sql = sql.replace(old, relaxed)
        new[table] = sql
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        for table, sql in new.items():
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                         [sql, table])
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
