"""Encryption at rest with SQLCipher: every store operation works, plain SQLite cannot read it."""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from datetime import date
from decimal import Decimal

import pytest

pytest.importorskip("sqlcipher3", reason="the optional 'encryption' extra is not installed")

from roasterdesk.domain.model import (  # noqa: E402
    Commitment,
    FollowUp,
    Lot,
    Premium,
    PremiumBasis,
    PremiumType,
    Producer,
    ProducerKind,
    Visit,
)
from roasterdesk.errors import UserError  # noqa: E402
from roasterdesk.services import backup as B  # noqa: E402
from roasterdesk.services import encryption as E  # noqa: E402
from roasterdesk.store import NotADatabaseError, Store, ValidationError  # noqa: E402
from roasterdesk.store.cipher import WrongKeyError, open_encrypted  # noqa: E402
from roasterdesk.store.errors import DamagedDatabaseError  # noqa: E402
from roasterdesk.store.schema import migrations  # noqa: E402

from .conftest import fill  # noqa: E402

KEY = bytes(range(32))


@pytest.fixture
def enc(tmp_path):
    path = tmp_path / "secret.sqlite"
    with Store.open(path, key=KEY) as s:
        fill(s, 3)
    return path


def test_every_store_operation_works_on_an_encrypted_database(tmp_path):
    path = tmp_path / "secret.sqlite"
    with Store.open(path, key=KEY) as s:  # creation runs every migration through sqlite-utils
        assert s.schema_version() >= 1
        assert s.db["fairtrade_terms"].count == 1  # insert / insert_all of m002
        p = s.save_producer(Producer("Finca La Esperanza", ProducerKind.FARM, "HN"))
        s.save_commitment(Commitment(p.id, 2025, 2027, volume_kg=Decimal(6000)))
        lot = s.save_lot(Lot("HN-25-007", p.id, 2025, bags=20, bag_kg=Decimal(69),
                             fob_usd_lb=Decimal("3.40"), c_cents_lb=Decimal("250"),
                             premiums=(Premium(PremiumType.QUALITY, PremiumBasis.PER_KG,
                                               Decimal("0.40")),)))
        v = s.save_visit(Visit(p.id, date(2025, 2, 3), notes="drying beds renewed",
                               follow_ups=(FollowUp("send cupping notes"),)))
        s.set_follow_up_done(v.follow_ups[0].id, True)
        s.set_c_prices({(2025, 1): Decimal("320.5")})
        assert s.lot(lot.id).premiums[0].amount == Decimal("0.40")
        assert s.analyse(lot).economics.fob_usd_lb == Decimal("3.40")
        assert {h.kind for h in s.search("esperanza")} == {"producer"}
        assert [h.kind for h in s.search("drying")] == ["visit"]
        # integrity errors from SQLCipher become the store's clear messages
        with pytest.raises(ValidationError, match="another lot already has this code"):
            s.save_lot(Lot("HN-25-007", p.id, 2025))
        with pytest.raises(ValidationError, match="never deleted"), s.transaction():
            s.db.execute("DELETE FROM lots")
        with pytest.raises(ValidationError, match="still used"):
            s.delete_producer(p.id)
        with pytest.raises(ValidationError):  # a group of writes is all or nothing
            with s.transaction():
                s.save_producer(Producer("Half written", ProducerKind.FARM, "HN"))
                s.save_lot(Lot("HN-25-007", p.id, 2025))
        assert [x.name for x in s.producers()] == ["Finca La Esperanza"]
        counts = s.counts()
    with Store.open(path, key=KEY) as s:
        assert s.counts() == counts
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_plain_sqlite_cannot_read_it_and_no_text_is_visible(enc):
    conn = sqlite3.connect(enc)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
    data = enc.read_bytes()
    assert b"SQLite format 3" not in data and b"Finca" not in data and b"visit 1" not in data
    with pytest.raises(NotADatabaseError):
        Store.open(enc)


def test_a_wrong_key_is_a_clear_message_and_changes_nothing(enc):
    before = hashlib.sha256(enc.read_bytes()).hexdigest()
    with pytest.raises(WrongKeyError, match="the key does not fit"):
        Store.open(enc, key=bytes(32))
    assert hashlib.sha256(enc.read_bytes()).hexdigest() == before


