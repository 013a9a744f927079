"""The application shell: start-up, overview, menus, databases, background tasks, errors,
and the screenshots command."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMainWindow

from roasterdesk.cli import main as cli_main
from roasterdesk.store import Store
from roasterdesk.ui.app import DEMO, EMPTY, choose_db, start
from roasterdesk.ui.context import AppContext
from roasterdesk.ui.errors import CrashDialog, ErrorHandler, setup_logging
from roasterdesk.ui.main_window import PAGES, MainWindow
from roasterdesk.ui.tasks import TaskManager

from .conftest import args
from .sample_data import build

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def card_texts(card):
    return card.texts()


def test_overview_lists_an_expiring_certification_and_an_overdue_follow_up(window, qtbot,
                                                                           sample):
    page = window.show_page("overview")
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)  # lists that read many lots
    certs = card_texts(page.certs)
    assert len(certs) == 1
    assert "Cooperativa Los Andes — Fairtrade FLO-1234 expires in 30 days" in certs[0]
    follow = card_texts(page.follow_ups)
    assert len(follow) == 1 and "Send quote for solar dryer" in follow[0]
    assert "overdue by 5 days" in follow[0]
    risks = card_texts(page.commitments)
    assert any(t.startswith("● Chelchele Washing Station") and "1,200 of 6,000 kg" in t
               for t in risks)
    gaps = card_texts(page.lots)
    assert any("ET-" in t and "missing: FOB price paid" in t for t in gaps)
    # each item opens its record
    page.certs.list.itemClicked.emit(page.certs.list.item(0))
    assert window.current_key() == "producer"
    assert window.page("producer").detail.producer_id == sample.coop.id
    window.show_page("overview")
    page.follow_ups.list.itemClicked.emit(page.follow_ups.list.item(0))
    assert window.current_key() == "visit"


def test_overview_says_when_nothing_needs_attention(qtbot, tmp_path, settings):
    from roasterdesk.ui.views.overview import OverviewPage

    ctx = AppContext.create(tmp_path / "empty.sqlite", settings=settings)
    try:
        page = OverviewPage(ctx)
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: not page.loading, timeout=5000)
        assert card_texts(page.certs) == ["No certificate ends in the next 90 days."]
        assert page.certs.count.text() == "0"
        assert card_texts(page.lots) == ["Every recent lot has the data its statement needs."]
        assert card_texts(page.eudr) == [
            "Every lot of this and last harvest is ready for its DDS."]
    finally:
        ctx.close()


def test_every_page_opens_from_the_sidebar_and_shortcuts(window, qtbot):
    for n, (key, label, _m, _c) in enumerate(PAGES, 1):
        qtbot.keySequence(window, f"Ctrl+{n}")
        assert window.current_key() == key
        page = window.stack.currentWidget()
        assert hasattr(page, "refresh") and hasattr(page, "open_record"), label
    assert window.status_path.text() == f"Database: {window.ctx.db_path}"


def test_ctrl_f_finds_producers(window, qtbot):
    window.show_page("overview")
    qtbot.keySequence(window, "Ctrl+F")
    page = window.page("producer")
    assert window.current_key() == "producer"
    assert page.list.search.hasFocus() or page.list.search.isVisible()


def test_commitments_page_shows_state_computed_in_the_background(window, qtbot, sample):
    page = window.show_page("commitment")
    qtbot.waitUntil(lambda: all(r.result is not None for r in page.commitments.records),
                    timeout=5000)
    states = {r.producer: page.commitments.index(i, 2).data()
              for i, r in enumerate(page.commitments.records)}
    assert states == {"Chelchele Washing Station": "in progress",
                      "Cooperativa Los Andes": "in progress"}
    assert page.projects.rowCount() == 1
    window.open_record("project", page.projects.record(0)[0].id)
    assert page.p_view.selectionModel().selectedRows()[0].row() == 0


def test_table_models_pass_the_model_tester(window, qtmodeltester, sample):
    page = window.show_page("commitment")
    window.ctx.tasks.wait()
    qtmodeltester.check(page.commitments)
    qtmodeltester.check(page.projects)
    producers = window.show_page("producer")
    producers.open_record(sample.coop.id)
    for tab in ("People", "Plots", "Certifications", "Visits", "Lots", "Commitments",
                "Projects"):
        producers.detail.tabs.setCurrentIndex(producers.detail.TABS.index(tab))
        qtmodeltester.check(producers.detail.tab(tab).model)


def test_switching_database_remembers_recent_files(window, qtbot, tmp_path, settings):
    other = tmp_path / "office.sqlite"
    with Store.open(other) as s:
        build(s)
    first = window.ctx.db_path
    settings.add_recent(first)
    assert window.switch_database(other)
    assert window.ctx.db_path == other
    assert window.status_path.text() == f"Database: {other}"
    assert settings.recent_dbs[:2] == [other.resolve(), Path(first).resolve()]
    assert settings.last_db == other.resolve()
    window._fill_recent()
    assert [a.text() for a in window.recent_menu.actions()][0] == str(Path(first).resolve())


def test_a_file_that_is_not_a_database_is_refused_and_the_current_stays_open(window, tmp_path):
    bad = tmp_path / "notes.sqlite"
    bad.write_text("shopping list: green coffee")
    current = window.ctx.db_path
    assert not window.switch_database(bad)
    assert window.ctx.db_path == current
    assert "is not a RoasterDesk database" in window.last_message


def test_first_start_on_an_empty_database_offers_the_demo(qtbot, tmp_path, settings):
    empty = tmp_path / "new.sqlite"
    asked = []
    w = start(args(db=empty), settings=settings,
              ask=lambda parent, path: asked.append(path) or EMPTY,
              make_demo=lambda parent: pytest.fail("no demo was asked for"))
    assert asked == [empty]
    assert w.ctx.db_path == empty and w.ctx.store.is_empty()
    w.ctx.close()
    w.deleteLater()
    w = start(args(db=empty), settings=settings,  # "Start empty" is not asked again
              ask=lambda parent, path: pytest.fail("asked twice"), make_demo=None)
    w.ctx.close()
    w.deleteLater()

    demo = tmp_path / "demo.sqlite"
    with Store.open(demo) as s:
        build(s)
    w = start(args(db=tmp_path / "other.sqlite"), settings=settings,
              ask=lambda parent, path: DEMO, make_demo=lambda parent: demo)
    assert w.ctx.db_path == demo
    assert not w.ctx.store.is_empty()
    assert settings.last_db == demo.resolve()
    w.ctx.close()
    w.deleteLater()


def test_the_last_database_is_reopened_unless_one_is_named(tmp_path, settings, monkeypatch):
    monkeypatch.delenv("ROASTERDESK_DB", raising=False)
    last = tmp_path / "last.sqlite"
    last.touch()
    settings.last_db = last
    assert choose_db(args(), settings) == last
    assert choose_db(args(db=tmp_path / "x.sqlite"), settings) == tmp_path / "x.sqlite"
    monkeypatch.setenv("ROASTERDESK_DB", str(tmp_path / "env.sqlite"))
    assert choose_db(args(), settings) == tmp_path / "env.sqlite"


def test_window_geometry_is_remembered(qtbot, ctx, settings):
    w = MainWindow(ctx)
    w.resize(1111, 777)
    w.show()
    w.show_page("lot")
    qtbot.waitExposed(w)
    size = w.size()
    w.close()
    assert settings.geometry is not None
    w2 = MainWindow(ctx)
    # the offscreen screen is small, so Qt clamps the restored size; compare with a bare
    # window restored from the same bytes, and with the size a first start would get
    probe = QMainWindow()
    probe.setMinimumSize(w2.minimumSize())
    probe.restoreGeometry(settings.geometry)
    assert w2.size() == probe.size()
    assert w2.size() != QSize(1280, 800)
    assert size.width() == 1111
    assert w2.current_key() == "lot"
    w2.deleteLater()
    w.deleteLater()


def test_background_tasks_report_progress_and_results_on_the_gui_thread(qtbot):
    tm = TaskManager()
    seen = {"progress": [], "thread": None}
    tm.status.connect(lambda t: seen["progress"].append(t))
    gui = threading.get_ident()

    def work(progress, cancelled):
        for i in range(1, 4):
            progress(i, 3)
        return threading.get_ident()

    results = []
    tm.run(work, on_done=lambda r: results.append((r, threading.get_ident())), label="Work")
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    worker, delivered_on = results[0]
    assert worker != gui and delivered_on == gui
    assert any(t.startswith("Work") for t in seen["progress"])
    assert tm.running == 0


def test_background_tasks_can_be_cancelled_and_report_errors(qtbot):
    tm = TaskManager()
    started = threading.Event()
    outcome = []

    def slow(progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        return "stopped"

    task = tm.run(slow, on_done=outcome.append)
    started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: outcome == ["stopped"], timeout=5000)

    errors = []
    tm.run(lambda p, c: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert isinstance(errors[0], ZeroDivisionError)


def test_bugs_open_the_crash_dialog_with_traceback_and_log_path(qtbot, tmp_path, monkeypatch):
    log = setup_logging(tmp_path / "logs")
    shown = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    handler = ErrorHandler()

    def broken_calculation():
        raise RuntimeError("premium went negative")

    try:
        broken_calculation()
    except RuntimeError as exc:
        handler.show(exc)
    (dlg,) = shown
    assert "broken_calculation" in dlg.traceback_text
    assert "premium went negative" in dlg.traceback_text
    assert str(log) in dlg.findChild(QLabel, "logPath").text()
    for h in logging.getLogger().handlers:
        h.flush()
    assert "premium went negative" in log.read_text()


@pytest.mark.slow
def test_screenshots_command_writes_a_png_per_page(qapp, db_path, sample, store, tmp_path,
                                                    capsys):
    out = tmp_path / "shots"
    assert cli_main(["screenshots", "--db", str(db_path), "--out-dir", str(out),
                     "--width", "1000", "--height", "700"]) == 0
    names = sorted(p.name for p in out.glob("*.png"))
    assert names == sorted([
        "01-overview.png", "02-producers.png",
        *[f"03-producer-{n}-{t}.png" for n, t in enumerate(
            ["profile", "members", "people", "plots", "certifications", "visits", "lots",
             "commitments", "projects", "history"], 1)],
        "03-producer-new.png", "03-producer-plot-dialog.png",
        "04-visits.png", "05-visit-editor.png", "06-lots.png", "07-lot-editor.png",
        "08-commitments.png", "09-map.png"])
    img = QImage(str(out / "01-overview.png"))
    assert (img.width(), img.height()) == (1000, 700)
    assert len(capsys.readouterr().out.splitlines()) == len(names)


@pytest.mark.slow
def test_screenshots_at_both_reference_sizes(db_path, sample, store, tmp_path):
    """--both: 1280×800, and 1920×1080 at a device pixel ratio of 2 (twice the pixels)."""
    import subprocess
    import sys

    store.close()
    out = tmp_path / "shots"
    done = subprocess.run([sys.executable, "-m", "roasterdesk", "screenshots", "--db",
                           str(db_path), "--out-dir", str(out), "--both"],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    for folder, size in (("1280x800", (1280, 800)), ("1920x1080@2x", (3840, 2160))):
        for name in ("01-overview.png", "09-map.png", "03-producer-new.png"):
            img = QImage(str(out / folder / name))
            assert (img.width(), img.height()) == size, (folder, name)


def test_screenshots_command_refuses_a_missing_database(tmp_path, capsys):
    assert cli_main(["screenshots", "--db", str(tmp_path / "none.sqlite"),
                     "--out-dir", str(tmp_path)]) == 2
    assert "no such database" in capsys.readouterr().err


def test_missing_parts_of_the_app_show_a_placeholder(qtbot, ctx, monkeypatch):
    import roasterdesk.ui.main_window as mw

    pages = [p if p[0] != "visit" else ("visit", "Visits", "roasterdesk.ui.views.nowhere",
                                        "VisitsPage") for p in mw.PAGES]
    monkeypatch.setattr(mw, "PAGES", pages)
    assert mw.optional("roasterdesk.ui.dialogs.nowhere", "Thing") is None
    w = MainWindow(ctx)
    page = w.show_page("visit")
    assert isinstance(page, mw.Placeholder)
    w.open_record("visit", 1)  # does nothing, breaks nothing
    w.deleteLater()


def test_the_demo_database_is_built_off_the_gui_thread(qtbot, tmp_path, monkeypatch):
    import roasterdesk.services.demo as demo
    from roasterdesk.ui.app import build_demo_database

    target = tmp_path / "demo" / "roasterdesk-demo.sqlite"
    monkeypatch.setattr(demo, "demo_db_path", lambda: target)
    gui = threading.get_ident()
    threads = []
    real = demo.ensure_demo

    def spy(*a, **k):
        threads.append(threading.get_ident())
        return real(*a, **k)

    monkeypatch.setattr(demo, "ensure_demo", spy)
    assert build_demo_database(None) == target
    assert threads and threads[0] != gui
    with Store.open(target, create=False) as s:
        assert s.counts()["lots"] > 0


def test_file_menu_actions_reach_the_other_dialogs(window, sample, monkeypatch):
    import roasterdesk.ui.dialogs.statement as st

    opened = []
    monkeypatch.setattr(st, "show_statement_preview",
                        lambda ctx, lot_id, parent: opened.append(lot_id))
    window.open_record("lot", sample.lot_ids[2])
    assert window.act_statement.isEnabled()
    window.act_statement.trigger()
    assert opened == [sample.lot_ids[2]]
    window.show_page("overview")
    window.act_statement.trigger()  # not on a lot: says what to do instead
    assert opened == [sample.lot_ids[2]]
    assert "Open a lot first" in window.last_message


def test_menu_parts_are_found_without_importing_them():
    from roasterdesk.ui.main_window import available

    assert available("roasterdesk.ui.dialogs.backup")
    assert not available("roasterdesk.ui.dialogs.nowhere")
    assert not available("roasterdesk.nowhere.at_all")


def test_a_statement_preview_closed_while_it_renders_lets_its_result_go(qtbot, ctx, sample):
    """Closing the preview before its PDF came back raised "Internal C++ object
    (StatementPreview) already deleted" when the result arrived: a task's callback on a
    deleted widget is not called."""
    import shiboken6

    from roasterdesk.ui.dialogs.statement import show_statement_preview

    dlg = show_statement_preview(ctx, sample.lot_ids[2])
    assert dlg.status.text() == "Rendering…"
    dlg.close()  # deleted on close
    qtbot.waitUntil(lambda: not shiboken6.isValid(dlg), timeout=5000)
    ctx.tasks.wait()
    qtbot.wait(50)  # the task's queued result is delivered (and let go) without an error
    assert not shiboken6.isValid(dlg)


def test_the_preview_of_an_offer_is_shown_but_never_exported(qtbot, ctx, sample):
    from dataclasses import replace

    from roasterdesk.domain.model import LotStatus
    from roasterdesk.ui.dialogs.statement import show_statement_preview

    lot = ctx.store.lot(sample.lot_ids[2])
    ctx.store.save_lot(replace(lot, status=LotStatus.OFFER))
    dlg = show_statement_preview(ctx, lot.id)
    qtbot.waitUntil(lambda: dlg.status.text() != "Rendering…", timeout=20000)
    assert "recorded as offer, not bought" in dlg.status.text()
    assert not dlg.export_btn.isEnabled()
    dlg.close()
