"""A join applies pulled rows set-wise (many rows per statement, lot figures in batches): the
database it makes equals, row for row, one made by applying the same changes one at a time with
the store's own write path and refreshing lot figures producer by producer."""

from __future__ import annotations

import json
import sqlite3

import pytest

from roasterdesk.services import parallel_figures, sync
from roasterdesk.services.demo import build_demo
from roasterdesk.store import Store
from roasterdesk.store.change_sync import ChangeSync
from roasterdesk.store.kinds import TABLES

from .laptops import Laptop, as_role, hub_count, make_hub

ARRIVAL = {"updated_at", "pushed_at"}  # stamped when a row arrives on this laptop


def _one_by_one(self, changes):
    """Every change through ``_apply_one`` (the store's insert and update), no bulk path."""
    applied = []
    for ch in changes:
        self.clock.observe(ch.hlc)
        self._remote = (ch.op_id, ch.hlc, ch.device_id)
        try:
            if self._apply_one(ch):
                applied.append(ch)
        finally:
            self._remote = None
    return applied


def _per_producer(store, producer_ids, lots, *_args, **_kw):
    """The figures one producer at a time (Store.refresh_metrics), for the pending refresh's
    bulk computation (parallel_figures.refresh_committed)."""
    for pid in producer_ids:
        store.refresh_metrics(pid)
    return lots


def _demo_pushed(hub_url, tmp_path):
    """A new hub, and laptop "ana" that made the small demo and pushed it (with the count)."""
    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    build_demo(a.path, "small")
    return a, a.sync().pushed


def _dump(path):
    """Every table (user rows, change log, lot figures, search index) as sorted tuples, without
    the columns stamped on arrival."""
    conn = sqlite3.connect(path)
    out = {}
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN ('meta', 'sync_state', 'change_ops', '_sqlite_migrations') "
        "AND name NOT LIKE '%fts_%' "
        "ORDER BY name")]
    for t in tables:
        skip = set(ARRIVAL)
        if t != "change_log" and not conn.execute(
                "SELECT 1 FROM change_log WHERE table_name = ? LIMIT 1", [t]).fetchone():
            skip.add("uuid")  # reference rows each new database is made with, never synced
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({t})") if r[1] not in skip]
        if not cols:
            continue
        rows = conn.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY rowid").fetchall()
        if t == "change_log":  # a new row's fields: the same JSON, spaced as the hub gives it
            at = cols.index("new_value")
            rows = [(*r[:at], json.loads(r[at]) if r[cols.index("field")] == "*" else r[at],
                     *r[at + 1:]) for r in rows]
        out[t] = rows
    for fts in [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '%_fts' AND type = 'table'")]:
        out[fts] = conn.execute(f"SELECT rowid, * FROM {fts} ORDER BY rowid").fetchall()
        # the index itself (the rows above are read from the table it indexes): each term's
        # rows, and SQLite's own check that the index matches its table
        conn.execute(f"CREATE VIRTUAL TABLE temp.{fts}_terms USING fts5vocab(main, {fts}, row)")
        out[f"{fts} terms"] = conn.execute(
            f"SELECT term, doc, cnt FROM temp.{fts}_terms ORDER BY term").fetchall()
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
    conn.close()
    return out


@pytest.mark.parametrize(("page", "commit"), [(sync.PULL_PAGE, sync.PULL_COMMIT), (700, 700),
                                              (700, 2000)])
def test_a_join_equals_a_pull_change_by_change(hub_url, tmp_path, monkeypatch, page, commit):
    a, pushed = _demo_pushed(hub_url, tmp_path)
    assert pushed > 1000
    bulk = Laptop(tmp_path / "bulk.sqlite", as_role(hub_url, "ben"))
    slow = Laptop(tmp_path / "slow.sqlite", as_role(hub_url, "ben"))
    monkeypatch.setattr(sync, "PULL_PAGE", page)  # pages that cut tables and ops in two too
    monkeypatch.setattr(sync, "PULL_COMMIT", commit)  # (700, 2000): three pages a commit
    deferred = []
    monkeypatch.setattr(sync, "_defer_indexes", lambda store, f=sync._defer_indexes: (
        deferred.append(_schema(store.db.conn)), f(store)))
    got = bulk.sync()
    # full pages: indexes and search triggers set aside, built once at the end
    assert bool(deferred) == (page == 700)
    assert _schema_of(bulk.path) == _schema_of(a.path)  # as a new database has them
    if deferred:
        assert "change_log_field" in deferred[0] and "lots_ai" in deferred[0]
    with monkeypatch.context() as m:
        m.setattr(ChangeSync, "apply_remote", _one_by_one)
        m.setattr(parallel_figures, "refresh_committed", _per_producer)
        assert slow.sync().pulled == got.pulled
    one, other = _dump(bulk.path), _dump(slow.path)
    assert one.keys() == other.keys()
    assert {"producers", "lots", "visits", "change_log", "lot_metrics", "lots_fts"} <= set(one)
    for table in one:
        assert one[table] == other[table], table
    assert len(one["lot_metrics"]) == 300
    assert one["change_log"] == []  # a join brings new rows only: the hub's feed logs them
    with Store.open(a.path) as s, Store.open(bulk.path) as t:
        assert s.counts() == t.counts()


def _schema(conn):
    """Every index and trigger of the database, by name."""
    return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type IN "
                             "('index', 'trigger') AND sql IS NOT NULL").fetchall())


