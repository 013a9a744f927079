"""Crash test: a writer killed with SIGKILL at random moments never loses an acknowledged write.

A child process (crash_child.py) performs user-level writes through the Store and acknowledges
each on a pipe after its commit returned. The parent kills it with SIGKILL at random moments,
checks the database after every kill (integrity_check ok, foreign_key_check empty, every
acknowledged record present with its dependent rows) and starts it again to continue.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .crash_child import PRODUCERS, table_of, uid

CHILD = Path(__file__).with_name("crash_child.py")
MIN_KILLS = 32
MIN_WRITES = 1000
BUDGET_S = 150


def check(db: Path, acked: set[int]) -> None:
    conn = sqlite3.connect(db)  # read-write: recovers the WAL like the app would
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        present = {r[0] for t in ("producers", "visits", "lots")
                   for r in conn.execute(f"SELECT uuid FROM {t}")}
        lost = sorted(i for i in acked if uid(i) not in present)
        assert not lost, f"acknowledged writes lost: {lost[:10]}"
        fu = {r[0] for r in conn.execute("SELECT uuid FROM follow_ups")}
        pr = {r[0] for r in conn.execute("SELECT uuid FROM premiums")}
        parts = {i for i in acked if i >= PRODUCERS and uid(-i) not in (fu | pr)}
        assert not parts, f"writes present without their follow-up/premium: {sorted(parts)[:10]}"
        metrics = conn.execute("SELECT count(*) FROM lot_metrics").fetchone()[0]
        lots = conn.execute("SELECT count(*) FROM lots").fetchone()[0]
        assert metrics == lots  # derived rows were written in the same transaction
    finally:
        conn.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_no_acknowledged_write(tmp_path):
    rng = random.Random(20261127)
    db = tmp_path / "crash.sqlite"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    acked: set[int] = set()
    kills = checks = 0
    started = time.monotonic()
    total = 100_000  # the child never runs out; the parent decides when to stop
    while kills < MIN_KILLS or len(acked) < MIN_WRITES:
        assert time.monotonic() - started < BUDGET_S, (kills, len(acked))
        start = max(acked) + 1 if acked else 0
        child = subprocess.Popen([sys.executable, str(CHILD), str(db), str(start), str(total)],
                                 stdout=subprocess.PIPE, env=env)
        # a few kills land while the child is still opening the database
        delay = rng.uniform(0.0, 0.3) if kills % 6 == 5 else rng.uniform(0.05, 0.6)
        ready_at = time.monotonic() if kills % 6 == 5 else None
        buf = b""
        sel = selectors.DefaultSelector()
        sel.register(child.stdout, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if ready_at is not None and now - ready_at >= delay:
                break
            for _ in sel.select(timeout=0.005):
                chunk = os.read(child.stdout.fileno(), 65536)
                if not chunk:
                    break
                buf += chunk
            if ready_at is None and b"ready\n" in buf:
                ready_at = time.monotonic()
            assert child.poll() is None, "the child stopped on its own"
        child.send_signal(signal.SIGKILL)
        child.wait()
        buf += child.stdout.read()  # acknowledgements already in the pipe
        sel.close()
        child.stdout.close()
        kills += 1
        for line in buf.decode().splitlines():
            if line.strip().isdigit():
                acked.add(int(line))
        check(db, acked)
        checks += 1
    elapsed = time.monotonic() - started
    kinds = {t: sum(1 for i in acked if table_of(i) == t) for t in ("producers", "visits", "lots")}
    print(f"\ncrash test: {kills} SIGKILLs, {len(acked)} acknowledged writes {kinds}, "
          f"0 lost, {checks} checks, {elapsed:.1f} s")
    assert kills >= MIN_KILLS and len(acked) >= MIN_WRITES


BACKUP_LOOP = """
import sys
from roasterdesk.services.backup import create_backup
print("ready", flush=True)
while True:
    info = create_backup(sys.argv[1], sys.argv[2])
    print(info.path.name, flush=True)
"""


@pytest.mark.slow
def test_a_backup_killed_half_way_never_leaves_a_backup_that_fails_verification(filled,
                                                                                 tmp_path):
    from roasterdesk.services import backup as B

    db, counts = filled
    out = tmp_path / "backups"
    rng = random.Random(6)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(8):
        child = subprocess.Popen([sys.executable, "-c", BACKUP_LOOP, str(db), str(out)],
                                 stdout=subprocess.PIPE, env=env)
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.4))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
    made = B.list_backups(out)
    assert len(made) == len(list(out.glob("*.zip")))  # every zip there is a complete backup
    for info in made:
        B.verify_backup(info.path)
        assert {t: info.counts[t] for t in counts} == counts
    stale = list(out.glob(".backup-*"))  # cut-short temporaries: removed once they are old
    old = time.time() - 7 * 3600
    for t in stale:
        os.utime(t, (old, old))
    B.create_backup(db, out)
    assert not list(out.glob(".backup-*"))
    print(f"\nbackup kills: 8, complete backups left: {len(made)}, cut-short temporaries: "
          f"{len(stale)}")
