"""Indexes and search-index triggers set aside while a laptop joins a team, built once at the end.

A join inserts every record of the team page by page. Indexes keyed by a value spread over the
whole key range (uuids of the change log's field index, a lot's harvest and code, its metrics,
a visit's date) take each new entry at a random place, and the search index (FTS5) is fed row by
row by triggers. Built once over the finished tables, each index is one sorted pass and the
search index one ``rebuild``.

What stays while the rows arrive: every UNIQUE index (they say whether a row is already here and
refuse a second lot with the same code), every index led by a reference column (how a record's
children are found: the lot figures read them, and a join writes them in order) and the
change log's index of unpushed changes. Every other trigger stays (the rules of the tables).

:func:`defer` drops the rest and keeps the statements that make them again in ``sync_state``, in
the caller's transaction, so a pull stopped before its end leaves them to :func:`restore` at the
next sync; until then the search finds only what it found before the join (nothing is lost: the
rebuild reads the tables).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .kinds import TABLES

if TYPE_CHECKING:
    from .db import AnyDatabase

KEY = "deferred_schema"
"""``sync_state`` key: the statements :func:`restore` runs (JSON list), in order."""
OLD_KEY = "deferred_index"
"""The key of earlier versions: one CREATE INDEX (the change log's field index)."""

_KEPT = frozenset({"change_log_unpushed"})
_FTS_TRIGGERS = ("ai", "ad", "au")


def deferrable(db: AnyDatabase) -> list[tuple[str, str, str]]:
    """(type, name, sql) of the indexes and search-index triggers a bulk load sets aside."""
    tables = {*TABLES, "lot_metrics", "change_log"}
    out: list[tuple[str, str, str]] = []
    for name, table, sql in db.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND "
            "sql IS NOT NULL ORDER BY tbl_name, name").fetchall():
        if table not in tables or name in _KEPT or sql.upper().startswith("CREATE UNIQUE"):
            continue
        first = db.execute(f"PRAGMA index_info({name})").fetchone()
        refs = TABLES[table].refs if table in TABLES else {}
        if first is not None and first[2] in refs:
            continue  # a record's children, found by their parent
        out.append(("index", str(name), str(sql)))
    for fts, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE '%\\_fts' "
            "ESCAPE '\\' ORDER BY name").fetchall():
        content = fts[:-len("_fts")]
        if content not in TABLES or "fts5" not in str(sql).lower():
            continue
        for name, tsql in db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? "
                "ORDER BY name", [content]).fetchall():
            if name in {f"{content}_{s}" for s in _FTS_TRIGGERS} and fts in str(tsql):
                out.append(("trigger", str(name), str(tsql)))
    return out


def defer(db: AnyDatabase) -> None:
    """Drop what :func:`deferrable` names, keeping how to make it again (inside the caller's
    transaction). Nothing happens if something is already set aside."""
    if pending(db):
        return
    items = deferrable(db)
    if not items:
        return
    again = [sql for _, _, sql in items]
    fed = sorted({name.rsplit("_", 1)[0] + "_fts" for kind, name, _ in items
                  if kind == "trigger"})
    again += [f"INSERT INTO {f}({f}) VALUES ('rebuild')" for f in fed]
    db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
               [KEY, json.dumps(again)])
    for kind, name, _ in items:
        db.execute(f"DROP {kind.upper()} {name}")


def pending(db: AnyDatabase) -> bool:
    return db.execute("SELECT 1 FROM sync_state WHERE key IN (?, ?)",
                      [KEY, OLD_KEY]).fetchone() is not None


def restore(db: AnyDatabase) -> bool:
    """Make again what :func:`defer` set aside (inside the caller's transaction); whether there
    was anything."""
    done = False
    for key in (OLD_KEY, KEY):
        got = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
        if got is None:
            continue
        for sql in [got[0]] if key == OLD_KEY else json.loads(got[0]):
            db.execute(sql)
        db.execute("DELETE FROM sync_state WHERE key = ?", [key])
        done = True
    return done
