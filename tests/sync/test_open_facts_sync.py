"""A fact "not recorded" travels as one: a new row with NULL process, species, organic status
and producer kind arrives NULL (no column default fills it with "washed", "arabica",
"conventional" or "farm"), and a field set back to "not recorded" on one laptop becomes NULL on
the other."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roasterdesk.domain.model import Lot, Process, Producer, Species

from .laptops import Laptop, as_role, make_hub


@pytest.fixture
def hub(hub_url):
    make_hub(hub_url)
    return hub_url


def test_not_recorded_travels_both_ways(hub, tmp_path):
    a = Laptop(tmp_path / "a.sqlite", as_role(hub, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub, "ben"))
    with a.open() as s:
        p = s.save_producer(Producer("Finca Sin Tipo", None, "CO"))
        lot = s.save_lot(Lot("NR-9", p.id, 2025, process=None, species=None, organic=None))
        uid = s.log.uuid_of("lots", lot.id)
    a.sync()
    b.sync()
    with b.open() as s:
        got = s.lot(s.log.id_of("lots", uid))
        assert (got.process, got.species, got.organic, s.producer(got.producer_id).kind) == \
            (None, None, None, None)
        assert s.db.execute("SELECT organic FROM lots WHERE uuid = ?", [uid]).fetchone()[0] \
            is None
        s.save_lot(replace(got, process=Process.NATURAL, species=Species.ROBUSTA, organic=True))
    b.sync()
    a.sync()
    with a.open() as s:
        got = s.lot(s.log.id_of("lots", uid))
        assert (got.process, got.species, got.organic) == (Process.NATURAL, Species.ROBUSTA,
                                                           True)
        s.save_lot(replace(got, species=None, organic=None))  # back to "not recorded"
    a.sync()
    b.sync()
    with b.open() as s:
        got = s.lot(s.log.id_of("lots", uid))
        assert (got.process, got.species, got.organic) == (Process.NATURAL, None, None)
