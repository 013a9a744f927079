"""The Conflicts page shows both values, who and when, and resolves one; the status bar item."""

from __future__ import annotations

from dataclasses import replace

import pytest

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import sync
from roasterdesk.ui.context import AppContext
from roasterdesk.ui.settings import Settings

from .laptops import Laptop, as_role, make_hub

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


def test_conflicts_page_side_by_side_then_keep_theirs(hub_url, tmp_path, qtbot):
    from roasterdesk.ui.views.conflicts import ConflictsPage

    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    with a.open() as s:
        farm = s.save_producer(Producer("Finca Alta", ProducerKind.FARM, "CO", region="Huila"))
    a.sync()
    b.sync()
    with a.open() as s:
        s.save_producer(replace(s.producer(farm.id), region="Cauca"))
    with b.open() as s:
        pid = s.producers()[0].id
        s.save_producer(replace(s.producer(pid), region="Nariño"))
    a.sync()
    b.sync()
    ctx = AppContext.create(b.path, settings=Settings(tmp_path / "s.ini"))
    try:
        page = ConflictsPage(ctx)
        qtbot.addWidget(page)
        page.resize(900, 300)
        page.refresh()
        cells = [page.table.item(0, c).text() for c in range(page.table.columnCount())]
        assert cells[:5] == ["producer Finca Alta", "region", "Nariño", "Cauca", "ana"]
        assert "1 open conflict" in page.summary.text()
        page.show()
        page.grab().save(str(tmp_path / "conflicts.png"))
        assert sync.status_line(ctx.store).endswith("0 waiting · 1 conflict")
        from roasterdesk.ui.views.producer_detail import ProducerDetail

        detail = ProducerDetail(ctx)  # the record carries a badge until it is resolved
        qtbot.addWidget(detail)
        detail.show_producer(pid)
        assert "sync conflict" in detail.title.text() and "Conflicts page" in \
            detail.title.toolTip()
        assert not page.keep_theirs.isEnabled()
        page.table.selectRow(0)
        page.keep_theirs.click()
        assert page.table.rowCount() == 0 and "No open conflicts" in page.summary.text()
        assert ctx.store.producer(pid).region == "Cauca"
        detail.show_producer(pid)
        assert detail.title.text() == "Finca Alta" and detail.title.toolTip() == ""
    finally:
        ctx.close()


def test_sync_now_runs_in_the_background(hub_url, tmp_path, qtbot):
    from roasterdesk.ui.views.conflicts import ConflictsPage

    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    with a.open() as s:
        s.save_producer(Producer("Finca Alta", ProducerKind.FARM, "CO"))
        sync.remember_hub(s, a.url)
    ctx = AppContext.create(a.path, settings=Settings(tmp_path / "s.ini"))
    try:
        page = ConflictsPage(ctx)
        qtbot.addWidget(page)
        page.refresh()
        seen = []
        ctx.messages.info.connect(seen.append)
        page.start_sync()
        qtbot.waitUntil(lambda: page.sync_now.isEnabled(), timeout=20000)
        assert seen and seen[0].startswith("Synced: pushed 1, pulled 0")
        assert sync.status_line(ctx.store).endswith("0 waiting · 0 conflicts")
    finally:
        ctx.close()


def test_the_window_syncs_on_its_own_every_few_minutes_and_offline_is_no_error(
        hub_url, tmp_path, qtbot):
    """A teammate's new farm arrives without anyone pressing Sync; with the hub gone the status
    bar says offline and no error is shown. A hub that refuses the login (it said "offline"
    every five minutes) is said once, as a warning."""
    from roasterdesk.ui.background_sync import BackgroundSync

    make_hub(hub_url)
    a = Laptop(tmp_path / "a.sqlite", as_role(hub_url, "ana"))
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    a.sync()
    b.sync()
    with a.open() as s:
        s.save_producer(Producer("Finca Nueva", ProducerKind.FARM, "PE"))
    a.sync()
    ctx = AppContext.create(b.path, settings=Settings(tmp_path / "s.ini"))
    errors: list[str] = []
    ctx.messages.error.connect(errors.append)
    rounds: list[str] = []
    try:
        runner = ctx.background_sync = BackgroundSync(ctx, every_ms=100)
        runner.finished.connect(rounds.append)
        qtbot.waitUntil(lambda: bool(rounds), timeout=20000)  # no click: the timer did it
        assert rounds[0] == "" and [p.name for p in ctx.store.producers()] == ["Finca Nueva"]
        with ctx.store.transaction():  # the hub moves away: offline, not an error
            ctx.store.db.execute("UPDATE sync_state SET value = ? WHERE key = 'hub_url'",
                                 ["postgresql:///nohub?host=/nonexistent"])
        n = len(rounds)
        # a round already running when the URL changed may still end "" (one round at a time):
        # wait for a round that began after the change
        qtbot.waitUntil(lambda: "offline" in rounds[n:], timeout=20000)
        assert errors == [] and runner.offline
        # a hub that answers and refuses is not "offline": said once, kept in the status bar
        warnings: list[str] = []
        ctx.messages.warning.connect(warnings.append)
        with ctx.store.transaction():
            ctx.store.db.execute("UPDATE sync_state SET value = ? WHERE key = 'hub_url'",
                                 [as_role(hub_url, "nobody")])
        n = len(rounds)
        qtbot.waitUntil(lambda: rounds[n:].count("refused") >= 2, timeout=20000)
        assert not runner.offline and 'role "nobody" does not exist' in runner.refused
        assert len(warnings) == 1 and warnings[0].startswith(
            "Team sync: the hub refused the connection (role \"nobody\" does not exist)")
        ctx.tasks.wait()
    finally:
        ctx.close()
    assert errors == []


def test_the_status_bar_says_sync_refused_with_why_not_offline(hub_url, tmp_path, qtbot):
    """A wrong login made the status bar say "offline" every round: the hub answered and
    refused. It now says "sync refused" and its tooltip says why."""
    from roasterdesk.ui.main_window import MainWindow

    make_hub(hub_url)
    b = Laptop(tmp_path / "b.sqlite", as_role(hub_url, "ben"))
    b.sync()
    ctx = AppContext.create(b.path, settings=Settings(tmp_path / "s.ini"))
    try:
        with ctx.store.transaction():
            ctx.store.db.execute("UPDATE sync_state SET value = ? WHERE key = 'hub_url'",
                                 [as_role(hub_url, "nobody")])
        w = MainWindow(ctx)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitUntil(lambda: ctx.background_sync is not None, timeout=10000)  # after paint
        assert ctx.background_sync.run(visible=False)
        qtbot.waitUntil(lambda: "sync refused" in w.status_sync.text(), timeout=20000)
        assert "offline" not in w.status_sync.text()
        assert 'role "nobody" does not exist' in w.status_sync.toolTip()
        ctx.tasks.wait()
    finally:
        ctx.close()
