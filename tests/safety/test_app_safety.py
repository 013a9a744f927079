"""The app's guarded open: one app per database, damaged files recovered, unsafe places warned."""

from __future__ import annotations

import pytest

from roasterdesk.services import backup as B
from roasterdesk.services.lock import AlreadyOpenError, WriterLock
from roasterdesk.store import Store
from roasterdesk.store.errors import DamagedDatabaseError

from .test_open_safety import _damage_middle_page

pytestmark = pytest.mark.gui


@pytest.fixture
def create(tmp_path):
    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.settings import Settings

    return lambda p: AppContext.create(p, settings=Settings(tmp_path / "s.ini"))


def test_a_second_app_on_the_same_database_is_refused_until_the_first_closes(qapp, filled,
                                                                             create):
    from roasterdesk.ui.safety import open_guarded

    db, _ = filled
    first = open_guarded(db, create)
    try:
        with pytest.raises(AlreadyOpenError, match="already open in RoasterDesk on this computer"):
            open_guarded(db, create)
        with pytest.raises(AlreadyOpenError):
            B.restore_backup(B.create_backup(db).path, db)  # headless writes wait their turn
    finally:
        first.close()
    with WriterLock(db):  # closed: the lock is gone
        pass
    from roasterdesk.store.seal import seal_path

    assert seal_path(db).exists()  # closed cleanly: sealed with its checksum


def test_a_damaged_database_is_recovered_when_the_user_agrees(qapp, filled, create):
    from roasterdesk.ui.safety import open_guarded

    db, counts = filled
    B.create_backup(db)
    _damage_middle_page(db)
    with pytest.raises(DamagedDatabaseError):  # declined: nothing is moved
        open_guarded(db, create, ask=lambda q: False)
    assert db.exists() and not any(".damaged-" in p.name for p in db.parent.iterdir())
    ctx = open_guarded(db, create, ask=lambda q: True)
    try:
        assert ctx.store.counts() == counts
    finally:
        ctx.close()


def test_a_database_in_a_cloud_folder_gets_a_warning(qtbot, tmp_path, create):
    from roasterdesk.ui.safety import open_guarded

    folder = tmp_path / "OneDrive - Tostadores"
    folder.mkdir()
    with Store.open(folder / "roasterdesk.sqlite"):
        pass
    ctx = open_guarded(folder / "roasterdesk.sqlite", create)
    try:
        with qtbot.waitSignal(ctx.messages.warning, timeout=2000) as said:
            pass
        assert "inside a OneDrive folder" in said.args[0]
    finally:
        ctx.close()
