"""Hole 1: one writer, every writer. Every command that writes takes the writer lock before its
first write; a second writer waits a bounded time, then is refused with one line naming the
holder. Tested with real processes (on main before this, ``import`` wrote under the app)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from roasterdesk.store import Store
from roasterdesk.store.lock import WriterLock, held_here

FIX = Path(__file__).parent.parent / "fixtures" / "imports"

HOLD = textwrap.dedent("""
    import sys, time
    from roasterdesk.services.lock import WriterLock
    lock = WriterLock(sys.argv[1], "RoasterDesk app").acquire()
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    lock.release()
    print("released", flush=True)
    time.sleep(30)
""")


def cli(db, *argv, wait="1", **kw):
    env = dict(os.environ, ROASTERDESK_LOCK_WAIT=wait, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "roasterdesk", "--db", str(db), *map(str, argv)],
                          capture_output=True, text=True, env=env, timeout=120, **kw)


def holder(db, seconds):
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    return child


def stop(child):
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()


@pytest.mark.parametrize("argv", [
    ("import", FIX / "producers_latin1.csv", "--kind", "producers"),
    ("erase-person", "1", "--yes"),
    ("import-c-prices", FIX / "producers_latin1.csv"),
    ("demo", "--scale", "small", "--force"),
    ("restore", "missing.zip"),
    ("encrypt",),
])
def test_every_writing_command_is_refused_while_another_process_writes(db_path, argv):
    Store.open(db_path).close()
    before = db_path.read_bytes()
    child = holder(db_path, 60)
    try:
        started = time.monotonic()
        done = cli(db_path, *argv)
        waited = time.monotonic() - started
    finally:
        stop(child)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "already open in RoasterDesk on this computer" in lines[0]
    assert f"RoasterDesk app, process {child.pid}" in lines[0]  # names who holds it
    assert waited >= 1.0  # it waited the bounded time first
    assert db_path.read_bytes() == before


def test_a_writer_waits_for_the_other_to_finish_then_writes(db_path):
    Store.open(db_path).close()
    child = holder(db_path, 1.5)
    try:
        done = cli(db_path, "import", FIX / "producers_latin1.csv", "--kind", "producers",
                   wait="20")
    finally:
        stop(child)
    assert done.returncode == 0, done.stderr
    with Store.open(db_path) as s:
        assert s.counts()["producers"] > 0


def test_two_imports_at_once_both_land_no_traceback(db_path, tmp_path):
    Store.open(db_path).close()
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    rows = "Producer,Country\n" + "".join(f"Finca {i},CO\n" for i in range(400))
    a.write_text(rows, encoding="utf-8")
    b.write_text(rows.replace("Finca", "Granja"), encoding="utf-8")
    env = dict(os.environ, ROASTERDESK_LOCK_WAIT="60")
    procs = [subprocess.Popen([sys.executable, "-m", "roasterdesk", "--db", str(db_path),
                               "import", str(f), "--kind", "producers"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
             for f in (a, b)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("Traceback" not in err for _, err in outs)
    with Store.open(db_path) as s:
        assert s.counts()["producers"] == 800  # every acknowledged row is there


def test_the_lock_is_reentrant_within_a_process_and_released_by_the_last(db_path):
    outer = WriterLock(db_path, reentrant=True).acquire()  # the command line's
    inner = WriterLock(db_path).acquire()  # a command's service taking it again
    inner.release()
    assert held_here(db_path)
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from roasterdesk.store.lock import WriterLock;"
         "WriterLock(sys.argv[1]).acquire()", str(db_path)], capture_output=True, text=True)
    assert probe.returncode != 0 and "AlreadyOpenError" in probe.stderr
    outer.release()
    assert not held_here(db_path)
    with WriterLock(db_path) as again:
        assert again.held


def test_a_lock_not_taken_reentrant_refuses_its_own_process_too(db_path):
    from roasterdesk.store.lock import AlreadyOpenError

    with WriterLock(db_path, "RoasterDesk app"):  # the app: its own restore must not run
        with pytest.raises(AlreadyOpenError, match="RoasterDesk app"):
            WriterLock(db_path, wait=5).acquire()
