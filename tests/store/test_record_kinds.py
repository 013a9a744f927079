"""One entry per kind of record (store.record_kinds) drives save, delete, the bulk API and undo's
names; every kind's table is one of the registry of tables (store.kinds)."""

from __future__ import annotations

from roasterdesk.store.kinds import TABLES
from roasterdesk.store.record_kinds import RECORD_KINDS
from roasterdesk.store.store import Store, table_of


def test_every_kind_is_stored_in_a_registered_table_with_its_own_row():
    assert {k.table for k in RECORD_KINDS.values()} <= set(TABLES)
    assert len({k.table for k in RECORD_KINDS.values()}) == len(RECORD_KINDS)
    for cls, kind in RECORD_KINDS.items():
        assert kind.type is cls
        assert getattr(Store, kind.save.__name__) is kind.save


def test_table_of_reads_the_registry():
    from roasterdesk.domain.model import Person

    assert table_of(Person(producer_id=1, name="A")) == "people"
