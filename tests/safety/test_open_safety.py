"""Opening never harms a file: failed migrations, newer databases, damaged or foreign files."""

from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest

from roasterdesk.cli import main
from roasterdesk.services import backup as B
from roasterdesk.store import NewerDatabaseError, NotADatabaseError, Store
from roasterdesk.store.errors import DamagedDatabaseError
from roasterdesk.store.schema import migrations

from .conftest import fill


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def extra_migrations():
    """Register temporary migrations on the real set; removed afterwards."""
    added = []

    def register(fn, name):
        migrations(name=name)(fn)
        added.append(name)

    yield register
    migrations._migrations[:] = [m for m in migrations._migrations if m.name not in added]


def test_a_failing_migration_leaves_the_file_byte_identical(filled, extra_migrations):
    db, counts = filled
    before = sha(db)
    seen = {}

    def m900_ok(d):
        d.execute("CREATE TABLE harvest_notes (id INTEGER PRIMARY KEY, note TEXT)")
        d.execute("UPDATE producers SET notes = 'rewritten'")

    def m901_fails(d):
        d.execute("INSERT INTO harvest_notes (note) VALUES ('half done')")
        seen["rows"] = d.execute("SELECT count(*) FROM harvest_notes").fetchone()[0]
        raise RuntimeError("step 901 broke half way")

    extra_migrations(m900_ok, "m900_ok")
    extra_migrations(m901_fails, "m901_fails")
    with pytest.raises(RuntimeError, match="half way"):
        Store.open(db)
    assert seen == {"rows": 1}  # it really ran, after m900
    assert sha(db) == before
    assert not os.path.exists(f"{db}-wal") or os.path.getsize(f"{db}-wal") == 0
    # the verified backup that came first is there and restorable
    (made,) = B.list_backups(B.default_backup_dir(db))
    assert made.reason == B.BEFORE_MIGRATION and made.counts["producers"] == counts["producers"]
    B.verify_backup(made.path)


def test_a_successful_migration_is_preceded_by_a_backup(filled, extra_migrations):
    db, _ = filled
    extra_migrations(lambda d: d.execute("CREATE TABLE tasting (id INTEGER PRIMARY KEY)"),
                     "m902_tasting")
    with Store.open(db) as s:
        assert "tasting" in s.db.table_names()
    (made,) = B.list_backups(B.default_backup_dir(db))
    assert "tasting" not in made.counts and made.reason == B.BEFORE_MIGRATION


def test_a_migration_whose_backup_fails_does_not_run(filled, extra_migrations):
    db, _ = filled
    extra_migrations(lambda d: d.execute("CREATE TABLE tasting (id INTEGER PRIMARY KEY)"),
                     "m903_tasting")
    B.default_backup_dir(db).write_text("a file where the backup folder should be")
    before = sha(db)
    with pytest.raises(B.BackupError, match="needs an upgrade"):
        Store.open(db)
    assert sha(db) == before


def test_a_newer_database_is_refused_untouched(filled):
    db, _ = filled
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('roasterdesk', 'm050_future', '2030-01-01')")
    conn.execute("PRAGMA user_version = 9")
    conn.execute("UPDATE meta SET value = '9.0' WHERE key = 'app_version'")
    conn.commit()
    conn.close()
    before = sha(db)
    with pytest.raises(NewerDatabaseError, match="written by RoasterDesk 9.0"):
        Store.open(db)
    assert sha(db) == before
    assert not B.default_backup_dir(db).exists()