def _schema_of(path):
    conn = sqlite3.connect(path)
    got = _schema(conn)
    state = conn.execute("SELECT value FROM sync_state WHERE key = 'deferred_schema'").fetchone()
    conn.close()
    if state is not None:  # dropped and remembered in one transaction
        assert not set(json.loads(state[0])) & set(got.values())
    return got


def test_a_join_stopped_before_its_end_builds_the_indexes_at_the_next_sync(
        hub_url, tmp_path, monkeypatch):
    a, _ = _demo_pushed(hub_url, tmp_path)
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    monkeypatch.setattr(sync, "PULL_PAGE", 500)
    monkeypatch.setattr(sync, "PULL_COMMIT", 500)

    def stop(point):
        if point == "after_pull_page":
            raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(sync, "checkpoint", stop)
        with pytest.raises(KeyboardInterrupt):
            b.sync()
    stopped = _schema_of(b.path)  # stopped after its first page
    assert "change_log_field" not in stopped and "lots_ai" not in stopped
    assert "cost_legs_uuid" in stopped and "lots_producer" in stopped  # what finds a row stays
    with Store.open(a.path) as s:
        term = s.db.execute("SELECT name FROM producers ORDER BY id").fetchone()[0].split()[0]
        found = s.search(term)
    with Store.open(b.path) as s:
        assert s.db.execute("SELECT count(*) FROM producers").fetchone()[0] > 0
        assert s.search(term) == []  # the search index waits for the end of the join
    b.sync()
    assert _schema_of(b.path) == _schema_of(a.path)
    with Store.open(b.path) as s:
        assert s.search(term) == found != []
    with Store.open(a.path) as s, Store.open(b.path) as t:
        assert s.counts() == t.counts()


