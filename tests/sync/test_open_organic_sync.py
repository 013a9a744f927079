"""A lot's organic status "not recorded" travels as one: a new lot with NULL organic arrives
NULL (no column default fills it with "conventional"), and organic set back to "not recorded"
on one laptop becomes NULL on the other."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roasterdesk.domain.model import Lot, Producer, ProducerKind

from .laptops import Laptop, as_role, make_hub


@pytest.fixture
def hub(hub_url):
    make_hub(hub_url)
    return hub_url


def test_organic_not_recorded_travels_both_ways(hub, tmp_path):
    a = Laptop(tmp_path / "a.sqlite", as_role(hub, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub, "ben"))
    with a.open() as s:
        p = s.save_producer(Producer("Finca Orgánica", ProducerKind.FARM, "CO"))
        lot = s.save_lot(Lot("OR-9", p.id, 2025, organic=None))
        uid = s.log.uuid_of("lots", lot.id)
    a.sync()
    b.sync()
    with b.open() as s:
        got = s.lot(s.log.id_of("lots", uid))
        assert got.organic is None
        assert s.db.execute("SELECT organic FROM lots WHERE uuid = ?", [uid]).fetchone()[0] \
            is None
        s.save_lot(replace(got, organic=True))
    b.sync()
    a.sync()
    with a.open() as s:
        got = s.lot(s.log.id_of("lots", uid))
        assert got.organic is True
        s.save_lot(replace(got, organic=None))  # back to "not recorded"
    a.sync()
    b.sync()
    with b.open() as s:
        assert s.lot(s.log.id_of("lots", uid)).organic is None