def _damage_middle_page(db):
    """Break the b-tree header of a page that opening the file does not read (the first page of
    the change log, in the middle of the file): only ``quick_check`` can find it. (A page of the
    schema, read at every open, is found at once.)"""
    conn = sqlite3.connect(db)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'change_log'"
                        ).fetchone()[0]
    conn.close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    at = (root - 1) * page
    data[at:at + 12] = b"\xa5" * 12
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, error", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), NotADatabaseError),
    (lambda p: p.write_bytes(os.urandom(len(p.read_bytes()))), NotADatabaseError),
    (lambda p: p.write_bytes(b""), None),
    (_damage_middle_page, DamagedDatabaseError),
], ids=["truncated", "random-bytes", "emptied", "flipped-middle"])
def test_a_damaged_file_is_detected_at_open_with_one_clear_line(db_path, capsys, damage, error):
    with Store.open(db_path) as s:
        fill(s, 40)
    damage(db_path)
    if error is None:  # an empty file counts as "no database"; create=False refuses it
        assert main(["info", "--db", str(db_path)]) == 2
        assert "does not exist" in capsys.readouterr().err
        return
    before = sha(db_path)
    with pytest.raises(error):
        Store.open(db_path)
    assert sha(db_path) == before
    assert main(["info", "--db", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(db_path) in err
    assert ("damaged" in err) or ("not a RoasterDesk database" in err)


def test_a_damaged_database_is_moved_aside_and_the_newest_backup_restored(filled, tmp_path):
    db, counts = filled
    good = B.create_backup(db)
    _damage_middle_page(db)
    with pytest.raises(DamagedDatabaseError):
        Store.open(db)
    aside = B.set_aside_damaged(db)
    assert aside.exists() and not db.exists() and ".damaged-" in aside.name
    offered = B.newest_verified_backup(db)
    assert offered.path == good.path
    B.restore_backup(offered.path, db)
    with Store.open(db) as s:
        assert s.counts() == counts


def test_quick_check_is_not_repeated_for_an_unchanged_file_but_is_after_a_change(filled):
    from roasterdesk.store import db as D

    db, _ = filled
    D.quick_check(db)
    assert str(db.resolve()) in D._CHECKED
    with Store.open(db):  # a second open of the same, unchanged file: no new check needed
        pass
    _damage_middle_page(db)  # any change of the file (its mtime or size) means a new check
    with pytest.raises(DamagedDatabaseError):
        Store.open(db)


def _flip_at_rest(db, offset):
    """A byte changed the way a failing disk changes it: the file's time stays the same."""
    st = db.stat()
    data = bytearray(db.read_bytes())
    data[offset] ^= 0x01
    db.write_bytes(bytes(data))
    os.utime(db, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_a_byte_flipped_inside_a_record_at_rest_is_detected_by_the_seal(db_path):
    from roasterdesk.store import db as D
    from roasterdesk.store.seal import seal_path, write_seal

    with Store.open(db_path) as s:
        fill(s, 40)
    offset = len(db_path.read_bytes()) // 2  # often inside a record, where quick_check is blind
    assert write_seal(db_path) and seal_path(db_path).exists()
    with Store.open(db_path):  # an intact sealed file opens; reading does not change it
        pass
    before = sha(db_path)
    _flip_at_rest(db_path, offset)
    D._CHECKED.clear()  # a new session (this process checked the file before the flip)
    with pytest.raises(DamagedDatabaseError, match="changed on disk since RoasterDesk closed it"):
        Store.open(db_path)
    assert sha(db_path) != before  # (the flip is real) and the open wrote nothing:
    after = sha(db_path)
    D._CHECKED.clear()
    with pytest.raises(DamagedDatabaseError):
        Store.open(db_path)
    assert sha(db_path) == after


def test_a_seal_is_ignored_once_the_file_was_written_since(db_path):
    from roasterdesk.store.seal import write_seal

    with Store.open(db_path) as s:
        fill(s, 3)
    write_seal(db_path)
    conn = sqlite3.connect(db_path)  # another program writes: a new modification time
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("UPDATE producers SET notes = 'edited elsewhere'")
    conn.commit()
    conn.close()
    with Store.open(db_path) as s:
        assert s.producers()[0].notes == "edited elsewhere"


def test_a_damaged_schema_page_is_a_damaged_database_at_open(db_path):
    """The schema is read at every open: damage there is found before any check, and offered
    the same move-aside-and-restore as damage found by quick_check."""
    with Store.open(db_path) as s:
        fill(s, 3)
    data = bytearray(db_path.read_bytes())
    data[100:112] = b"\xa5" * 12  # the b-tree header of page 1, the schema's first page
    db_path.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabaseError, match="is damaged"):
        Store.open(db_path, check=False)
