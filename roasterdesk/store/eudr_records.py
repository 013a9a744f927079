"""EUDR due-diligence records of a lot: DDS references and legality documents (m006_eudr_dds).

Written only through :class:`EudrRecords` (a part of :class:`~roasterdesk.store.Store`), one
transaction per action; deletes are tombstones (``deleted_at``), and every read skips them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ..domain.model import new_uuid
from .base import StoreBase
from .codec import now
from .errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterator


DDS_STATUSES = ("", "draft", "submitted", "available", "rejected", "withdrawn", "archived")


@dataclass(frozen=True)
class Dds:
    """A due-diligence statement: the lot's own (``role="own"``) or one received upstream."""

    lot_id: int
    role: str
    reference: str
    verification: str = ""
    submitted_on: date | None = None
    status: str = ""
    supplier: str = ""
    uuid: str = field(default_factory=new_uuid)
    id: int | None = None


@dataclass(frozen=True)
class LegalityDocument:
    """A certificate, land title or other legality document kept for a lot or a producer."""

    title: str
    sha256: str
    file_name: str
    kind: str = ""
    lot_id: int | None = None
    producer_id: int | None = None
    uuid: str = field(default_factory=new_uuid)
    id: int | None = None


def _dds(row: dict[str, Any]) -> Dds:
    on = row["submitted_on"]
    return Dds(row["lot_id"], row["role"], row["reference"], row["verification"],
               date.fromisoformat(on) if on else None, row["status"], row["supplier"],
               row["uuid"], row["id"])


def _doc(row: dict[str, Any]) -> LegalityDocument:
    return LegalityDocument(row["title"], row["sha256"], row["file_name"], row["kind"],
                            row["lot_id"], row["producer_id"], row["uuid"], row["id"])


class EudrRecords(StoreBase):
    """Store methods for DDS references and legality documents (a part of the store's facade:
    every write goes through the change log, :attr:`StoreBase.log`)."""

    def _dict_rows(self, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
        cur = self.db.execute(sql, params)
        cols = [d[0] for d in cur.description]
        for values in cur.fetchall():
            yield dict(zip(cols, values, strict=True))

    def dds_of_lot(self, lot_id: int) -> list[Dds]:
        """The lot's own DDS first, then the upstream ones by reference."""
        return [_dds(r) for r in self._dict_rows(
            "SELECT * FROM eudr_dds WHERE lot_id = ? AND deleted_at IS NULL "
            "ORDER BY role = 'upstream', reference", [lot_id])]

    def dds_of_lots(self, lot_ids: list[int]) -> dict[int, list[Dds]]:
        """:meth:`dds_of_lot` of many lots at once (lots without any are left out)."""
        out: dict[int, list[Dds]] = {}
        for i in range(0, len(lot_ids), 500):
            chunk = lot_ids[i:i + 500]
            for r in self._dict_rows(
                    f"SELECT * FROM eudr_dds WHERE lot_id IN ({','.join('?' * len(chunk))}) "
                    "AND deleted_at IS NULL ORDER BY role = 'upstream', reference", chunk):
                out.setdefault(r["lot_id"], []).append(_dds(r))
        return out

    def save_dds(self, dds: Dds) -> Dds:
        """Insert or update one DDS record (matched by uuid)."""
        if dds.role not in ("own", "upstream"):
            raise ValidationError(f"a DDS is 'own' or 'upstream', not {dds.role!r}")
        if not dds.reference.strip():
            raise ValidationError("a DDS needs its reference number")
        if dds.status not in DDS_STATUSES:
            raise ValidationError(f"DDS status {dds.status!r} is not one of "
                                  f"{', '.join(s for s in DDS_STATUSES if s)}")
        row = {"lot_id": dds.lot_id, "role": dds.role, "reference": dds.reference.strip(),
               "verification": dds.verification.strip(),
               "submitted_on": dds.submitted_on.isoformat() if dds.submitted_on else None,
               "status": dds.status, "supplier": dds.supplier.strip(), "updated_at": now()}
        with self.transaction():
            found = self.db.execute("SELECT id FROM eudr_dds WHERE uuid = ?",
                                    [dds.uuid]).fetchone()
            if found:
                self._update("eudr_dds", found[0], row)
                return Dds(**{**dds.__dict__, "id": found[0]})
            if dds.role == "own" and self.db.execute(
                    "SELECT 1 FROM eudr_dds WHERE lot_id = ? AND role = 'own' "
                    "AND deleted_at IS NULL", [dds.lot_id]).fetchone():
                raise ValidationError("the lot already has its own DDS: change that one")
            new_id = self._insert("eudr_dds", {**row, "uuid": dds.uuid})
        return Dds(**{**dds.__dict__, "id": new_id})

    def delete_dds(self, dds_id: int) -> None:
        with self.transaction():
            self.log.tombstone("eudr_dds", dds_id)

    def legality_documents(self, lot_id: int, producer_id: int) -> list[LegalityDocument]:
        """The lot's documents, then its producer's."""
        return [_doc(r) for r in self._dict_rows(
            "SELECT * FROM eudr_documents WHERE deleted_at IS NULL "
            "AND (lot_id = ? OR producer_id = ?) ORDER BY lot_id IS NULL, title",
            [lot_id, producer_id])]

    def add_legality_document(self, doc: LegalityDocument) -> LegalityDocument:
        if (doc.lot_id is None) == (doc.producer_id is None):
            raise ValidationError("a legality document belongs to a lot or to a producer")
        if not doc.title.strip():
            raise ValidationError("a legality document needs a title")
        with self.transaction():
            new_id = self._insert("eudr_documents", {
                "uuid": doc.uuid, "lot_id": doc.lot_id, "producer_id": doc.producer_id,
                "kind": doc.kind, "title": doc.title.strip(), "sha256": doc.sha256,
                "file_name": doc.file_name, "updated_at": now()})
        return LegalityDocument(**{**doc.__dict__, "id": new_id})