def test_a_failing_migration_on_an_encrypted_database_changes_nothing(enc):
    before = hashlib.sha256(enc.read_bytes()).hexdigest()

    def m950_fails(d):
        d.execute("CREATE TABLE t (a)")
        raise RuntimeError("boom")

    migrations(name="m950_fails")(m950_fails)
    try:
        with pytest.raises(RuntimeError):
            open_encrypted(enc, KEY)
    finally:
        migrations._migrations[:] = [m for m in migrations._migrations if m.name != "m950_fails"]
    assert hashlib.sha256(enc.read_bytes()).hexdigest() == before
    (made,) = B.list_backups(B.default_backup_dir(enc))
    assert made.reason == B.BEFORE_MIGRATION
    B.verify_backup(made.path, key=KEY)


def test_backup_and_restore_of_an_encrypted_database(enc, tmp_path):
    with Store.open(enc, key=KEY) as s:
        counts = s.counts()
    info = B.create_backup(enc, tmp_path / "o", key=KEY)
    with pytest.raises(B.BackupError):  # without the key the copy cannot be checked
        B.verify_backup(info.path)
    B.verify_backup(info.path, key=KEY)
    with Store.open(enc, key=KEY) as s:
        s.save_producer(Producer("After the backup", ProducerKind.FARM, "HN"))
    result = B.restore_backup(info.path, enc, key=KEY)
    with Store.open(enc, key=KEY) as s:
        assert s.counts() == counts
    assert not E.cipher.is_plain_sqlite(result.moved_aside)


def test_encrypting_an_existing_plain_database(filled):
    db, counts = filled
    key = E.new_key()
    E.encrypt_database(db, key)
    assert not E.cipher.is_plain_sqlite(db)
    with Store.open(db, key=key) as s:
        assert s.counts() == counts
    with pytest.raises(UserError, match="not a plain"):
        E.encrypt_database(db, key)


def test_recovery_key_round_trip_and_typos():
    key = E.new_key()
    text = E.recovery_key(key)
    groups = text.split("-")
    assert len(groups) == 11 and all(len(g) <= 5 for g in groups)
    assert E.parse_recovery_key(text.lower().replace("-", " ")) == key
    typo = text[:7] + ("A" if text[7] != "A" else "B") + text[8:]
    with pytest.raises(UserError, match="typo"):
        E.parse_recovery_key(typo)


def test_passphrase_key_file(enc):
    E.change_passphrase(enc, KEY, "long enough passphrase")
    assert E.key_from_file(enc, "long enough passphrase") == KEY
    assert KEY.hex() not in E.key_file_for(enc).read_text()
    with pytest.raises(WrongKeyError, match="passphrase is not right"):
        E.key_from_file(enc, "a wrong passphrase")
    with pytest.raises(UserError, match="at least 8"):
        E.wrap_key(KEY, "short")
    assert E.is_encrypted(enc)
    with pytest.raises(WrongKeyError):
        E.change_passphrase(enc, bytes(32), "another passphrase")


def test_keyring_holds_the_key_by_database_id_even_after_a_move(enc, tmp_path):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 1
        store: dict = {}

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def get_password(self, service, username):
            return self.store.get((service, username))

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    old = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        assert E.keyring_available()
        E.save_key_to_keyring(enc, KEY)
        moved = tmp_path / "moved.sqlite"
        enc.rename(moved)
        assert E.key_from_keyring(moved) == KEY
        assert E.is_encrypted(moved)
        with Store.open(moved, key=E.key_from_keyring(moved)) as s:
            assert s.counts()["producers"] == 3
    finally:
        keyring.set_keyring(old)


def test_cli_encrypt_with_a_passphrase_prints_a_recovery_key_that_opens_it(filled, monkeypatch,
                                                                         capsys):
    from roasterdesk.cli import main

    db, counts = filled
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse battery")
    assert main(["encrypt", "--db", str(db), "--passphrase"]) == 0
    out = capsys.readouterr().out
    recovery = out.splitlines()[1].strip()
    key = E.parse_recovery_key(recovery)
    assert E.key_from_file(db, "correct horse battery") == key
    with Store.open(db, key=key) as s:
        assert s.counts() == counts
    assert main(["encrypt", "--db", str(db), "--passphrase"]) == 2  # already encrypted
    assert "not a plain" in capsys.readouterr().err


