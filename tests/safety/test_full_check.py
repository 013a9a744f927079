"""Hole 7: damage that quick_check cannot see (an index that no longer matches its table) is
found by the full integrity_check, which runs in the background after an unclean close and
weekly; the window and `info` say when the file last passed."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.store import Store
from roasterdesk.store import integrity as I
from roasterdesk.store.db import quick_check
from roasterdesk.store.errors import DamagedDatabaseError

from .conftest import fill

ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen")


def _damage_an_index_only(db) -> None:
    """Change one byte of a lot code where quick_check still passes and integrity_check does not
    (the table row and its UNIQUE index entry then disagree)."""
    clean = db.read_bytes()
    start = 0
    while (at := clean.find(b"CO-25-001", start)) >= 0:
        start = at + 1
        data = bytearray(clean)
        data[at + 8] = ord("7")  # CO-25-001 -> CO-25-007, still a valid record
        db.write_bytes(bytes(data))
        try:
            quick_check(db)
        except DamagedDatabaseError:
            continue
        try:
            I.full_check(db)
        except DamagedDatabaseError:
            return
    raise AssertionError("no place where only the full check sees the change")


@pytest.fixture
def closed(db_path):
    with Store.open(db_path) as s:
        fill(s, 3)
    return db_path


def test_the_full_check_finds_what_quick_check_misses_and_records_it(closed):
    assert I.last_check(closed) is None and I.describe(closed) == "full check: not run yet"
    assert I.full_check(closed) == "ok"
    last = I.last_check(closed)
    assert last.passed and datetime.now(UTC) - last.at < timedelta(minutes=1)
    assert I.describe(closed).startswith("full check: passed today ")
    _damage_an_index_only(closed)  # raises unless only the full check sees it
    assert not I.last_check(closed).passed
    assert "FAILED" in I.describe(closed)


def test_a_cancelled_check_records_nothing(closed):
    with pytest.raises(I.CheckCancelled):
        I.full_check(closed, cancelled=lambda: True)
    with Store.open(closed) as s:  # enough pages that the check is stopped half-way
        with s.transaction():
            s.add_records([Producer(f"Finca {i}", ProducerKind.FARM, "CO") for i in range(5000)])
    asked = []
    with pytest.raises(I.CheckCancelled):
        I.full_check(closed, cancelled=lambda: asked.append(1) or len(asked) > 1)
    assert len(asked) == 2 and I.last_check(closed) is None


def test_when_a_full_check_is_due(closed):
    now = datetime.now(UTC)
    assert I.due(closed, unclean=True) == I.UNCLEAN
    assert I.due(closed, unclean=False) == I.NEVER
    I.full_check(closed)
    assert I.due(closed, unclean=False) is None
    assert I.due(closed, unclean=False, now=now + timedelta(days=8)) == I.WEEKLY
    I.record_path(closed).write_text("not json")
    assert I.due(closed, unclean=False) == I.NEVER  # an unreadable record proves nothing


def _killed_while_writing(db) -> None:
    code = ("import os, signal, sys; from roasterdesk.store import Store; "
            "from roasterdesk.domain.model import Producer, ProducerKind; "
            "s = Store.open(sys.argv[1]); s.save_producer(Producer('Finca K', "
            "ProducerKind.FARM, 'CO')); os.kill(os.getpid(), signal.SIGKILL)")
    done = subprocess.run([sys.executable, "-c", code, str(db)], env=ENV, timeout=120)
    assert done.returncode == -signal.SIGKILL


def test_an_unclean_close_is_seen_before_the_open(closed, qapp, tmp_path):
    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.settings import Settings

    assert not I.closed_uncleanly(closed)
    _killed_while_writing(closed)
    assert I.closed_uncleanly(closed)
    ctx = AppContext.create(closed, settings=Settings(tmp_path / "s.ini"))
    try:
        assert ctx.unclean_close and ctx.store.producers("name = 'Finca K'")
    finally:
        ctx.close()


@pytest.mark.gui
def test_the_window_checks_after_an_unclean_close_and_shows_the_pass(qtbot, closed, tmp_path,
                                                                   monkeypatch):
    from roasterdesk.ui.app import start
    from roasterdesk.ui.main_window import MainWindow
    from roasterdesk.ui.settings import Settings

    _killed_while_writing(closed)
    monkeypatch.setattr(MainWindow, "CHECK_AFTER_UNCLEAN_MS", 10)
    w = start(argparse.Namespace(db=closed, demo=False), settings=Settings(tmp_path / "s.ini"))
    qtbot.addWidget(w)
    assert w.status_check.text() == "full check: not run yet"
    w.show()
    qtbot.waitUntil(lambda: I.last_check(closed) is not None, timeout=15000)
    qtbot.waitUntil(lambda: "passed today" in w.status_check.text(), timeout=5000)
    assert not w.ctx.unclean_close and not w.ctx.damaged
    w.close()
    w.ctx.close()


@pytest.mark.gui
def test_the_window_reports_damage_the_full_check_finds(qtbot, closed, tmp_path, monkeypatch):
    from roasterdesk.ui.app import start
    from roasterdesk.ui.main_window import MainWindow
    from roasterdesk.ui.settings import Settings

    w = start(argparse.Namespace(db=closed, demo=False), settings=Settings(tmp_path / "s.ini"))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: not w.ctx.unchecked, timeout=10000)
    w.ctx.tasks.wait()
    _damage_an_index_only(closed)
    I.record_path(closed).unlink()
    found = []
    monkeypatch.setattr(MainWindow, "database_damaged", lambda self, ctx, err: found.append(err))
    w.act_full_check.trigger()  # File ▸ Check the database now
    qtbot.waitUntil(lambda: bool(found), timeout=15000)
    assert "full check" in str(found[0]) and w.ctx.damaged
    assert "FAILED" in w.status_check.text()
    w.ctx.damaged = False  # let the window close normally
    w.close()
    w.ctx.close()


def test_info_runs_the_full_check_and_says_when_it_passed(closed):
    def info(*extra):
        return subprocess.run([sys.executable, "-m", "roasterdesk", "--db", str(closed), "info",
                               *extra], capture_output=True, text=True, env=ENV, timeout=120)

    assert "full check: not run yet" in info().stdout
    done = info("--full-check", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["full_check"]["passed"] is True
    _damage_an_index_only(closed)
    bad = info("--full-check")
    assert bad.returncode == 2 and "full check" in bad.stderr and "Traceback" not in bad.stderr
