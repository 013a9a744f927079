"""Start-up: the real command paints its window before the heavy parts load, background work
waits for that first paint, and the app's own options parse without the command modules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest

from roasterdesk import cli
from roasterdesk.store import Store
from roasterdesk.ui.errors import rotate_log
from roasterdesk.ui.main_window import MainWindow
from roasterdesk.ui.tasks import Cancelled, TaskManager

from .conftest import args
from .sample_data import build

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

# What the first paint must not wait for: the repository facade with the domain model, the
# impact statement, the import/export code, backups, the command modules, and the border
# data with the geometry libraries (shapely, pyproj).
NOT_AT_FIRST_PAINT = ("roasterdesk.store.store", "roasterdesk.domain.model",
                      "roasterdesk.domain.pricing", "roasterdesk.pdf", "roasterdesk.services.demo",
                      "roasterdesk.services.importing", "roasterdesk.services.backup",
                      "roasterdesk.commands.info", "roasterdesk.ui.views.lots",
                      "roasterdesk.services.borders", "shapely", "pyproj")


def _probe(db: Path, home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "ROASTERDESK_DB"}
    env.update(QT_QPA_PLATFORM="offscreen", ROASTERDESK_STARTUP_PROBE="1",
               XDG_CONFIG_HOME=str(home / "config"), XDG_STATE_HOME=str(home / "state"),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    out = subprocess.run([sys.executable, "-m", "roasterdesk", "--db", str(db)],
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.splitlines()[0])


def test_the_real_command_paints_its_window_before_loading_the_heavy_parts(tmp_path):
    db = tmp_path / "roaster.sqlite"
    with Store.open(db) as store:
        build(store)
    report = _probe(db, tmp_path)
    marks = report["marks_ms"]
    assert list(marks) == ["command_line", "imports", "qt", "built", "painted"]
    assert list(marks.values()) == sorted(marks.values())
    assert report["inside_ms"] == marks["painted"] and report["rss_mb"] > 0
    loaded = set(report["modules"])
    assert {"roasterdesk.ui.main_window", "roasterdesk.ui.views.overview"} <= loaded
    assert not [m for m in NOT_AT_FIRST_PAINT if m in loaded]
    log = (tmp_path / "state" / "RoasterDesk" / "log" / "roasterdesk.log").read_text()
    assert "window ready" in log  # every start says how long it took, for a slow laptop


def test_the_apps_own_options_are_read_without_argparse_or_the_command_modules():
    assert cli.app_options([]) == SimpleNamespace(demo=False)
    assert cli.app_options(["--db", "x.sqlite", "--demo"]) == SimpleNamespace(
        demo=True, db=Path("x.sqlite"))
    assert cli.app_options(["--db=x.sqlite"]).db == Path("x.sqlite")
    for argv in (["info"], ["--db", "x", "info"], ["--version"], ["-h"], ["--db"], ["--db="],
                 ["--db", "--demo"], ["--dbx"], ["x.sqlite"]):
        assert cli.app_options(argv) is None, argv
    full = cli.build_parser().parse_args(["--db", "x.sqlite", "info"])
    assert full.command == "info" and full.run is not None and full.db == Path("x.sqlite")


def test_held_tasks_start_on_release_and_cancelled_ones_never_run(qtbot):
    tm = TaskManager()
    tm.hold()
    ran, done, errors = [], [], []
    kept = tm.run(lambda p, c: ran.append("kept") or "result", on_done=done.append)
    dropped = tm.run(lambda p, c: ran.append("dropped"), on_error=errors.append)
    dropped.cancel()
    qtbot.wait(50)
    assert ran == [] and tm.running == 2  # held: nothing started yet
    tm.release()
    qtbot.waitUntil(lambda: done == ["result"] and len(errors) == 1, timeout=5000)
    assert ran == ["kept"] and isinstance(errors[0], Cancelled) and not kept.is_cancelled()
    assert tm.running == 0
    gui = threading.get_ident()
    after = []
    tm.run(lambda p, c: threading.get_ident(), on_done=after.append)  # no longer held
    qtbot.waitUntil(lambda: bool(after), timeout=5000)
    assert after[0] != gui


def test_the_window_releases_start_up_work_after_its_first_paint(qtbot, tmp_path, settings):
    from roasterdesk.ui.app import start

    db = tmp_path / "r.sqlite"
    with Store.open(db) as store:
        build(store)
    w = start(args(db=db), settings=settings)
    qtbot.addWidget(w)
    assert w.ctx.tasks._held is not None and w.auto_backup is None  # waiting for the paint
    overview = w.page("overview")
    assert overview.loading and "producers" not in overview.summary.text()
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: not overview.loading and not w.ctx.unchecked, timeout=10000)
    assert w.ctx.tasks._held is None and w.auto_backup is not None
    assert "producers" in overview.summary.text()
    w.ctx.close()


def test_a_window_never_shown_still_runs_its_work(qtbot, ctx):
    ctx.tasks.hold()
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    done = []
    ctx.tasks.run(lambda p, c: "ok", on_done=done.append)
    qtbot.waitUntil(lambda: done == ["ok"], timeout=5000)  # released after two seconds
    assert w.auto_backup is not None


def test_a_big_log_is_rotated_at_start_and_three_old_ones_are_kept(tmp_path):
    log = tmp_path / "roasterdesk.log"
    for n in range(6):
        log.write_text(f"run {n}\n" + "x" * 50)
        rotate_log(log, max_bytes=40, keep=3)
    assert not log.exists()
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept == ["roasterdesk.log.1", "roasterdesk.log.2", "roasterdesk.log.3"]
    assert (tmp_path / "roasterdesk.log.1").read_text().startswith("run 5")
    assert (tmp_path / "roasterdesk.log.3").read_text().startswith("run 3")
    log.write_text("small")
    rotate_log(log, max_bytes=40, keep=3)
    assert log.read_text() == "small"


def test_a_closed_context_delivers_no_late_results(qtbot):
    tm = TaskManager()
    release = threading.Event()
    delivered = []
    tm.run(lambda p, c: release.wait(5) and "late", on_done=delivered.append,
           on_error=delivered.append)
    threading.Timer(0.05, release.set).start()
    tm.shut_down()  # cancels, waits for the worker, and drops what it would deliver
    qtbot.wait(50)
    assert delivered == [] and tm.pool.activeThreadCount() == 0


@pytest.mark.parametrize("state", [None, "", "  ", "/tmp/some state"])
def test_the_log_folder_is_where_platformdirs_puts_it(monkeypatch, state):
    from platformdirs import user_log_path

    from roasterdesk.ui.errors import log_dir

    if state is None:
        monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_STATE_HOME", state)
    assert log_dir() == user_log_path("RoasterDesk", appauthor=False)


def test_the_window_computes_figures_a_schema_step_left_pending(qapp, qtbot, ctx):
    """A file opened by the window after a schema step marked its figures (rules that changed)
    gets them computed on a worker once the window is up, once; the lists are told."""
    from roasterdesk.services.parallel_figures import mark_pending
    from roasterdesk.ui.safety import pending_figures_in_background

    lots = ctx.store.db.execute("SELECT count(*) FROM lots").fetchone()[0]
    assert lots > 0
    with ctx.store.transaction():
        ctx.store.db.execute("UPDATE lot_metrics SET fob_usd_lb = NULL")  # stale, as before
        mark_pending(ctx.store, None)
    with qtbot.waitSignal(ctx.messages.data_changed, timeout=20000):
        pending_figures_in_background(ctx)
    assert ctx.store.db.execute("SELECT count(*) FROM lot_metrics WHERE fob_usd_lb IS NOT NULL"
                                ).fetchone()[0] > 0
    assert ctx.store.db.execute("SELECT count(*) FROM sync_state WHERE key = 'metrics_dirty'"
                                ).fetchone()[0] == 0