@pytest.mark.gui
def test_the_app_unlocks_an_encrypted_database_with_passphrase_or_recovery_key(qapp, enc,
                                                                               tmp_path):
    from roasterdesk.store import cipher
    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.safety import open_guarded
    from roasterdesk.ui.settings import Settings

    E.change_passphrase(enc, KEY, "long enough passphrase")
    answers = ["a wrong passphrase", "long enough passphrase"]
    asked = []

    def ask(_parent, text):
        asked.append(text)
        return answers.pop(0)

    def create(p):
        return AppContext.create(p, settings=Settings(tmp_path / "s.ini"))

    try:
        ctx = open_guarded(enc, create, ask_secret=ask)
        try:
            assert "does not open it" in asked[1]
            assert ctx.store.counts()["producers"] == 3
            with Store.open(enc) as worker:  # a worker connection: the key is remembered
                assert worker.counts()["producers"] == 3
            info = B.create_backup(enc)  # backups of it are encrypted with the same key
            with zipfile.ZipFile(info.path) as zf:
                assert not zf.read("database.sqlite").startswith(b"SQLite format 3")
            B.verify_backup(info.path, key=KEY)
        finally:
            ctx.close()
        cipher._KEYS.clear()
        ctx = open_guarded(enc, create, ask_secret=lambda p, t: E.recovery_key(KEY).lower())
        ctx.close()
        cipher._KEYS.clear()
        with pytest.raises(UserError, match="no passphrase or recovery key was given"):
            open_guarded(enc, create, ask_secret=lambda p, t: None)
    finally:
        cipher._KEYS.clear()


def test_an_encrypted_database_detects_a_single_flipped_bit_anywhere(enc):
    data = enc.read_bytes()
    for offset in (len(data) // 2, len(data) // 3 + 77, 2 * len(data) // 3 + 1001):
        damaged = enc.with_name(f"flip-{offset}.sqlite")
        d = bytearray(data)
        d[offset] ^= 0x01
        damaged.write_bytes(bytes(d))
        with pytest.raises(DamagedDatabaseError, match="is damaged"):
            Store.open(damaged, key=KEY)


def test_commands_open_an_encrypted_database_after_asking_for_its_passphrase(enc, tmp_path,
                                                                            monkeypatch, capsys):
    from roasterdesk.cli import main
    from roasterdesk.store import cipher

    E.change_passphrase(enc, KEY, "long enough passphrase")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "long enough passphrase")
    try:
        assert main(["info", "--db", str(enc), "--json"]) == 0
        assert '"producers": 3' in capsys.readouterr().out
        assert main(["backup", "--db", str(enc), "--out", str(tmp_path / "b")]) == 0
        (info,) = B.list_backups(tmp_path / "b")
        B.verify_backup(info.path, key=KEY)
        cipher._KEYS.clear()
        monkeypatch.setattr("getpass.getpass", lambda prompt="": "not the passphrase")
        assert main(["info", "--db", str(enc)]) == 2
        assert "passphrase is not right" in capsys.readouterr().err
    finally:
        cipher._KEYS.clear()


def test_encrypt_names_every_file_it_leaves_readable(filled, monkeypatch, capsys):
    """Hole 9: what stays plain is said with its path: earlier copies of the database, backups
    made before, and the attachments (not encrypted)."""
    from roasterdesk.cli import main

    db, _ = filled
    B.create_backup(db, B.default_backup_dir(db))
    copy = db.with_name(db.name + ".before-restore-20260101T000000")
    copy.write_bytes(db.read_bytes())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "correct horse battery")
    assert main(["encrypt", "--db", str(db), "--passphrase"]) == 0
    out = capsys.readouterr().out
    assert f"an earlier copy of the database: {copy}" in out
    assert "1 backup(s) made before encrypting" in out
    assert "1 photo(s) and other attachment(s)" in out
    assert E.plain_leftovers(db) == [line.removeprefix("  - ") for line in out.splitlines()
                                     if line.startswith("  - ")]
    copy.unlink()
    for z in B.default_backup_dir(db).glob("*.zip"):
        z.unlink()
    B.create_backup(db, B.default_backup_dir(db), key=E.key_from_file(db, "correct horse battery"))
    left = E.plain_leftovers(db)  # an encrypted backup is not named; the photos still are
    assert len(left) == 1 and left[0].startswith("1 photo(s)"), left


def test_an_encrypted_connection_keeps_as_many_pages_as_a_plain_one(enc, tmp_path):
    from roasterdesk.store.db import CACHE_PRAGMA

    pages = int(CACHE_PRAGMA.rsplit("=", 1)[1])
    with Store.open(enc, key=KEY) as s:
        assert s.db.execute("PRAGMA cache_size").fetchone()[0] == pages
    with Store.open(tmp_path / "plain.sqlite") as s:
        assert s.db.execute("PRAGMA cache_size").fetchone()[0] == pages < -2000  # not 2 MiB
