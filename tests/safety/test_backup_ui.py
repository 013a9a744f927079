"""The app's backup dialogs: Back up now, the Restore dialog, automatic backups, recovery."""

from __future__ import annotations

import pytest

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import backup as B
from roasterdesk.store import Store
from roasterdesk.store.errors import DamagedDatabaseError

from .test_open_safety import _damage_middle_page

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def ctx(qapp, filled, tmp_path):
    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.settings import Settings

    db, _ = filled
    c = AppContext.create(db, settings=Settings(tmp_path / "s.ini"))
    yield c
    c.close()


def test_back_up_now_runs_in_the_background_and_says_where(qtbot, ctx):
    from roasterdesk.ui.dialogs.backup import backup_now

    with qtbot.waitSignal(ctx.messages.info, timeout=20000) as said:
        backup_now(ctx, None)
    (info,) = B.list_backups(B.default_backup_dir(ctx.db_path))
    assert "Backup verified and saved" in said.args[0] and info.path.name in said.args[0]
    assert info.reason == B.MANUAL


def test_restore_dialog_lists_backups_and_restores_the_chosen_one(qtbot, ctx, filled, tmp_path):
    from roasterdesk.ui.dialogs.backup import RestoreDialog

    _, counts = filled
    B.create_backup(ctx.db_path)
    ctx.store.save_producer(Producer("Added after the backup", ProducerKind.FARM, "ET"))
    B.create_backup(ctx.db_path, reason=B.AUTO)
    dlg = RestoreDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.table.rowCount() == 2
    newest, older = dlg.backups
    assert dlg.table.item(0, 0).text() == f"{newest.local_time:%Y-%m-%d %H:%M}"
    assert dlg.table.item(0, 1).text() == "auto"
    assert dlg.table.item(1, 2).text() == f"{older.records:,}"
    dlg.grab().save(str(tmp_path / "restore-dialog.png"))
    dlg.table.selectRow(1)
    dlg.confirm = lambda info: True
    with qtbot.waitSignal(ctx.messages.info, timeout=20000) as said:
        dlg.restore_button.click()
    assert "Restored the backup" in said.args[0] and "kept as" in said.args[0]
    assert ctx.store.counts() == counts  # the reopened store sees the restored file
    assert dlg.restored.moved_aside.exists()


def test_automatic_backup_only_after_changes_and_on_close(qtbot, ctx):
    from roasterdesk.ui.dialogs.backup import AutoBackup

    auto = AutoBackup(ctx, check_ms=60_000)
    assert not auto.dirty and not auto.due()
    assert auto.on_close() is None  # nothing changed: no backup
    auto = AutoBackup(ctx, check_ms=60_000)
    ctx.store.save_producer(Producer("Finca Nueva", ProducerKind.FARM, "PE"))
    assert auto.due()
    with qtbot.waitSignal(ctx.messages.info, timeout=20000):
        auto.maybe_backup()
    assert not auto.dirty and not auto.due()  # and not again within the interval
    ctx.store.save_producer(Producer("Finca Otra", ProducerKind.FARM, "PE"))
    assert auto.dirty and not auto.due()
    info = auto.on_close()
    assert info is not None and info.counts["producers"] == ctx.store.counts()["producers"]
    autos = [b for b in B.list_backups(B.default_backup_dir(ctx.db_path)) if b.reason == B.AUTO]
    assert len(autos) == 2


def test_a_damaged_database_is_moved_aside_and_the_backup_restored(qtbot, filled):
    from roasterdesk.ui.dialogs.backup import offer_recovery

    db, counts = filled
    B.create_backup(db)
    _damage_middle_page(db)
    with pytest.raises(DamagedDatabaseError) as err:
        Store.open(db)
    asked = []
    assert offer_recovery(None, db, err.value, ask=lambda q: asked.append(q) or True)
    assert "newest verified backup" in asked[0]
    assert any(".damaged-" in p.name for p in db.parent.iterdir())
    with Store.open(db) as s:
        assert s.counts() == counts


def test_closing_the_main_window_after_a_change_leaves_a_verified_backup(qtbot, ctx):
    from roasterdesk.ui.main_window import MainWindow

    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.show()
    ctx.store.save_producer(Producer("Finca Cierre", ProducerKind.FARM, "BO"))
    w.close()
    (info,) = B.list_backups(B.default_backup_dir(ctx.db_path))
    assert info.reason == B.AUTO and info.counts["producers"] == ctx.store.counts()["producers"]
    B.verify_backup(info.path)
