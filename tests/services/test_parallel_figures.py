"""Lot figures computed over worker processes (a join's refresh) are the ones the calling
process computes, for every lot, whatever the start method."""

from __future__ import annotations

import shutil

import pytest

from roasterdesk.services import parallel_figures as P
from roasterdesk.services.demo import build_demo
from roasterdesk.store import Store
from roasterdesk.store.bulk_metrics import refresh_producers


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("figures") / "small.sqlite"
    build_demo(path, "small", seed=11)
    return path


def _metrics(store):
    return store.db.execute("SELECT * FROM lot_metrics ORDER BY lot_id").fetchall()


def _blank(store):
    with store.transaction():
        store.db.execute("UPDATE lot_metrics SET fob_usd_lb = NULL, fob_exact = NULL, "
                         "premium_usd_lb = NULL, answered = 0, applicable = 0, missing = ''")


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_workers_write_the_figures_the_store_computes(demo_path, tmp_path, start,
                                                     monkeypatch):
    import roasterdesk.store.bulk_metrics as B

    monkeypatch.setattr(B, "PRODUCERS_PER_BATCH", 7)  # 30 producers: 5 batches, 2 workers
    path = tmp_path / "copy.sqlite"
    shutil.copy(demo_path, path)
    with Store.open(path, create=False) as store:
        ids = [pid for (pid,) in store.db.execute("SELECT DISTINCT producer_id FROM lots")]
        with store.transaction():
            refresh_producers(store, ids)  # the calling process's own figures
        expected = _metrics(store)
        assert len(expected) == 300 and any(r[1] is not None for r in expected)
        _blank(store)
        assert _metrics(store) != expected
        with store.transaction():
            done = P.refresh_committed(store, ids, lots=P.PARALLEL_FROM, processes=2,
                                       start=start)
        assert done == 300
        assert _metrics(store) == expected


def test_few_lots_or_one_core_stay_in_the_calling_process(demo_path, tmp_path, monkeypatch):
    path = tmp_path / "copy.sqlite"
    shutil.copy(demo_path, path)
    started = []
    monkeypatch.setattr(P.mp, "get_context", lambda *a: started.append(a))
    with Store.open(path, create=False) as store:
        ids = [pid for (pid,) in store.db.execute("SELECT DISTINCT producer_id FROM lots")]
        expected = _metrics(store)
        _blank(store)
        with store.transaction():
            assert P.refresh_committed(store, ids, lots=300, processes=2) == 300
        _blank(store)
        with store.transaction():
            assert P.refresh_committed(store, ids, lots=P.PARALLEL_FROM, processes=1) == 300
        assert _metrics(store) == expected
    assert started == []
