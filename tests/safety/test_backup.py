from __future__ import annotations

import json
import sqlite3
import stat
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest

from roasterdesk.cli import main
from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import backup as B
from roasterdesk.services.lock import AlreadyOpenError, WriterLock
from roasterdesk.store import Store


def test_a_backup_holds_the_database_and_attachments_and_verifies(filled, tmp_path):
    db, counts = filled
    info = B.create_backup(db, tmp_path / "out")
    assert info.path.parent == tmp_path / "out" and info.path.suffix == ".zip"
    assert {t: info.counts[t] for t in counts} == counts
    assert info.attachments == 1 and info.damaged_attachments == ()
    with zipfile.ZipFile(info.path) as zf:
        names = zf.namelist()
    assert names[0] == "database.sqlite" and any(n.startswith("attachments/") for n in names)
    assert [b.path for b in B.list_backups(tmp_path / "out")] == [info.path]
    verified, _ = B.verify_backup(info.path)
    assert verified.counts == info.counts
    assert not list((tmp_path / "out").glob(".backup-*")), "no temporary files left"


def test_restore_of_the_newest_backup_opens_with_equal_counts(filled, tmp_path):
    db, counts = filled
    B.create_backup(db, tmp_path / "out", now=datetime(2025, 1, 1, tzinfo=UTC))
    newest = B.create_backup(db, tmp_path / "out")
    with Store.open(db) as s:  # a change after the backup
        s.save_producer(Producer("Added later", ProducerKind.FARM, "PE"))
    photo = next(B.attachments_dir_for(db).iterdir())
    photo.unlink()

    assert B.newest_verified_backup(db, tmp_path / "out").path == newest.path
    result = B.restore_backup(newest.path, db)

    with Store.open(db) as s:
        assert s.counts() == counts
        assert s.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert photo.exists() and result.attachments_added == 1
    with Store.open(result.moved_aside) as old:  # the replaced database is kept, not deleted
        assert old.counts()["producers"] == counts["producers"] + 1


def test_cli_backup_list_and_restore(filled, tmp_path, capsys):
    db, counts = filled
    assert main(["backup", "--db", str(db), "--out", str(tmp_path / "o")]) == 0
    made = capsys.readouterr().out.splitlines()[0]
    assert main(["backup", "--db", str(db), "--out", str(tmp_path / "o"), "--list"]) == 0
    assert "records" in capsys.readouterr().out
    assert main(["restore", made, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "previous database kept as" in out
    with Store.open(db) as s:
        assert s.counts() == counts


def _forge(path, names, link=None):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("manifest.json", json.dumps({"format": 1}))
        zf.writestr("database.sqlite", b"x")
        for n in names:
            zf.writestr(n, b"evil")
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("names, link, says", [
    (["attachments/../../evil.txt"], None, "out of the folder"),
    (["../evil.txt"], None, "out of the folder"),
    (["/tmp/evil.txt"], None, "absolute path"),
    (["C:/evil.txt"], None, "absolute path"),
    (["attachments\\..\\evil.txt"], None, "absolute path"),
    ([], "attachments/" + "a" * 64, "a link"),
    (["notes.txt"], None, "unexpected entry"),
])
def test_a_hostile_archive_is_refused_before_anything_is_written(filled, tmp_path, names, link,
                                                                 says):
    db, _ = filled
    before = db.read_bytes()
    evil = _forge(tmp_path / "evil.zip", names, link)
    with pytest.raises(B.BackupError, match=says):
        B.restore_backup(evil, db)
    assert db.read_bytes() == before
    assert not list(tmp_path.rglob("evil.txt"))
    assert sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name)) == [
        db.name, db.name + ".lock"]


def test_a_damaged_backup_fails_verification_and_the_older_one_is_offered(filled, tmp_path):
    db, _ = filled
    old = B.create_backup(db, tmp_path / "o", now=datetime(2025, 1, 1, tzinfo=UTC))
    new = B.create_backup(db, tmp_path / "o")
    data = bytearray(new.path.read_bytes())
    data[len(data) // 3] ^= 0xFF  # inside the compressed database
    new.path.write_bytes(bytes(data))
    with pytest.raises(B.BackupError):
        B.verify_backup(new.path)
    assert B.newest_verified_backup(db, tmp_path / "o").path == old.path
    with pytest.raises(B.BackupError):
        B.restore_backup(new.path, db)


def test_restore_is_refused_while_the_database_is_open_elsewhere(filled, tmp_path):
    db, _ = filled
    info = B.create_backup(db, tmp_path / "o")
    with WriterLock(db):
        with pytest.raises(AlreadyOpenError, match="already open in RoasterDesk on this computer"):
            B.restore_backup(info.path, db)


def test_a_backup_of_a_missing_database_is_a_clear_error(tmp_path):
    with pytest.raises(B.BackupError, match="does not exist"):
        B.create_backup(tmp_path / "none.sqlite")
    assert main(["backup", "--db", str(tmp_path / "none.sqlite")]) == 2


def test_a_backup_taken_while_another_connection_writes_is_consistent(filled, tmp_path):
    db, _ = filled
    with Store.open(db) as s:
        s.db.execute("BEGIN IMMEDIATE")
        # not committed yet:
        s.db.execute("INSERT INTO c_prices (month, cents_lb) VALUES ('2025-01', '300')")
        info = B.create_backup(db, tmp_path / "o")
        s.db.execute("COMMIT")
    assert info.counts["c_prices"] == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM c_prices").fetchone()[0] == 1
    conn.close()


# -- rotation ----------------------------------------------------------------------------------
def _days(today, offsets):
    return [(n, today - timedelta(days=n)) for n in offsets]


def test_rotation_keeps_today_and_yesterday_then_one_per_day_week_month():
    today = date(2026, 11, 27)
    backups = _days(today, [0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 10, 11, 17, 40, 41, 75, 400])
    keys = [(f"{n}-{i}", d) for i, (n, d) in enumerate(backups)]
    drop = B.plan_rotation(keys, today, B.RotationPolicy(daily=2, weekly=2, monthly=2))
    kept = [k for k, _ in keys if k not in drop]
    # 2026-11-27 is a Friday. All of today (3) and yesterday (2); the newest of days 2 and 3
    # (daily); day 4 shares their week and month; day 5 (Sunday) opens ISO week 47 and day 17
    # week 46 (weekly); days 40 and 75 are the newest of October and September (monthly).
    assert kept == ["0-0", "0-1", "0-2", "1-3", "1-4", "2-5", "3-7", "5-9", "17-12", "40-13",
                    "75-15"]
    assert "2-6" in drop  # the older of day 2's two backups


def test_rotate_deletes_only_automatic_backups(filled, tmp_path):
    db, _ = filled
    out = tmp_path / "o"
    old = datetime(2024, 1, 1, 12, tzinfo=UTC)
    auto = [B.create_backup(db, out, reason=B.AUTO, now=old + timedelta(days=i)) for i in range(3)]
    manual = B.create_backup(db, out, reason=B.MANUAL, now=old)
    before = B.create_backup(db, out, reason=B.BEFORE_MIGRATION, now=old)
    deleted = B.rotate(out, B.RotationPolicy(daily=1, weekly=0, monthly=0), today=date(2026, 1, 1))
    assert deleted == sorted([auto[0].path, auto[1].path])
    assert auto[2].path.exists() and manual.path.exists() and before.path.exists()
