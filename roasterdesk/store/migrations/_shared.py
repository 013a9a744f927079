"""What several schema steps share."""

from typing import Any

NO_DELETE = """
CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{what} are never deleted: {how}'); END;
"""


def relax_in_place(conn: Any, step: str, changes: dict[str, tuple[tuple[str, str], ...]]
                   ) -> None:
    """Rewrite tables' definitions in place: each (old, new) text replaced, checked to occur
    exactly once. For removing a NOT NULL or a DEFAULT, which SQLite cannot drop with ALTER
    TABLE and which does not change how rows are stored (section 7 of SQLite's ALTER TABLE
    page); the schema version is bumped so every connection reads the new definitions."""
    new: dict[str, str] = {}
    for table, pairs in changes.items():
        (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                              [table]).fetchone()
        for old, relaxed in pairs:
            if sql.count(old) != 1:
                raise RuntimeError(f"{step}: the {table} table does not read as expected "
                                   f"({old!r} found {sql.count(old)} times)")
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
