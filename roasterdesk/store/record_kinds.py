"""The kinds of record the store keeps, one entry each: the domain class, its table (whose
sync facts are in :data:`roasterdesk.store.kinds.TABLES`), how a record becomes a row, and how
it is saved and deleted. :meth:`Store.save`, :meth:`Store.delete`, the bulk API and undo's names
read this instead of keeping lists of their own; a new kind is one line here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.model import (
    Certification,
    Commitment,
    Lot,
    Person,
    Plot,
    Producer,
    Project,
    Visit,
)
from . import rows as R
from .lots import LotRecords
from .producer_records import ProducerChildRecords as C
from .producers import ProducerRecords
from .visits import VisitRecords


@dataclass(frozen=True)
class RecordKind:
    type: type
    table: str
    to_row: Callable[[Any], dict[str, Any]]
    save: Callable[[Any, Any], Any]
    """``save(store, record) -> record`` as stored."""
    delete: Callable[[Any, Any], Any]
    """``delete(store, record)``: a tombstone, or the retirement of a kind never deleted."""


def _delete_producer(store: Any, p: Producer) -> None:
    store.delete_producer(p.id)


RECORD_KINDS: dict[type, RecordKind] = {k.type: k for k in (
    RecordKind(Producer, "producers", R.producer_to_row, ProducerRecords.save_producer,
               _delete_producer),
    RecordKind(Person, "people", R.person_to_row, C.save_person, C.delete_person),
    RecordKind(Plot, "plots", R.plot_to_row, C.save_plot, C.delete_plot),
    RecordKind(Certification, "certifications", R.certification_to_row, C.save_certification,
               C.delete_certification),
    RecordKind(Commitment, "commitments", R.commitment_to_row, C.save_commitment,
               C.delete_commitment),
    RecordKind(Project, "projects", R.project_to_row, C.save_project, C.delete_project),
    RecordKind(Visit, "visits", R.visit_to_row, VisitRecords.save_visit,
               VisitRecords.delete_visit),
    RecordKind(Lot, "lots", R.lot_to_row, LotRecords.save_lot, LotRecords.cancel_lot),
)}


def kind_of(record: Any) -> RecordKind:
    """The kind of a domain record (KeyError for a class the store does not keep)."""
    return RECORD_KINDS[type(record)]
