"""Schema step ``m011_open_organic`` (the order is in :mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

_OLD = "organic INTEGER NOT NULL DEFAULT 0"
_RELAXED = "organic INTEGER"


def m011_open_organic(db: Database) -> None:
    """A lot's organic status may be "not recorded" (NULL): a file without an Organic column,
    or with an empty cell, no longer stores "conventional", and the Fairtrade floor is no
    longer computed without the organic differential on a guess. The NOT NULL and the DEFAULT 0
    of ``lots.organic`` go; the reference tables' ``organic`` (living-income references) stays
    required: a reference is published for one or the other.

    Stored 0 and 1 are kept as they are: they were stored before this step, and a typed "no"
    cannot be told from the default an import or the editor gave; a buyer who knows it was
    never recorded sets it back to "not recorded".

    As in ``m010_open_facts``: the table's definition is rewritten in place (removing a
    constraint or a default does not change how rows are stored), the replacement checked to
    match exactly once, and the schema version bumped so every connection reads it."""
    conn = db.conn
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'lots'"
                          ).fetchone()
    if sql.count(_OLD) != 1:
        raise RuntimeError(f"m011_open_organic: the lots table does not read as expected "
                           f"({_OLD!r} found {sql.count(_OLD)} times)")
    (version,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    try:
        conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'lots'",
                     [sql.replace(_OLD, _RELAXED)])
        conn.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        conn.execute("PRAGMA writable_schema = OFF")
