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
        ids = _producers(store)
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


@pytest.fixture
def no_workers(demo_path, tmp_path, monkeypatch):
    """A copy of the demo and the start methods asked for (none may be)."""
    path = tmp_path / "copy.sqlite"
    shutil.copy(demo_path, path)
    started: list = []
    monkeypatch.setattr(P.mp, "get_context", lambda *a: started.append(a))
    yield path, started
    assert started == []


def _producers(store):
    return [pid for (pid,) in store.db.execute("SELECT DISTINCT producer_id FROM lots")]


def test_few_lots_or_one_core_stay_in_the_calling_process(no_workers):
    path, _ = no_workers
    with Store.open(path, create=False) as store:
        ids = _producers(store)
        expected = _metrics(store)
        _blank(store)
        with store.transaction():
            assert P.refresh_committed(store, ids, lots=300, processes=2) == 300
        _blank(store)
        with store.transaction():
            assert P.refresh_committed(store, ids, lots=P.PARALLEL_FROM, processes=1) == 300
        assert _metrics(store) == expected


def test_the_standalone_build_starts_no_worker_that_would_rerun_the_app(no_workers,
                                                                        monkeypatch):
    """Frozen, ``spawn`` and ``forkserver`` would run the app's executable as a worker (it is
    not a Python interpreter): the figures, and a statement batch, stay in one process;
    ``fork`` (a plain process) still starts workers."""
    import sys

    from roasterdesk.services.statement_batch import workers_start

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert workers_start("fork") and not workers_start("spawn")
    assert not workers_start("forkserver")
    path, _ = no_workers
    with Store.open(path, create=False) as store, store.transaction():
        assert P.refresh_committed(store, _producers(store), lots=P.PARALLEL_FROM, processes=2,
                                   start="spawn") == 300
    monkeypatch.delattr(sys, "frozen")
    assert workers_start("spawn")


def test_a_statement_batch_in_the_standalone_build_stays_in_one_process(demo_path, tmp_path,
                                                                        monkeypatch):
    import sys

    from roasterdesk.services import statement_batch as SB

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    started = []
    monkeypatch.setattr(SB.mp, "get_context", lambda *a: started.append(a))
    with Store.open(demo_path, create=False) as store:
        lots = store.db.execute("SELECT id, code FROM lots ORDER BY id LIMIT 2").fetchall()
    done = SB.export_batch(demo_path, lots, tmp_path / "out", processes=2, start="spawn")
    assert len(done) == 2 and started == []
