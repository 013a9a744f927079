"""A small filled database with one attachment, for the safety tests."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.model import Lot, Photo, Producer, ProducerKind, Visit
from roasterdesk.services.backup import attachments_dir_for
from roasterdesk.store import Store


def fill(store: Store, n: int = 3) -> None:
    for i in range(n):
        p = store.save_producer(Producer(f"Finca {i}", ProducerKind.FARM, "CO"))
        store.save_lot(Lot(f"CO-25-{i:03d}", p.id, 2025, bags=10 + i, bag_kg=Decimal(70)))
        store.save_visit(Visit(p.id, date(2025, 3, 1 + i % 28), notes=f"visit {i} " * 20))


@pytest.fixture
def filled(db_path):
    """(path, counts) of a closed database with records and one photo in its attachments."""
    with Store.open(db_path) as s:
        fill(s)
        data = b"\xff\xd8 a photo of drying beds"
        sha = hashlib.sha256(data).hexdigest()
        att = attachments_dir_for(db_path)
        att.mkdir()
        (att / f"{sha}.jpg").write_bytes(data)
        v = s.visits(s.producers()[0].id)[0]
        s.save_visit(Visit(v.producer_id, v.date, notes=v.notes, id=v.id, uuid=v.uuid,
                           photos=(Photo(sha, "beds.jpg"),)))
        counts = s.counts()
    return db_path, counts
