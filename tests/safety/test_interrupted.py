"""Holes 2, 4, 5 and 10: operations cut short at their most delicate moment, a 0-byte file, and
the temporaries a killed command leaves. The kills are injected at the exact window with
``ROASTERDESK_FAULT`` (the process SIGKILLs itself there); the next start must find either the
old file or the new one, say so, and name the copy kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import backup as B
from roasterdesk.services.recovery import recover_at_start
from roasterdesk.store import Store
from roasterdesk.store.errors import EmptyDatabaseError

ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen", ROASTERDESK_LOCK_WAIT="5")


def cli(db, *argv, fault=""):
    env = dict(ENV, ROASTERDESK_FAULT=fault) if fault else ENV
    return subprocess.run([sys.executable, "-m", "roasterdesk", "--db", str(db), *map(str, argv)],
                          capture_output=True, text=True, env=env, timeout=120)


def counts_of(db, key=None):
    with Store.open(db, key=key, before_migrate=None) as s:
        return s.counts()


# -- hole 4: restore -------------------------------------------------------------------------
@pytest.mark.parametrize("fault", ["restore:aside", "restore:replaced"])
def test_a_restore_killed_at_the_swap_leaves_a_whole_file_and_says_where_the_old_one_is(
        filled, fault):
    db, old_counts = filled
    backup = B.create_backup(db).path
    with Store.open(db) as s:
        s.save_producer(Producer("Finca after the backup", ProducerKind.FARM, "CO"))
        newer = s.counts()
    killed = cli(db, "restore", backup, fault=fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert db.is_file() and db.stat().st_size > 0  # never a moment with no file at the path
    aside = [p for p in db.parent.iterdir() if ".before-restore-" in p.name
             and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1
    assert counts_of(aside[0]) == newer  # the work after the backup is kept
    after = cli(db, "info")
    assert after.returncode == 0, after.stderr
    assert "Traceback" not in after.stderr
    assert "restore" in after.stderr and aside[0].name in after.stderr  # found and pointed to
    assert counts_of(db) == (newer if fault == "restore:aside" else old_counts)
    assert not B.restore_marker(db).exists()
    assert cli(db, "info").stderr == ""  # said once


# -- hole 2: encrypt -------------------------------------------------------------------------
ENCRYPT = textwrap.dedent("""
    import getpass, sys
    getpass.getpass = lambda prompt="": "correct horse battery"
    from roasterdesk.cli import main
    sys.exit(main(["encrypt", "--db", sys.argv[1], "--passphrase"]))
