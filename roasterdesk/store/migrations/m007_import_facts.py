"""Schema step ``m007_import_facts`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m007_import_facts(db: Database) -> None:
    """A lot's status and contract type may be "not recorded" (NULL): an imported file that
    does not give them no longer gets an invented "contracted" / "fixed". Only the NOT NULL
    constraints go; the CHECK on the contract type, the columns, indexes and triggers stay.

    SQLite cannot drop a NOT NULL with ALTER TABLE; removing a constraint does not change how
    rows are stored, so the table's definition is rewritten in place (the procedure SQLite
    documents for this case, section 7 of its ALTER TABLE page) rather than copying every lot
    into a new table (which would need foreign keys off, impossible inside the migration's
    transaction). The schema version is bumped so every connection reads the new definition."""
    conn = db.conn
    (sql,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lots'").fetchone()
    new = sql
    for old, relaxed in (("status TEXT NOT NULL", "status TEXT"),
                         ("contract_type TEXT NOT NULL", "contract_type TEXT")):
        if new.count(old) != 1:
            raise RuntimeError(f"m007_import_facts: the lots table does not read as expected "
                               f"({old!r} found {new.count(old)} times)")
        new = new.replace(old, relaxed)
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'lots'",
                     [new])
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
