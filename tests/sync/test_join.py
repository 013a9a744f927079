"""A join applies pulled rows set-wise (many rows per statement, lot figures in batches): the
database it makes equals, row for row, one made by applying the same changes one at a time with
the store's own write path and refreshing lot figures producer by producer."""

from __future__ import annotations

import json
import sqlite3

import pytest

from roasterdesk.services import sync
from roasterdesk.services.demo import build_demo
from roasterdesk.store import Store
from roasterdesk.store.change_sync import ChangeSync

from .laptops import Laptop, as_role, make_hub

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


def _per_producer(store, producers):
    sql = ("SELECT DISTINCT l.producer_id FROM lots l JOIN producers p ON p.id = l.producer_id "
           "WHERE p.deleted_at IS NULL")
    for (pid,) in store.db.execute(sql).fetchall():
        if producers is None or pid in producers:
            store.refresh_metrics(pid)


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
    conn.close()
    return out


@pytest.mark.parametrize("page", [sync.PULL_PAGE, 700])
def test_a_join_equals_a_pull_change_by_change(hub_url, tmp_path, monkeypatch, page):
    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    bulk = Laptop(tmp_path / "bulk.sqlite", as_role(hub_url, "ben"))
    slow = Laptop(tmp_path / "slow.sqlite", as_role(hub_url, "ben"))
    build_demo(a.path, "small")
    assert a.sync().pushed > 1000
    monkeypatch.setattr(sync, "PULL_PAGE", page)  # pages that cut tables and ops in two too
    deferred = []
    monkeypatch.setattr(sync, "_defer_field_index", lambda store, f=sync._defer_field_index: (
        deferred.append(1), f(store)))
    got = bulk.sync()
    assert bool(deferred) == (page == 700)  # full pages: the index is built once at the end
    assert _field_index(bulk.path) == _field_index(a.path) is not None
    with monkeypatch.context() as m:
        m.setattr(ChangeSync, "apply_remote", _one_by_one)
        m.setattr(sync, "_refresh", _per_producer)
        assert slow.sync().pulled == got.pulled
    one, other = _dump(bulk.path), _dump(slow.path)
    assert one.keys() == other.keys()
    assert {"producers", "lots", "visits", "change_log", "lot_metrics", "lots_fts"} <= set(one)
    for table in one:
        assert one[table] == other[table], table
    assert len(one["lot_metrics"]) == 300 and len(one["change_log"]) == got.pulled
    with Store.open(a.path) as s, Store.open(bulk.path) as t:
        assert s.counts() == t.counts()


def _field_index(path):
    conn = sqlite3.connect(path)
    got = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'change_log_field'").fetchone()
    state = conn.execute("SELECT value FROM sync_state WHERE key = 'deferred_index'").fetchone()
    conn.close()
    assert state is None or got is None  # dropped and remembered in one transaction
    return got and got[0]


def test_a_join_stopped_before_its_end_builds_the_change_log_index_at_the_next_sync(
        hub_url, tmp_path, monkeypatch):
    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    build_demo(a.path, "small")
    a.sync()
    monkeypatch.setattr(sync, "PULL_PAGE", 500)

    def stop(point):
        if point == "after_pull_page":
            raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(sync, "checkpoint", stop)
        with pytest.raises(KeyboardInterrupt):
            b.sync()
    assert _field_index(b.path) is None  # stopped after its first page
    with Store.open(b.path) as s:
        assert s.db.execute("SELECT value FROM sync_state WHERE key = 'deferred_index'"
                            ).fetchone()[0].startswith("CREATE INDEX change_log_field")
    b.sync()
    assert _field_index(b.path) == _field_index(a.path) is not None
    with Store.open(a.path) as s, Store.open(b.path) as t:
        assert s.counts() == t.counts()


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
        logged = [json.loads(t) for (t,) in s.db.execute(
            "SELECT new_value FROM change_log WHERE origin = 'remote' ORDER BY seq")]
        assert logged[0]["name"] == "Finca Nueva" and logged[1]["region"] == "Huila"
        assert logged[2]["notes"] == "línea\ncon tab\t"