""")


@pytest.mark.parametrize("fault", ["encrypt:key-kept", "encrypt:replaced"])
def test_an_encrypt_killed_at_the_swap_leaves_a_file_that_opens(filled, fault):
    pytest.importorskip("sqlcipher3", reason="the optional 'encryption' extra is not installed")
    from roasterdesk.services import encryption as E

    db, counts = filled
    child = subprocess.run([sys.executable, "-c", ENCRYPT, str(db)], capture_output=True,
                           text=True, env=dict(ENV, ROASTERDESK_FAULT=fault), timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    recovery = child.stdout.splitlines()[1].strip()  # printed before anything changed
    key = E.parse_recovery_key(recovery)
    if fault == "encrypt:key-kept":  # before the swap: still plain, rolled back at next start
        notes = recover_at_start(db)
        assert any("interrupted" in n and "rolled back" in n for n in notes), notes
        assert counts_of(db) == counts
        assert not E.encrypting_path(db).exists()
    else:  # after the swap: the key was on disk first, so the passphrase opens it
        assert E.key_from_file(db, "correct horse battery") == key
        assert counts_of(db, key) == counts


def test_encrypt_refuses_a_database_from_a_newer_version(filled):
    pytest.importorskip("sqlcipher3", reason="the optional 'encryption' extra is not installed")
    import sqlite3

    from roasterdesk.services import encryption as E
    from roasterdesk.store.errors import NewerDatabaseError

    db, _ = filled
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(NewerDatabaseError):
        E.encrypt_database(db, bytes(32))
    assert db.read_bytes() == before


# -- hole 5: a 0-byte or missing file beside backups -------------------------------------------
@pytest.mark.parametrize("state", ["empty", "missing"])
def test_an_empty_or_missing_file_beside_backups_offers_them_never_a_new_database(filled, state):
    db, counts = filled
    backup = B.create_backup(db)
    if state == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    for side in ("-wal", "-shm"):
        db.with_name(db.name + side).unlink(missing_ok=True)
    with pytest.raises(EmptyDatabaseError, match=backup.path.name):
        Store.open(db)  # the app's open: no silent new database
    done = cli(db, "info")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert backup.path.name in done.stderr and f"{backup.records:,} records" in done.stderr
    assert (db.stat().st_size == 0) if state == "empty" else not db.exists()
    refused = cli(db, "backup")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert len(B.list_backups(B.default_backup_dir(db))) == 1  # no "verified" empty backup
    B.restore_backup(backup.path, db)
    assert counts_of(db) == counts


# -- hole 10: temporaries of killed commands -------------------------------------------------
def test_temporaries_of_dead_processes_go_at_the_next_start_those_of_live_ones_stay(filled):
    db, _ = filled
    out = B.default_backup_dir(db)
    out.mkdir(exist_ok=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    gone = [db.parent / f".verify-{dead.pid}-x1", out / f".backup-{dead.pid}-x2"]
    old = out / ".backup-abcdef"  # a name of an older build, two hours old
    live = db.parent / f".verify-{os.getpid()}-x3"
    for d in (*gone, old, live):
        d.mkdir()
        (d / "database.sqlite").write_bytes(b"x" * 1000)
    then = time.time() - 7200
    os.utime(old, (then, then))
    notes = recover_at_start(db)
    assert not any(p.exists() for p in (*gone, old))
    assert live.exists()  # a running verification of this (or another living) process
    assert any("removed 3 temporary" in n for n in notes), notes


def test_the_names_recovery_looks_for_are_those_the_steps_write(db_path):
    from roasterdesk.services import encryption as E

    assert E.encrypting_path(db_path) == db_path.with_name(f".{db_path.name}.encrypting")
    assert B.restore_marker(db_path) == db_path.with_name(db_path.name + ".restore-pending")
    assert B.default_backup_dir(db_path) == db_path.with_name(f"{db_path.stem}-backups")


# -- demo and migrations: killed at their exact windows ----------------------------------------
@pytest.mark.parametrize("fault", ["demo:built", "demo:replaced"])
def test_a_demo_killed_at_the_swap_leaves_the_old_file_or_the_whole_demo(filled, fault):
    db, counts = filled
    done = cli(db, "demo", "--scale", "small", "--force", fault=fault)
    assert done.returncode == -signal.SIGKILL, done.stderr
    build = db.with_name(f".{db.name}.demo-build")
    after = cli(db, "info")  # the next start: the file opens, a leftover build is removed
    assert after.returncode == 0 and "Traceback" not in after.stderr, after.stderr
    now = counts_of(db)
    if fault == "demo:built":
        assert now == counts and "unfinished demo database" in after.stderr + after.stdout
    else:
        assert now["lots"] > counts["lots"]  # the whole demo, not a part of it
    assert not build.exists()


def test_a_migration_killed_before_its_commit_leaves_the_old_file_which_upgrades_later(tmp_path):
    import shutil
    import sqlite3
    from pathlib import Path

    fixture = Path(__file__).parents[1] / "fixtures" / "schemas" / "roasterdesk-0.2.0.sqlite"
    db = tmp_path / "old.sqlite"
    shutil.copyfile(fixture, db)
    from roasterdesk.store.db import read_file_version
    from roasterdesk.store.schema import known_migrations

    old = read_file_version(db)
    old_version = sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0]
    assert set(known_migrations()) - set(old.applied)  # steps to apply
    done = cli(db, "info", fault="migrate:applied")
    assert done.returncode == -signal.SIGKILL, done.stderr
    conn = sqlite3.connect(db)  # a plain reader rolls the hot journal back
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert list(B.default_backup_dir(db).glob("*.zip"))  # the backup made before migrating
    assert read_file_version(db).applied == old.applied  # none of them kept
    again = cli(db, "info")
    assert again.returncode == 0, again.stderr
    assert set(read_file_version(db).applied) == set(known_migrations())
    with Store.open(db) as s:
        assert s.counts()["producers"] > 0