def test_a_pull_stopped_inside_a_transaction_of_several_pages_keeps_none_of_them(
        hub_url, tmp_path, monkeypatch):
    """Pages of 500 changes, two a transaction: stopped while writing the second page, nothing
    is kept and the cursor has not moved; stopped in the third, the first two are kept with the
    cursor past them. The next sync ends with the same records as the other laptop."""
    a, _ = _demo_pushed(hub_url, tmp_path)
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    monkeypatch.setattr(sync, "PULL_PAGE", 500)
    monkeypatch.setattr(sync, "PULL_COMMIT", 1000)
    empty = tmp_path / "empty.sqlite"
    Store.open(empty).close()
    for nth, kept in ((2, 0), (3, 1000)):
        seen = []

        def stop(point, nth=nth, seen=seen):
            if point == "mid_pull":
                seen.append(point)
                if len(seen) == nth:
                    raise KeyboardInterrupt

        with monkeypatch.context() as m:
            m.setattr(sync, "checkpoint", stop)
            with pytest.raises(KeyboardInterrupt):
                b.sync()
        kept_rows = _rows(b.path) - _rows(empty)  # a new database has its reference rows
        conn = sqlite3.connect(b.path)
        cursor = conn.execute("SELECT value FROM sync_state WHERE key = 'pull_cursor'"
                              ).fetchone()
        conn.close()
        assert kept_rows == kept  # a join's changes are all new rows
        if kept:  # the hub's seq of the 1,000th change
            assert int(cursor[0]) == hub_count(
                hub_url, "SELECT seq FROM roasterdesk.changes ORDER BY seq OFFSET 999 LIMIT 1")
        else:
            assert cursor is None
    assert b.sync().pulled > 0
    with Store.open(a.path) as s, Store.open(b.path) as t:
        assert s.counts() == t.counts()
    # a later pull (someone may be editing on this laptop): a commit after each page
    from dataclasses import replace

    with a.open() as s:
        for lot in s.lots_where("1", [])[:120]:
            s.save_lot(replace(lot, name=lot.name + " (checked)"))
    a.sync()
    monkeypatch.setattr(sync, "PULL_PAGE", 50)
    commits = []
    with monkeypatch.context() as m:
        m.setattr(sync, "checkpoint", lambda point: commits.append(point)
                  if point == "after_pull_page" else None)
        assert b.sync().pulled == 120
    assert len(commits) == 3


