"""Holes 3, 6 and 8: a full disk, a read-only file, a busy file, a damaged page and crafted
backups are each told as what they are, in one line, never as damage of an intact file and
never with a traceback; a zip bomb is refused before it is inflated."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from roasterdesk.domain.model import Producer, ProducerKind
from roasterdesk.services import backup as B
from roasterdesk.store import Store
from roasterdesk.store.errors import BusyDatabaseError

FIX = Path(__file__).parent.parent / "fixtures" / "imports"
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen", ROASTERDESK_LOCK_WAIT="2")


def cli(db, *argv, fault=""):
    env = dict(ENV, ROASTERDESK_FAULT=fault) if fault else ENV
    return subprocess.run([sys.executable, "-m", "roasterdesk", "--db", str(db), *map(str, argv)],
                          capture_output=True, text=True, env=env, timeout=120)


def one_line(done):
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def big_csv(tmp_path, n=3000):
    f = tmp_path / "many.csv"
    f.write_text("Producer,Country\n" + "".join(f"Finca {i},CO\n" for i in range(n)))
    return f


def can_mount():
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("mount")


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB tmpfs when this user may mount one (root); else None."""
    if not can_mount():
        yield None
        return
    where = tmp_path / "disk"
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(where)],
                      capture_output=True).returncode != 0:
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_a_full_disk_is_a_full_disk_not_damage_injected_sqlite_full(filled, tmp_path):
    db, counts = filled
    line = one_line(cli(db, "import", big_csv(tmp_path), "--kind", "producers",
                        fault="sqlite-full"))
    assert "is full" in line and "damaged" not in line.replace("not damaged", "")
    assert "restore" not in line.replace("do not restore", "")
    with Store.open(db) as s:
        assert s.counts() == counts  # nothing half-written, nothing lost


def test_a_full_disk_on_a_small_tmpfs(small_disk, tmp_path, filled):
    if small_disk is None:  # the injected SQLITE_FULL above covers this user
        pytest.skip("mounting a tmpfs needs root")
    src, _ = filled
    db = small_disk / "full.sqlite"
    shutil.copy(src, db)
    with Store.open(db) as s:
        counts = s.counts()
    filler = small_disk / "filler.bin"
    with open(filler, "wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
        except OSError:
            pass
    for argv in (("info",), ("import", big_csv(tmp_path), "--kind", "producers"), ("backup",)):
        done = cli(db, *argv)
        if done.returncode == 0:
            continue  # a read that needed no space
        line = one_line(done)
        assert "is full" in line and "is damaged" not in line, line
    filler.unlink()
    with Store.open(db) as s:
        assert s.counts() == counts


@pytest.fixture
def read_only_db(filled, tmp_path):
    """The filled database on a read-only mount (root), else read-only by its mode bits."""
    src, counts = filled
    if can_mount():
        where = tmp_path / "ro"
        where.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(where)],
                          capture_output=True).returncode == 0:
            db = where / "ro.sqlite"
            shutil.copy(src, db)
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
            yield db, counts
            subprocess.run(["umount", "-l", str(where)], capture_output=True)
            return
    where = tmp_path / "ro"
    where.mkdir()
    db = where / "ro.sqlite"
    shutil.copy(src, db)
    db.chmod(0o444)
    where.chmod(0o555)
    yield db, counts
    where.chmod(0o755)


def test_a_read_only_file_is_read_only_not_damaged(read_only_db, tmp_path):
    db, counts = read_only_db
    line = one_line(cli(db, "import", big_csv(tmp_path, 5), "--kind", "producers"))
    assert ("read-only" in line or "may not" in line) and "is damaged" not in line, line
    shown = cli(db, "info")  # (a WAL file cannot be opened where its -shm cannot be made)
    if shown.returncode != 0:
        line = one_line(shown)
        assert "read-only" in line or "may not" in line, line
    assert "is damaged" not in shown.stderr and "Traceback" not in shown.stderr


def test_a_busy_file_is_busy_not_a_crash(filled):
    db, counts = filled
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program writing (without RoasterDesk's lock)
    try:
        with Store.open(db, before_migrate=None) as s:
            s.db.execute("PRAGMA busy_timeout = 100")
            with pytest.raises(BusyDatabaseError, match="another program is writing"):
                s.save_producer(Producer("Finca Ocupada", ProducerKind.FARM, "CO"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_backup_of_a_file_with_a_zeroed_page_is_one_line(filled):
    db, _ = filled
    with Store.open(db) as s:
        for i in range(300):
            s.save_producer(Producer(f"Finca {i:04d} " + "x" * 200, ProducerKind.FARM, "CO"))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(db, "r+b") as fh:
        fh.seek(page * 5)
        fh.write(bytes(page))
    line = one_line(cli(db, "backup"))
    assert "integrity" in line or "damaged" in line or "malformed" in line


def _zip(path, manifest, db_bytes=b"", extra=()):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(B.DB_ENTRY, db_bytes)
        zf.writestr(B.MANIFEST_ENTRY, manifest if isinstance(manifest, str)
                    else json.dumps(manifest))
        for name, data in extra:
            zf.writestr(name, data)
    return path


def _manifest(filled_backup):
    with zipfile.ZipFile(filled_backup) as zf:
        return json.loads(zf.read(B.MANIFEST_ENTRY))


def test_a_manifest_whose_counts_is_a_string_is_one_line(filled, tmp_path):
    db, _ = filled
    m = _manifest(B.create_backup(db).path)
    m["counts"] = "many"
    bad = _zip(tmp_path / "bad.zip", m, b"SQLite format 3\0")
    line = one_line(cli(db, "restore", bad))
    assert "bad.zip" in line and "manifest" in line


def test_a_zip_bomb_is_refused_before_it_is_inflated(filled, tmp_path):
    db, _ = filled
    m = _manifest(B.create_backup(db).path)
    bomb = _zip(tmp_path / "bomb.zip", m, bytes(200 * 1024 * 1024))  # 200 MB of zeros
    assert bomb.stat().st_size < 1024 * 1024
    started = time.monotonic()
    line = one_line(cli(db, "restore", bomb))
    assert time.monotonic() - started < 10
    assert "bomb.zip is refused" in line
    assert not [p for p in db.parent.rglob(".verif*")]  # nothing inflated was left
    big = _zip(tmp_path / "manifest-bomb.zip", " " * (B.MAX_MANIFEST_BYTES + 10) + json.dumps(m))
    line = one_line(cli(db, "restore", big))
    assert "manifest declares" in line
    listed = [b.path.name for b in B.list_backups(tmp_path)]  # listing reads no manifest whole
    assert "manifest-bomb.zip" not in listed
