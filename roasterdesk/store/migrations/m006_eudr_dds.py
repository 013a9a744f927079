"""Schema step ``m006_eudr_dds`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m006_eudr_dds(db: Database) -> None:
    """EUDR due diligence per lot (:mod:`roasterdesk.store.eudr_records`).

    ``eudr_dds``: the lot's own due-diligence statement in TRACES (role ``own``: reference
    number, verification number, submission date, status; at most one live per lot) and the
    statements received from upstream operators (role ``upstream``: their reference and
    verification numbers, and who gave them). ``eudr_documents``: legality documents
    (certificates, land titles…) kept as attachments of a lot or of a producer, by content hash
    in the attachments folder. Both carry uuid, updated_at and deleted_at (tombstone)."""
    db.executescript(
        """
        CREATE TABLE eudr_dds (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            lot_id INTEGER NOT NULL REFERENCES lots(id),
            role TEXT NOT NULL CHECK (role IN ('own', 'upstream')),
            reference TEXT NOT NULL CHECK (length(trim(reference)) > 0),
            verification TEXT NOT NULL DEFAULT '',
            submitted_on TEXT,
            status TEXT NOT NULL DEFAULT ''
                CHECK (status IN ('', 'draft', 'submitted', 'available', 'rejected',
                                  'withdrawn', 'archived')),
            supplier TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            deleted_at TEXT
        );
        CREATE INDEX eudr_dds_lot ON eudr_dds(lot_id);
        CREATE UNIQUE INDEX eudr_dds_one_own ON eudr_dds(lot_id)
            WHERE role = 'own' AND deleted_at IS NULL;
        CREATE TABLE eudr_documents (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            lot_id INTEGER REFERENCES lots(id),
            producer_id INTEGER REFERENCES producers(id),
            kind TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            file_name TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            deleted_at TEXT,
            CHECK ((lot_id IS NULL) != (producer_id IS NULL))
        );
        CREATE INDEX eudr_documents_lot ON eudr_documents(lot_id);
        CREATE INDEX eudr_documents_producer ON eudr_documents(producer_id);
        """
    )
