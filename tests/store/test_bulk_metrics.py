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
    # a batch also holds at most LOTS_PER_BATCH lots (a producer with more: one batch alone)
    monkeypatch.setattr(B, "PRODUCERS_PER_BATCH", 200)
    monkeypatch.setattr(B, "LOTS_PER_BATCH", 5)
    held, seen = [], []
    lots_where = type(store).lots_where
    monkeypatch.setattr(type(store), "lots_where",
                        lambda self, *a: held.append(len(r := lots_where(self, *a))) or r)
    with store.transaction():
        assert refresh_producers(store, pids, lambda n, t: seen.append(n)) == 15
    assert held == [3] * 5 and seen == [1, 2, 3, 4, 5]
    assert _metrics(store) == expected


def test_an_imports_new_producers_get_the_figures_a_full_refresh_computes(store, tmp_path):
    """An import refreshes the lot metrics of every producer it touched once, at the end:
    the rows must be the ones the store computes from what was written, for new and existing
    producers alike."""
    from roasterdesk.services import importing as I

    old = store.save_producer(Producer("Old Farm", ProducerKind.FARM, "CO"))
    store.save_lot(Lot("OLD-1", old.id, 2022, bags=5, bag_kg=D(70), fob_usd_lb=D("3.40")))
    f = tmp_path / "lots.csv"
    f.write_text(
        "Lot code;Producer;Country;Harvest;Bags;Bag kg;Cup score;FOB USD/lb;Moisture;Exporter\n"
        "N-1;New Farm;CO;2024;10;70;86,5;3,80;11,2;Exp\n"
        "N-2;New Farm;CO;2023;12;70;;4,10;;Exp\n"
        "N-3;New Farm;CO;2024;3;69;84;;10,5;\n"
        "E-1;Other Farm;ET;2024;20;60;88;5,25;10;Exp\n"
        "O-2;Old Farm;CO;2024;8;70;85;3,60;11;Exp\n")
    plan = I.plan_import(store, I.read_source(f, "lots"), "lots")
    assert plan.ok, plan.report()
    assert len(plan.new_producers) == 2
    I.commit_import(store, plan)
    got = _metrics(store)
    assert len(got) == 6 and any(row[1] is not None for row in got)
    store.refresh_all_metrics()
    assert _metrics(store) == got
    # and the new producers' lots carry their new producer's id (the row override)
    by_code = {lot.code: lot for lot in store.lots_where("1 = 1")}
    farm = {p.name: p.id for p in store.producers()}
    assert by_code["N-2"].producer_id == farm["New Farm"] == by_code["N-3"].producer_id
    assert by_code["E-1"].producer_id == farm["Other Farm"]
    assert by_code["O-2"].producer_id == old.id
