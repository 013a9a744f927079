"""What the services and the store do to the user's files is logged (the app writes the log
file a buyer can send): schema steps, backups, restores, imports, encryption and start-up
recovery each leave a record under their module's logger."""

from __future__ import annotations

import logging
from pathlib import Path

from roasterdesk.services import backup as B
from roasterdesk.services import importing as I
from roasterdesk.services.recovery import recover_at_start
from roasterdesk.store import Store

FIX = Path(__file__).parent.parent / "fixtures" / "imports"


def records(caplog, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger]


def test_schema_steps_backup_restore_and_import_are_logged(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="roasterdesk")
    db = tmp_path / "log.sqlite"
    store = Store.open(db)
    try:
        (opened,) = records(caplog, "roasterdesk.store.db")
        assert str(db) in opened and "m001_core" in opened and "m007_import_facts" in opened

        p = I.plan_import(store, I.read_source(FIX / "producers_latin1.csv", "producers"),
                          "producers")
        result = I.commit_import(store, p)
        (imported,) = records(caplog, "roasterdesk.services.importing")
        assert str(result) in imported and "producers_latin1.csv" in imported
        assert result.created > 0
    finally:
        store.close()

    info = B.create_backup(db, reason=B.MANUAL)
    (made,) = records(caplog, "roasterdesk.store.backup")
    assert str(info.path) in made and f"{info.records} records" in made

    B.restore_backup(info.path, db)
    (restored,) = records(caplog, "roasterdesk.services.restore")
    assert str(db) in restored and str(info.path) in restored


def test_what_start_up_recovery_finds_is_logged(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="roasterdesk")
    db = tmp_path / "r.sqlite"
    Store.open(db).close()
    build = db.with_name(f".{db.name}.demo-build")
    build.write_bytes(b"")
    (message,) = recover_at_start(db)
    (logged,) = records(caplog, "roasterdesk.services.recovery")
    assert message in logged and str(db) in logged
