"""Schema step ``m004_sync_ready`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m004_sync_ready(db: Database) -> None:
    """Every user table gets a stable ``uuid``, ``updated_at`` and a tombstone ``deleted_at``
    (existing rows get a uuid now; the reference tables one derived from their key), and the
    change log: one row per changed field, written in the same transaction as the change
    (:mod:`roasterdesk.store.changes`)."""
    import uuid as _uuid

    from ..codec import now
    from ..kinds import TABLES

    conn = db.conn
    conn.create_function("rd_uuid4", 0, lambda: str(_uuid.uuid4()))
    conn.create_function(
        "rd_uuid5", 2, lambda table, key: str(_uuid.uuid5(_uuid.NAMESPACE_URL,
                                                             f"roasterdesk:{table}:{key}")))
    stamp = now()
    for t in TABLES.values():
        cols = {r[1] for r in conn.execute(f"PRAGMA table_info({t.name})")}
        if not cols or "deleted_at" in cols:  # made by a later step, with the three columns
            continue
        if "uuid" not in cols:
            conn.execute(f"ALTER TABLE {t.name} ADD COLUMN uuid TEXT")
            if t.natural_key:
                key = " || '|' || ".join(t.natural_key)
                conn.execute(f"UPDATE {t.name} SET uuid = rd_uuid5('{t.name}', {key})")
            else:
                conn.execute(f"UPDATE {t.name} SET uuid = rd_uuid4()")
            conn.execute(f"CREATE UNIQUE INDEX {t.name}_uuid ON {t.name}(uuid)")
        if "updated_at" not in cols:
            conn.execute(f"ALTER TABLE {t.name} ADD COLUMN updated_at TEXT")
            conn.execute(f"UPDATE {t.name} SET updated_at = ?", [stamp])
        conn.execute(f"ALTER TABLE {t.name} ADD COLUMN deleted_at TEXT")
    db.executescript(
        """
        -- Lots and payments stay on record: they are retired (cancelled, voided), never
        -- deleted, and so never tombstoned either.
        CREATE TRIGGER lots_never_tombstoned BEFORE UPDATE OF deleted_at ON lots
        WHEN new.deleted_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'lots are never deleted: cancel the lot instead'); END;
        CREATE TRIGGER premiums_never_tombstoned BEFORE UPDATE OF deleted_at ON premiums
        WHEN new.deleted_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'premium payments are never deleted: void the payment instead');
        END;

        -- One user action: its changes share the op_id.
        CREATE TABLE change_ops (
            op_id TEXT PRIMARY KEY,
            label TEXT NOT NULL DEFAULT '',
            device_id TEXT NOT NULL,
            hlc TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
            reverts TEXT
        );
        -- One row per changed field. old_value/new_value have no declared type, so a value
        -- keeps its SQLite type; references are the uuid of the row pointed at. field '*' is a
        -- new row (new_value: its fields as JSON); a deletion is the field deleted_at.
        CREATE TABLE change_log (
            seq INTEGER PRIMARY KEY,
            op_id TEXT NOT NULL REFERENCES change_ops(op_id),
            hlc TEXT NOT NULL,
            device_id TEXT NOT NULL,
            table_name TEXT NOT NULL,
            row_uuid TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value,
            new_value,
            origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'remote')),
            pushed_at TEXT
        );
        CREATE INDEX change_log_op ON change_log(op_id);
        CREATE INDEX change_log_unpushed ON change_log(seq) WHERE pushed_at IS NULL;
        CREATE INDEX change_log_field ON change_log(table_name, row_uuid, field, hlc);

        -- The lot table shows the exact figures (text, as the editor and the statement compute
        -- them) and sorts by the REAL keys beside them; refilled when the database is opened
        -- (lot_metrics is a cache: Store.refresh_all_metrics).
        ALTER TABLE lot_metrics ADD COLUMN fob_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN c_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN premium_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN premium_pct_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN farm_gate_exact TEXT;
        ALTER TABLE lot_metrics ADD COLUMN share_exact TEXT;
        """
    )
