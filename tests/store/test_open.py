"""Opening a database: create, reopen, refuse a newer or foreign file without touching it."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from roasterdesk import __version__
from roasterdesk.store import NewerDatabaseError, NotADatabaseError, Store, StoreError
from roasterdesk.store.schema import MIGRATION_SET, SCHEMA_COMPAT, known_migrations


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def migration_rows(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT migration_set, name, applied_at FROM _sqlite_migrations ORDER BY rowid"
        ).fetchall()
    finally:
        conn.close()


def test_create_from_empty(db_path):
    assert not db_path.exists()
    with Store.open(db_path) as s:
        assert s.schema_version() == SCHEMA_COMPAT
        assert s.is_empty()
        assert set(s.counts().values()) == {0}
        assert s.harvests() == []
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        ft, lir = s.reference().fairtrade, s.reference().living_income
        assert ft is not None and len(lir) == 5
    assert [r[1] for r in migration_rows(db_path)] == known_migrations()
    assert {r[0] for r in migration_rows(db_path)} == {MIGRATION_SET}


def test_opening_twice_applies_nothing_new(db_path):
    Store.open(db_path).close()
    before = migration_rows(db_path)
    with Store.open(db_path) as s:
        assert s.db.execute("SELECT count(*) FROM fairtrade_terms").fetchone()[0] == 1
        assert s.db.execute("SELECT count(*) FROM living_income_refs").fetchone()[0] == 5
    assert migration_rows(db_path) == before
    Store.open(db_path, create=False).close()
    assert migration_rows(db_path) == before


def _newer_by_migration(path):
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES (?, 'm999_from_the_future', '2030-01-01T00:00:00')", [MIGRATION_SET])
    conn.commit()
    conn.close()


def _newer_by_user_version(path):
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_COMPAT + 1}")
    conn.execute("UPDATE meta SET value = '9.1.0' WHERE key = 'app_version'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make_newer, names", [
    (_newer_by_migration, ["m999_from_the_future", f"file schema {SCHEMA_COMPAT}"]),
    (_newer_by_user_version, ["RoasterDesk 9.1.0", f"file schema {SCHEMA_COMPAT + 1}"]),
])
def test_a_newer_database_is_refused_untouched(db_path, make_newer, names):
    Store.open(db_path).close()
    make_newer(db_path)
    files_before = sorted(p.name for p in db_path.parent.iterdir())
    digest = sha256(db_path)
    with pytest.raises(NewerDatabaseError) as err:
        Store.open(db_path)
    message = str(err.value)
    assert f"RoasterDesk {__version__} (schema {SCHEMA_COMPAT})" in message  # this version
    for name in names:  # and the file's
        assert name in message
    assert "not changed" in message
    assert "\n" not in message
    assert sha256(db_path) == digest
    assert sorted(p.name for p in db_path.parent.iterdir()) == files_before


def test_a_newer_user_version_without_app_version_still_names_its_schema(db_path):
    Store.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_COMPAT + 3}")
    conn.execute("DELETE FROM meta")
    conn.commit()
    conn.close()
    with pytest.raises(NewerDatabaseError, match=f"schema {SCHEMA_COMPAT + 3}"):
        Store.open(db_path)


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("producer,lot\nFinca El Mirador,CO-25-001\n")
    digest = sha256(path)
    with pytest.raises(NotADatabaseError, match="not a RoasterDesk database"):
        Store.open(path)
    assert sha256(path) == digest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite"]


def test_missing_file_or_folder(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "missing.sqlite", create=False)
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no-such-folder" / "x.sqlite")
    assert list(tmp_path.iterdir()) == []
