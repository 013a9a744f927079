"""Schema step ``m008_sync_hub_state`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m008_sync_hub_state(db: Database) -> None:
    """Local state of team sync (:mod:`roasterdesk.services.sync`): the hub URL of this database
    (never its password), the pull cursor and the last sync in ``sync_state``; conflicts found
    on push or pull in ``sync_conflicts``, both values kept as JSON with who and when, until a
    person resolves them."""
    db.executescript(
        """
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE sync_conflicts (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('hub', 'pull', 'refused')),
            op_id TEXT NOT NULL,
            hub_id INTEGER,
            table_name TEXT NOT NULL,
            row_uuid TEXT NOT NULL,
            field TEXT NOT NULL,
            base TEXT,
            mine TEXT,
            theirs TEXT,
            their_author TEXT NOT NULL DEFAULT '',
            their_at TEXT NOT NULL DEFAULT '',
            found_at TEXT NOT NULL,
            resolved_at TEXT,
            resolution TEXT CHECK (resolution IN ('mine', 'theirs'))
        );
        CREATE INDEX sync_conflicts_open ON sync_conflicts(table_name, row_uuid, field)
            WHERE resolved_at IS NULL;
        """
    )
