"""A large import holds a batch of rows, not the file: the file is read from disk on each pass,
a dry run counts what each row would do, and a commit checks the rows again and writes them a
batch at a time, in one transaction."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

import roasterdesk.store.bulk_metrics as B
from roasterdesk.services import importing as I

HEAD = "Lot code;Farm;Country;Harvest;Bags;Bag kg;Cup score;FOB USD/lb;Moisture;Exporter\n"


def lots_csv(path, rows, producers=100, start=0):
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEAD)
        for i in range(start, start + rows):
            p = i % producers
            fh.write(f"L-{i:06d};Farm {p:03d};CO;2024;{10 + i % 7};70;{84 + i % 5},25;"
                     f"3,{10 + i % 80};11,{i % 10};Exporter {p % 9}\n")
    return path


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(I, "BATCH", 100)
    monkeypatch.setattr(I, "WRITE_BATCH", 100)
    monkeypatch.setattr(I, "KEEP_RECORDS", 0, raising=False)  # records are not kept
    monkeypatch.setattr(B, "LOTS_PER_BATCH", 200, raising=False)


def test_the_file_is_read_again_on_each_pass_not_held(tmp_path):
    from openpyxl import Workbook

    path = lots_csv(tmp_path / "lots.csv", 30)
    wb = Workbook()
    ws = wb.active
    ws.append(["A title row"])
    for text in path.read_text(encoding="utf-8").splitlines():
        ws.append(text.split(";"))
    wb.save(tmp_path / "lots.xlsx")
    for name, first_line in (("lots.csv", 2), ("lots.xlsx", 3)):
        table = I.read_source(tmp_path / name, "lots")
        assert not isinstance(table.rows, list) and len(table.rows) == 30
        lines = [line for line, _cells in table.rows]
        assert lines == list(range(first_line, first_line + 30))
        assert lines == [line for line, _cells in table.rows]  # a second pass, same rows


def test_a_commit_writes_a_batch_at_a_time_and_counts_match(store, tmp_path, small_batches,
                                                            monkeypatch):
    path = lots_csv(tmp_path / "lots.csv", 1050, producers=40)
    plan = I.plan_import(store, I.read_source(path, "lots"), "lots")
    assert plan.ok, plan.report(limit=5)
    assert plan.records == []  # a dry run keeps counts, not records
    assert (plan.count("create"), len(plan.new_producers)) == (1050, 40)
    sizes: list[int] = []
    original = type(store).add_records

    def add_records(self, records, stamp, overrides=None):
        sizes.append(len(records))
        return original(self, records, stamp, overrides)

    monkeypatch.setattr(type(store), "add_records", add_records)
    result = I.commit_import(store, plan)
    assert (result.created, result.producers_created) == (1050, 40)
    assert max(sizes) <= I.WRITE_BATCH and sum(sizes) == 1050 + 40
    assert store.counts()["lots"] == 1050
    assert store.db.execute("SELECT count(*) FROM lot_metrics").fetchone()[0] == 1050


def _peak(fn):
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("after_commit", [False, True])
def test_memory_grows_with_the_batch_not_the_file(store, tmp_path, small_batches, monkeypatch,
                                                  after_commit):
    """Peak memory (Python's allocations, counted exactly: not timed) of a dry run, of a
    commit of its plan and of a one-reading import (check and write), for 1,000 and 4,000
    rows: the 3,000 more rows may cost what each row's identity costs (its lot code, for
    duplicates), not its cells or its record (~3 KB a row). Each import takes one way to its
    lot figures: in its transaction, or (``after_commit``, as from 5,000 lots) in worker
    processes once committed, the pool started by the warm-up too."""
    from roasterdesk.services import parallel_figures as PF

    monkeypatch.setattr(PF, "PARALLEL_FROM", 0 if after_commit else 10**9)
    monkeypatch.setattr(PF.os, "cpu_count", lambda: 2)
    warm = lots_csv(tmp_path / "warm.csv", 150, start=900_000)  # caches and lazy imports
    I.commit_import(store, I.plan_import(store, I.read_source(warm, "lots"), "lots"))
    peaks = {}
    for n, start in ((1000, 0), (4000, 10_000)):
        path = lots_csv(tmp_path / f"lots{n}.csv", n, start=start, producers=n // 40)
        dry = _peak(lambda path=path: I.plan_import(store, I.read_source(path, "lots"), "lots"))
        plan = I.plan_import(store, I.read_source(path, "lots"), "lots")
        assert plan.ok and plan.count("create") == n
        commit = _peak(lambda plan=plan: I.commit_import(store, plan))
        other = lots_csv(tmp_path / f"other{n}.csv", n, start=start + 100_000,
                         producers=n // 40)
        one = _peak(lambda path=other: I.import_rows(store, I.read_source(path, "lots"), "lots"))
        peaks[n] = dry, commit, one
    assert store.counts()["lots"] == 150 + 2 * (1000 + 4000)
    per_row = [(peaks[4000][k] - peaks[1000][k]) / 3000 for k in (0, 1, 2)]
    # measured 60, 150-175 and 390-445 bytes a row (the smaller file's peak moves with how its
    # lot figures are computed); a row's cells and record would be about 3,000
    assert all(b < 700 for b in per_row), per_row


def test_an_error_in_the_last_batch_writes_nothing_and_the_refused_rows_survive(
        store, tmp_path, small_batches):
    path = lots_csv(tmp_path / "lots.csv", 450)
    text = path.read_text(encoding="utf-8").replace("L-000440;Farm 040;CO;2024;",
                                                     "L-000440;Farm 040;CO;2024x;")
    path.write_text(text, encoding="utf-8")
    plan, result = I.import_rows(store, I.read_source(path, "lots"), "lots")
    assert result is None and [p.line for p in plan.errors] == [442]
    assert store.counts()["lots"] == 0 and store.counts()["producers"] == 0  # rolled back
    written = []
    plan, result = I.import_rows(
        store, I.read_source(path, "lots"), "lots", skip_invalid=True,
        before_commit=lambda p: written.append(I.write_rejects(p, tmp_path / "rej.csv")))
    assert result is not None and result.created == 449 and written == [1]
    assert "L-000440" in (tmp_path / "rej.csv").read_text(encoding="utf-8-sig")
    assert store.counts()["lots"] == 449


def test_problems_are_counted_exactly_and_the_first_ones_kept(store, tmp_path, small_batches,
                                                              monkeypatch):
    import roasterdesk.services.import_plan as IP

    monkeypatch.setattr(IP, "PROBLEMS_KEPT", 50)
    path = tmp_path / "nocodes.csv"
    rows = [f"Farm {i % 9};CO;2024;{'x' if i in (700, 850, 990) else 10}" for i in range(1000)]
    path.write_text("Farm;Country;Harvest;Bags;Bag size\n" + ";60\n".join(rows) + ";60\n",
                    encoding="utf-8")
    plan = I.plan_import(store, I.read_source(path, "lots"), "lots")
    # every row gets a generated code (a warning); three have an error, found after the 50 kept
    assert (plan.error_count, plan.warning_count, len(plan.error_rows)) == (3, 1000, 3)
    assert len(plan.problems) == 50 and not plan.errors and not plan.ok and plan.skippable
    report = plan.report(limit=None)
    assert "3 errors in 3 rows, 1,000 warnings; 997 rows can be imported" in report
    assert "… and 953 more" in report
    out = tmp_path / "nocodes.rejected.csv"
    plan, result = I.import_rows(store, I.read_source(path, "lots"), "lots", skip_invalid=True,
                                 before_commit=lambda p: I.write_rejects(p, out))
    assert result is not None and result.created == 997
    assert out.read_text(encoding="utf-8-sig").count("is not a number") == 3


@pytest.fixture
def figures_after(monkeypatch):
    """Imports of more than a few lots take the many-lots path: their figures are computed in
    worker processes once the rows are committed (as a 100,000-row import does)."""
    from roasterdesk.services import parallel_figures as PF

    monkeypatch.setattr(PF, "PARALLEL_FROM", 10)
    monkeypatch.setattr(PF.os, "cpu_count", lambda: 2)


def _figures(path):
    import sqlite3

    con = sqlite3.connect(path)
    try:
        rows = con.execute("SELECT l.code, m.fob_usd_lb, m.answered FROM lots l "
                           "JOIN lot_metrics m ON m.lot_id = l.id ORDER BY l.code").fetchall()
        pending = con.execute("SELECT value FROM sync_state WHERE key = 'metrics_dirty'"
                              ).fetchone()
    finally:
        con.close()
    return rows, pending


def test_many_lots_get_their_figures_after_the_commit_the_same_as_in_it(
        store, db_path, tmp_path, figures_after):
    """The figures written by the workers after the commit are those the transaction itself
    computes for a small import; nothing is left pending."""
    from roasterdesk.store import Store

    path = lots_csv(tmp_path / "lots.csv", 60, producers=6)
    plan, result = I.import_rows(store, I.read_source(path, "lots"), "lots")
    assert result is not None and result.created == 60 and plan.figures_pending
    many, pending = _figures(db_path)
    assert len(many) == 60 and pending is None
    assert all(fob is not None for _c, fob, _a in many)
    import roasterdesk.services.parallel_figures as PF

    PF.PARALLEL_FROM = 10**9  # (the fixture's monkeypatch restores it)
    inline = tmp_path / "inline.sqlite"
    with Store.open(inline) as s:
        plan, _ = I.import_rows(s, I.read_source(path, "lots"), "lots")
        assert not plan.figures_pending
    assert _figures(inline)[0] == many


def test_an_import_stopped_before_its_figures_keeps_its_rows_and_the_next_start_computes_them(
        db_path, tmp_path, figures_after, monkeypatch):
    """Killed between the rows' commit and the figures: the rows are there with a pending mark
    (never half-written figures); the next start computes them and clears the mark."""
    from roasterdesk.services import parallel_figures as PF
    from roasterdesk.services.recovery import recover_at_start
    from roasterdesk.store import Store

    path = lots_csv(tmp_path / "lots.csv", 40, producers=4)

    def killed(_store):
        raise KeyboardInterrupt

    with Store.open(db_path) as s, monkeypatch.context() as m:
        m.setattr(PF, "refresh_pending", killed)
        with pytest.raises(KeyboardInterrupt):
            I.import_rows(s, I.read_source(path, "lots"), "lots")
        assert s.counts()["lots"] == 40
    rows, pending = _figures(db_path)  # each lot's row as inserted: no figure computed yet
    assert {(fob, answered) for _c, fob, answered in rows} <= {(None, 0)}
    assert pending is not None
    notes = recover_at_start(db_path)
    assert notes == ["computed the figures of 40 lots left to compute (by an "
                     "interrupted import or sync, or rules that changed)."]
    rows, pending = _figures(db_path)
    assert len(rows) == 40 and pending is None
    assert all(fob is not None and answered > 0 for _c, fob, answered in rows)
    assert recover_at_start(db_path) == []  # once


def test_a_failure_of_the_figures_after_the_commit_keeps_the_import_and_says_so(
        store, db_path, tmp_path, figures_after, monkeypatch):
    """The rows are committed: a disk error while computing their figures is no "nothing was
    imported"; the result comes back with a note and the figures stay pending."""
    from roasterdesk.services import parallel_figures as PF

    def full(_store):
        raise OSError("No space left on device")

    monkeypatch.setattr(PF, "refresh_pending", full)
    path = lots_csv(tmp_path / "lots.csv", 30, producers=3)
    plan, result = I.import_rows(store, I.read_source(path, "lots"), "lots")
    assert result is not None and result.created == 30
    assert any("could not be computed now (No space left on device)" in n for n in plan.notes)
    assert _figures(db_path)[1] is not None  # still pending


def test_the_start_up_check_takes_a_relative_path(store, db_path, tmp_path, monkeypatch):
    from roasterdesk.services.parallel_figures import mark_pending
    from roasterdesk.services.recovery import recover_at_start

    path = lots_csv(tmp_path / "lots.csv", 12, producers=2)
    I.import_rows(store, I.read_source(path, "lots"), "lots")
    with store.transaction():
        mark_pending(store, None)
    store.close()
    monkeypatch.chdir(db_path.parent)
    assert recover_at_start(db_path.name) == [
        "computed the figures of 12 lots left to compute (by an interrupted import or sync, "
        "or rules that changed)."]
