"""Kills: a sync SIGKILLed at random points (and between the hub's commit and the laptop's record
of it), and the hub stopped with ``pg_ctl stop -m immediate`` mid-push; each time a re-sync ends
with exact counts: every operation on the hub once, every row on the other laptop once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest

from roasterdesk.domain.model import FollowUp, Lot, Producer, ProducerKind, Visit, VisitMode
from roasterdesk.services import sync

from .laptops import Laptop, as_role, make_hub

POINTS = ("before_push", "before_hub_commit", "after_hub_commit", "after_mark", "mid_pull",
          "after_pull_page")
REPORT = Path(os.environ.get("ROASTERDESK_KILL_REPORT", "/tmp/roasterdesk-kill-report.txt"))


def _work(laptop: Laptop, tag: str, n: int) -> None:
    """n producers, each with two lots and a visit with a follow-up, and an edit of each."""
    with laptop.open() as s:
        for i in range(n):
            p = s.save_producer(Producer(f"Finca {tag}{i}", ProducerKind.FARM, "CO",
                                         region="Huila"))
            for k in range(2):
                s.save_lot(Lot(f"{tag}-{i}-{k}", p.id, 2025,
                               differential_cents_lb=Decimal(30 + k)))
            s.save_visit(Visit(p.id, date(2025, 2, 1), VisitMode.IN_PERSON, ("Ana",),
                               follow_ups=(FollowUp("send quote", "Ana"),)))
            s.save_producer(replace(p, notes=f"edited {tag}{i}"))


def _run_sync(laptop: Laptop, env: dict[str, str], kill_after: float | None) -> int:
    cmd = [sys.executable, "-m", "roasterdesk", "sync", "--db", str(laptop.path), "--hub",
           laptop.url]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if kill_after is not None:
        time.sleep(kill_after)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=120)
    return proc.returncode


def _local_ops(laptop: Laptop) -> set[str]:
    with laptop.open() as s:
        return {r[0] for r in s.db.execute(
            "SELECT DISTINCT op_id FROM change_log WHERE origin = 'local'")}


@pytest.mark.slow
def test_thirty_kills_then_exact_counts(hub_url, tmp_path):
    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    rng = random.Random(16)
    base = {**os.environ, "ROASTERDESK_SYNC_BATCH": "40", "ROASTERDESK_LOCK_WAIT": "30"}
    kills = runs = 0
    hit: Counter[str] = Counter()
    round_ = 0
    while kills < 32 and round_ < 90:
        _work(a if round_ % 2 == 0 else b, f"r{round_}", 3)
        laptop = rng.choice((a, b))
        env = dict(base)
        if round_ % 3 == 2:  # an outside kill at a random moment
            point = "outside"
            code = _run_sync(laptop, env, rng.uniform(0.3, 1.2))
        else:
            point = rng.choice(POINTS)
            env[sync.KILL_ENV] = f"{point}:{rng.randint(1, 2)}"
            code = _run_sync(laptop, env, None)
        runs += 1
        if code == -signal.SIGKILL:
            kills += 1
            hit[point] += 1
        round_ += 1
    for laptop in (a, b, a, b):
        assert _run_sync(laptop, dict(base), None) == 0
    with psycopg.connect(hub_url) as conn:
        hub_ops = {r[0] for r in conn.execute("SELECT op_id FROM roasterdesk.ops")}
        dup_changes = conn.execute(
            "SELECT count(*) FROM (SELECT op_id, table_name, row_uuid, field FROM "
            "roasterdesk.changes GROUP BY 1, 2, 3, 4 HAVING count(*) > 1) d").fetchone()[0]
        hub_rows = conn.execute("SELECT count(*) FROM roasterdesk.rows").fetchone()[0]
        row_changes = conn.execute(
            "SELECT count(*) FROM roasterdesk.changes WHERE field = '*'").fetchone()[0]
    local = _local_ops(a) | _local_ops(b)
    lost_ops = len(local - hub_ops)
    with a.open() as sa, b.open() as sb:
        ca, cb = sa.counts(), sb.counts()
        waiting = sync.waiting(sa) + sync.waiting(sb)
        conflicts = sync.open_conflicts(sa) + sync.open_conflicts(sb)
        lots_a = {r[0] for r in sa.db.execute("SELECT uuid FROM lots")}
        lots_b = {r[0] for r in sb.db.execute("SELECT uuid FROM lots")}
    REPORT.write_text(
        f"runs {runs} kills {kills} {dict(hit)} operations {len(local)} hub_ops {len(hub_ops)} "
        f"duplicates {dup_changes + row_changes - hub_rows} lost {lost_ops} "
        f"lots {len(lots_a)}/{len(lots_b)} counts_equal {ca == cb}\n", encoding="utf-8")
    assert kills >= 30 and hit["after_hub_commit"] > 0
    assert lost_ops == 0 and dup_changes == 0 and row_changes == hub_rows
    assert ca == cb and lots_a == lots_b and len(lots_a) == round_ * 3 * 2
    assert waiting == 0 and conflicts == 0


def test_hub_stopped_mid_push_then_resync(pg_cluster, hub_url, tmp_path, monkeypatch):
    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    _work(a, "h", 20)
    monkeypatch.setattr(sync, "BATCH_CHANGES", 30)
    stopped = []

    def stop_hub(stage, done, total):
        if stage == "push" and not stopped:
            pg_cluster.stop("immediate")
            stopped.append(done)

    try:
        with a.open() as s, pytest.raises(sync.HubError, match="sync stopped|cannot be"):
            sync.sync(s, a.url, progress=stop_hub)
    finally:
        pg_cluster.start()
    with a.open() as s:
        assert 0 < stopped[0] and sync.waiting(s) > 0  # part was pushed, part waits
    assert a.sync().waiting == 0
    b.sync()
    with a.open() as sa, b.open() as sb:
        assert sa.counts() == sb.counts()
        assert len(sb.db.execute("SELECT uuid FROM lots").fetchall()) == 40
    with psycopg.connect(hub_url) as conn:
        assert conn.execute("SELECT count(*) FROM roasterdesk.ops").fetchone()[0] == len(
            _local_ops(a))


@pytest.mark.parametrize("kill_at", ["after_hub_commit:2", "after_mark:3", "before_hub_commit:4"])
def test_an_op_too_large_for_one_batch_goes_in_parts_applied_once(hub_url, tmp_path, kill_at):
    """An import of 500 farms is one op of 500 changes; with batches of 120 it goes in 5 parts
    (``<op>#<first seq>``). A sync killed around the n-th part, then synced again, leaves every
    farm on the hub once and on the other laptop once."""
    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    with a.open() as s, s.transaction("Import"):
        s.add_records([Producer(f"Finca P{i}", ProducerKind.FARM, "CO") for i in range(500)])
    with a.open() as s:
        (op,) = _local_ops(a)
        assert s.db.execute("SELECT count(*) FROM change_log WHERE op_id = ?",
                            [op]).fetchone()[0] == 500
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ROASTERDESK_SYNC_BATCH="120",
               ROASTERDESK_SYNC_KILL=kill_at)
    assert _run_sync(a, env, None) == -signal.SIGKILL
    env.pop("ROASTERDESK_SYNC_KILL")
    assert _run_sync(a, env, None) == 0
    assert b.sync().pulled == 500
    with psycopg.connect(hub_url) as conn:
        parts = [r[0] for r in conn.execute("SELECT op_id FROM roasterdesk.ops ORDER BY 1")]
        rows = conn.execute("SELECT count(*), count(DISTINCT row_uuid) FROM roasterdesk.changes "
                            "WHERE field = '*'").fetchone()
    assert len(parts) == 5 and all(p.startswith(op + "#") for p in parts)
    assert rows == (500, 500)
    with b.open() as s:
        assert s.counts()["producers"] == 500
    with a.open() as s:
        assert sync.waiting(s) == 0
