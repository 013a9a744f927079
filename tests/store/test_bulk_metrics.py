"""The batched lot-metrics refresh (imports) writes exactly what the per-producer one does."""

from __future__ import annotations

from decimal import Decimal as D

from roasterdesk.domain.model import Lot, Producer, ProducerKind
from roasterdesk.store.bulk_metrics import refresh_producers


def _metrics(store):
    return store.db.execute("SELECT * FROM lot_metrics ORDER BY lot_id").fetchall()


def test_batched_refresh_equals_the_per_producer_refresh(store, monkeypatch):
    import roasterdesk.store.bulk_metrics as B

    monkeypatch.setattr(B, "PRODUCERS_PER_BATCH", 2)  # several batches
    pids = []
    for i in range(5):
        p = store.save_producer(Producer(f"Farm {i}", ProducerKind.FARM, "CO"))
        pids.append(p.id)
        for j in range(3):
            store.save_lot(Lot(f"L-{i}-{j}", p.id, 2020 + j, bags=10 + j, bag_kg=D(70),
                               c_cents_lb=D(180 + j), fob_usd_lb=D("3.10") + j,
                               quality_score=D(84 + i)))
    expected = _metrics(store)
    assert any(row[1] is not None for row in expected)
    with store.transaction():
        store.db.execute("UPDATE lot_metrics SET fob_usd_lb = NULL, fob_exact = NULL, "
                         "answered = 0, applicable = 0, missing = ''")
    assert _metrics(store) != expected
    seen = []
    with store.transaction():
        assert refresh_producers(store, [*pids, None, pids[0]],
                                 lambda n, t: seen.append((n, t))) == 15
    assert _metrics(store) == expected
    assert seen == [(2, 5), (4, 5), (5, 5)]
