"""Start-up opens the database without its quick_check and runs it once the window is shown:
a damaged file is still found, named, and recovered from the newest verified backup."""

from __future__ import annotations

import argparse

import pytest
from PySide6.QtWidgets import QMessageBox

from roasterdesk.services import backup as B
from roasterdesk.store import Store
from roasterdesk.store.db import is_checked
from roasterdesk.store.errors import DamagedDatabaseError

from .conftest import fill
from .test_open_safety import _damage_middle_page

pytestmark = pytest.mark.gui


@pytest.fixture
def settings(tmp_path):
    from roasterdesk.ui.settings import Settings

    return Settings(tmp_path / "s.ini")


def _start(db, settings):
    from roasterdesk.ui.app import start

    return start(argparse.Namespace(db=db, demo=False), settings=settings)


def test_a_healthy_database_is_checked_in_the_background_after_the_window_shows(
        qtbot, filled, settings):
    db, counts = filled
    w = _start(db, settings)
    qtbot.addWidget(w)
    assert w.ctx.unchecked  # opened without reading the whole file
    assert w.ctx.store.counts() == counts
    w.show()
    qtbot.waitUntil(lambda: not w.ctx.unchecked, timeout=10000)
    assert is_checked(db) and not w.ctx.damaged
    w.ctx.close()


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen plugin, for the progress dialog
def test_damage_found_after_start_up_offers_the_newest_verified_backup(
        qtbot, filled, settings, monkeypatch):
    db, counts = filled
    B.create_backup(db)
    _damage_middle_page(db)
    asked = []

    def answer(parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    w = _start(db, settings)  # opens: the check is left for later
    qtbot.addWidget(w)
    first = w.ctx
    w.show()
    qtbot.waitUntil(lambda: w.ctx is not first, timeout=10000)
    assert asked and "is damaged" in asked[0] and "newest verified backup" in asked[0]
    assert w.ctx.store.counts() == counts  # the backup, reopened in the same window
    assert any(".damaged-" in p.name for p in db.parent.iterdir())  # the damaged file is kept
    assert first.damaged and not w.ctx.damaged
    w.ctx.close()
    with Store.open(db) as s:  # and what is there now passes the full check at open
        assert s.counts() == counts


def test_commands_still_refuse_a_damaged_file_at_open(filled):
    db, _ = filled
    _damage_middle_page(db)
    with pytest.raises(DamagedDatabaseError):
        Store.open(db)


def test_a_store_reads_without_sqlite_utils_and_writes_through_it(db_path):
    """An up-to-date database opens on a plain connection; sqlite-utils is built on it only
    for its own API, and a write through either lands in the same file."""
    with Store.open(db_path) as s:
        pass
    with Store.open(db_path) as s:
        assert s.db._db is None  # reading needed no sqlite-utils Database
        assert s.db["meta"].exists()  # its API, on the same connection
        assert s.db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1  # as sqlite-utils
        s.db.table("meta").upsert({"key": "note", "value": "kept"}, pk="key")
        assert s.db._db is not None
        with s.transaction() as db:
            db.execute("UPDATE meta SET value = 'kept twice' WHERE key = 'note'")
    with Store.open(db_path) as s:
        assert s.db.execute("SELECT value FROM meta WHERE key = 'note'").fetchone()[0] \
            == "kept twice"


def test_an_encrypted_database_is_checked_at_open_and_not_again(qtbot, tmp_path, settings,
                                                                monkeypatch):
    pytest.importorskip("sqlcipher3", reason="the optional 'encryption' extra is not installed")
    from roasterdesk.store import cipher

    path, key = tmp_path / "secret.sqlite", bytes(range(32))
    with Store.open(path, key=key) as s:
        fill(s, 1)
    cipher.remember_key(path, key)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: pytest.fail("a healthy file was called damaged"))
    w = _start(path, settings)
    qtbot.addWidget(w)
    assert not w.ctx.unchecked  # SQLCipher checked it at open; a plain quick_check cannot read it
    w.show()
    qtbot.wait(300)
    assert not w.ctx.damaged and w.ctx.store.counts()["producers"] >= 1
    w.close()
    w.ctx.close()