def _rows(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
    finally:
        conn.close()


def test_a_pulled_new_row_is_cleaned_of_control_characters(tmp_path):
    """The bulk path skips cleaning only for JSON with no escape and no unprintable character:
    an escaped ESC or BEL, a raw DEL, are cleaned from the row and from its logged JSON."""
    from roasterdesk.store.changes import Change

    name = "Finca\x1b[5m Nueva\x07"
    rows = [{"name": name, "kind": "farm", "country": "CO", "created_at": "2025-01-01"},
            {"name": "Finca Sur", "kind": "farm", "country": "CO", "region": "Hui\x7fla",
             "created_at": "2025-01-01"},
            {"name": "Finca Limpia", "kind": "farm", "country": "CO", "notes": "línea\ncon tab\t",
             "created_at": "2025-01-01"},
            {"name": "Finca Simple", "kind": "farm", "country": "PE", "created_at": "2025-01-01"}]
    changes = [Change(i, f"op-{i}", f"{9999999999999 + i:015d}-000000-zz", "zz", "producers",
                      f"u-{i}", "*", None, json.dumps(r, ensure_ascii=False))
               for i, r in enumerate(rows)]
    with Store.open(tmp_path / "x.sqlite") as s:
        with s.transaction():
            assert len(s.log.apply_remote(changes)) == 4
        got = s.db.execute("SELECT name, region, notes FROM producers ORDER BY id").fetchall()
        assert got == [("Finca Nueva", "", ""), ("Finca Sur", "Huila", ""),
                       ("Finca Limpia", "", "línea\ncon tab\t"), ("Finca Simple", "", "")]
        assert s.db.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0


def test_lot_figures_computed_while_a_join_pulls_equal_those_computed_at_its_end(
        hub_url, tmp_path, monkeypatch):
    """Figures asked of the workers once a producer's page is committed; a producer changed
    again in a later page (a lot's FOB price, at the end of the feed) is asked again."""
    from dataclasses import replace
    from decimal import Decimal

    from roasterdesk.services import figures_ahead

    a, _ = _demo_pushed(hub_url, tmp_path)
    with a.open() as s:
        lot = s.lots_where("fob_usd_lb IS NOT NULL", [])[0]
        s.save_lot(replace(lot, fob_usd_lb=lot.fob_usd_lb + Decimal("1.25")))
        of = s.db.execute("SELECT uuid FROM producers WHERE id = ?", [lot.producer_id]
                          ).fetchone()[0]
    assert a.sync().pushed > 0
    monkeypatch.setattr(sync, "PULL_PAGE", 300)
    monkeypatch.setattr(sync, "PULL_COMMIT", 300)  # asked after each page's commit
    late = Laptop(tmp_path / "late.sqlite", as_role(hub_url, "ben"))
    started = []
    monkeypatch.setattr(figures_ahead.FiguresAhead, "start", classmethod(
        lambda cls, store, n, f=figures_ahead.FiguresAhead.start.__func__: (
            started.append(f(cls, store, n)), started[-1])[1]))
    pulled = late.sync().pulled
    assert started == [None]  # 1,500 changes: figures after the pull
    monkeypatch.setattr(figures_ahead, "AHEAD_FROM", 0)
    asked: list[int] = []
    # each batch computed before the next page is written (workers may be slower than that)
    monkeypatch.setattr(figures_ahead.FiguresAhead, "_ask", lambda self, batch, f=(
        figures_ahead.FiguresAhead._ask): (asked.extend(batch), f(self, batch),
                                           self.jobs[-1].wait()))
    early = Laptop(tmp_path / "early.sqlite", as_role(hub_url, "ben"))
    assert early.sync().pulled == pulled
    assert started[-1] is not None
    with early.open() as s:
        producer = s.db.execute("SELECT id FROM producers WHERE uuid = ?", [of]).fetchone()[0]
        assert s.db.execute("SELECT value FROM sync_state WHERE key = 'metrics_dirty'"
                            ).fetchone() is None
        live = s.db.execute("SELECT count(DISTINCT producer_id) FROM lots").fetchone()[0]
    assert len(set(asked)) > live * 0.8 and producer in asked  # most asked before the end
    one, other = _dump(early.path), _dump(late.path)
    assert len(one["lot_metrics"]) == 300
    assert one["lot_metrics"] == other["lot_metrics"]



def test_pulled_rows_this_database_has_are_skipped_and_new_ones_found_by_later_rows(tmp_path):
    """New rows go in with one statement that does nothing for a uuid already here: those rows
    are not applied again nor logged twice; the ids of the rows inserted serve the rows that
    refer to them (a lot of a producer of the same page)."""
    from roasterdesk.store.changes import Change

    def producer(i):
        return Change(i, f"op-{i}", f"{9999999999999 + i:015d}-000000-zz", "zz", "producers",
                      f"p-{i}", "*", None, json.dumps({"name": f"Finca {i}", "kind": "farm",
                                                       "country": "CO",
                                                       "created_at": "2025-01-01"}))

    with Store.open(tmp_path / "x.sqlite") as s:
        with s.transaction():
            assert len(s.log.apply_remote([producer(1), producer(2)])) == 2
        lot = Change(9, "op-9", f"{9999999999999 + 9:015d}-000000-zz", "zz", "lots", "l-9", "*",
                     None, json.dumps({"code": "CO-9", "producer_id": "p-3", "harvest": 2024,
                                       "created_at": "2025-01-01"}))
        with s.transaction():
            got = s.log.apply_remote([producer(1), producer(3), producer(2), producer(4), lot])
        assert [c.row_uuid for c in got] == ["p-3", "p-4", "l-9"]
        assert s.db.execute("SELECT uuid FROM producers ORDER BY id").fetchall() == [
            ("p-1",), ("p-2",), ("p-3",), ("p-4",)]
        assert s.db.execute("SELECT count(*) FROM producers").fetchone()[0] == 4
        assert s.db.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0  # not logged
        assert s.db.execute("SELECT p.uuid FROM lots l JOIN producers p ON p.id = l.producer_id"
                            ).fetchall() == [("p-3",)]
