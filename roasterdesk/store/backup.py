"""Verified backups of a RoasterDesk database and its attachments: the verified copy, made and
checked by the store (restore: :mod:`roasterdesk.services.restore`, rotation:
:mod:`roasterdesk.services.rotation`, both reached through :mod:`roasterdesk.services.backup`).

What a backup is
================
One zip file, ``<db stem>-YYYYMMDD-HHMMSS[-reason].zip`` (local time in the name), in the backup
folder — by default ``<db stem>-backups`` beside the database. A single file is easy to copy to a
USB stick or a cloud folder (backups may live there; the live database should not). It holds:

- ``database.sqlite``: a copy made with SQLite's online backup API (consistent even while the app
  writes), in rollback-journal mode so it is one self-contained file (deflate, level 1; an
  encrypted database is copied encrypted, with the same key, and stored uncompressed);
- ``attachments/<sha256><ext>``: every file of the attachments folder (``<db stem>-attachments``
  beside the database), stored as is (photos do not compress);
- ``manifest.json``: format, creation time (UTC), reason, RoasterDesk and schema version,
  SHA-256 and size of the database copy, row counts per table, the attachments listed.

How a backup is verified before it counts
=========================================
The copy is written to a temporary file in the backup folder, opened, ``PRAGMA integrity_check``
must say ``ok`` and the row count of every table must equal the source's (counted in the same
read transaction the copy was taken from). Then the zip is written under a temporary name, its
CRCs are checked, it is flushed to disk and only then renamed into place. A backup file that
exists is therefore complete; a failed backup leaves no file behind.

Rotation (automatic backups only)
=================================
Like Anki: every backup of today and yesterday is kept; older ones keep the newest backup of each
of the last ``daily`` days, then of ``weekly`` weeks, then of ``monthly`` months (defaults
:class:`RotationPolicy`: 7 days, 8 weeks, 12 months — settings may change them). Only backups made
automatically (reason ``auto``) are ever deleted; backups made by hand, before a migration or
before a restore are kept until the user removes them.

Restore
=======
:func:`restore_backup` refuses an archive that holds anything but the three kinds of entries
above (an entry with ``..``, an absolute path, a drive letter, a link or an unknown name is
refused before anything is extracted), verifies the copy (SHA-256, integrity, counts against the
manifest, every attachment against its hash), refuses a database from a newer RoasterDesk, and
only then keeps the current database under a second name (``<name>.before-restore-<time>``, a
hard link, never deleted) and swaps the copy in with ``os.replace``: there is never a moment
without a file at the path. A marker file (``<name>.restore-pending``) records the swap until
it is done; an interrupted restore is found by it at the next start and rolled back or
confirmed, naming the copy kept (:func:`finish_interrupted_restore`). Attachments are added
to the attachments folder (content-addressed, so nothing there is overwritten with other
content and nothing is removed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..errors import UserError
from .cipher import known_key
from .kinds import TABLES
from .seal import file_sha256

log = logging.getLogger(__name__)

FORMAT = 1
DB_ENTRY = "database.sqlite"
MANIFEST_ENTRY = "manifest.json"
ATTACHMENTS_PREFIX = "attachments/"
AUTO, MANUAL = "auto", "manual"
BEFORE_MIGRATION, BEFORE_RESTORE = "before-migration", "before-restore"
REASONS = (AUTO, MANUAL, BEFORE_MIGRATION, BEFORE_RESTORE)

_ATTACHMENT_NAME = re.compile(r"[0-9a-f]{64}(\.[a-z0-9]{1,8})?")
_BACKUP_NAME = re.compile(r".+-\d{8}-\d{6}(-\d+)?(-[a-z-]+)?\.zip")
_CHUNK = 1024 * 1024

Progress = Callable[[int, int], None]


class BackupError(UserError):
    """A backup could not be made, verified or restored; the text says why."""


@dataclass(frozen=True)
class RotationPolicy:
    """How many older automatic backups to keep (besides all of today's and yesterday's)."""

    daily: int = 7
    weekly: int = 8
    monthly: int = 12


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # timezone-aware, UTC
    reason: str
    counts: dict[str, int]
    schema: int
    app_version: str
    db_sha256: str
    db_bytes: int
    attachments: int
    attachment_bytes: int = 0
    damaged_attachments: tuple[str, ...] = field(default=())
    live: dict[str, int] | None = None
    """Records per table without deleted ones (tombstones), when the manifest has them."""

    @property
    def local_time(self) -> datetime:
        return self.created.astimezone()

    @property
    def records(self) -> int:
        """Records in the user's record tables (not indexes, search tables or deleted rows)."""
        counts = self.live if self.live is not None else self.counts
        return sum(n for t, n in counts.items() if t in RECORD_TABLES)


RECORD_TABLES = tuple(t.name for t in TABLES.values() if t.counted)
"""The user's record tables (the registry's counted ones): what a backup's "records" counts."""


@dataclass(frozen=True)
class RestoreResult:
    info: BackupInfo
    db_path: Path
    moved_aside: Path | None
    attachments_added: int


# -- places ------------------------------------------------------------------------------------
def attachments_dir_for(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-attachments")


def default_backup_dir(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-backups")


# -- SQLite helpers ------------------------------------------------------------------------------
def _ro(path: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str(Path(path).resolve()))}?mode=ro"
    return sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)


def table_counts(conn: Any) -> dict[str, int]:
    """Row count of every ordinary table (virtual tables are counted through their shadows)."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name")]
    return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


def live_counts(conn: Any) -> dict[str, int]:
    """Records per record table, deleted ones (tombstones, ``deleted_at``) left out."""
    out = {}
    for t in RECORD_TABLES:
        cols = {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')}
        alive = " WHERE deleted_at IS NULL" if "deleted_at" in cols else ""
        if cols:
            out[t] = conn.execute(f'SELECT count(*) FROM "{t}"{alive}').fetchone()[0]
    return out


def check_integrity(conn: Any, what: str) -> None:
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
    except Exception as exc:  # noqa: BLE001 - sqlite3's or SQLCipher's DatabaseError
        from .diagnosis import is_sqlite_error

        if not is_sqlite_error(exc):
            raise
        rows = [str(exc)]
    if rows != ["ok"]:
        raise BackupError(f"{what} failed the integrity check: " + "; ".join(map(str, rows[:3])))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _connector(key: bytes | None) -> Callable[[Path, bool], Any]:
    """A function (path, readonly) -> DB-API connection; SQLCipher when a key is given."""
    if key is None:
        return lambda p, ro: _ro(p) if ro else sqlite3.connect(str(p), isolation_level=None)
    from . import cipher

    return lambda p, ro: cipher.raw_connect(p, key, readonly=ro)


# -- making a backup ---------------------------------------------------------------------------
def _backup_name(db_path: Path, created: datetime, reason: str, out_dir: Path) -> Path:
    stamp = created.astimezone().strftime("%Y%m%d-%H%M%S")
    tail = "" if reason in (AUTO, MANUAL) else f"-{reason}"
    path = out_dir / f"{db_path.stem}-{stamp}{tail}.zip"
    n = 1
    while path.exists():
        n += 1
        path = out_dir / f"{db_path.stem}-{stamp}-{n}{tail}.zip"
    return path


def attachment_files(att_dir: Path) -> list[Path]:
    """The content-addressed files of an attachments folder (links and odd names are skipped)."""
    if not att_dir.is_dir():
        return []
    return sorted(p for p in att_dir.iterdir()
                  if _ATTACHMENT_NAME.fullmatch(p.name) and p.is_file() and not p.is_symlink())


def create_backup(
    db_path: Path | str,
    out_dir: Path | str | None = None,
    *,
    reason: str = MANUAL,
    key: bytes | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Make one verified backup of ``db_path`` (and its attachments); returns what it holds."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    db_path = Path(db_path)
    if not db_path.is_file():
        raise BackupError(f"{db_path} does not exist; there is nothing to back up.")
    if db_path.stat().st_size == 0:  # never a "verified" backup of nothing
        raise BackupError(f"{db_path} is empty (0 bytes); there is nothing to back up. "
                          "Restore a backup instead (roasterdesk backup --list).")
    key = key if key is not None else known_key(db_path)
    out = Path(out_dir) if out_dir is not None else default_backup_dir(db_path)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out)
    created = (now or datetime.now(UTC)).astimezone(UTC)
    step = progress or (lambda done, total: None)
    connect = _connector(key)
    files = attachment_files(attachments_dir_for(db_path))
    total = 100
    with tempfile.TemporaryDirectory(dir=out, prefix=f".backup-{os.getpid()}-") as tmp:
        copy = Path(tmp) / DB_ENTRY
        step(0, total)
        src = connect(db_path, True)
        try:
            src.execute("BEGIN")  # one read snapshot for the copy and the counts
            counts = table_counts(src)
            live = live_counts(src)
            schema = int(src.execute("PRAGMA user_version").fetchone()[0])
            dst = connect(copy, False)
            try:
                src.backup(dst)
            finally:
                dst.close()
            src.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            from .diagnosis import diagnose  # a full backup disk is no damage

            known = diagnose(exc, out) or diagnose(exc, db_path)
            raise (known or BackupError(f"{db_path} could not be copied: {exc}")) from exc
        finally:
            src.close()
        step(40, total)
        dst = connect(copy, False)
        try:
            dst.execute("PRAGMA journal_mode = DELETE")
            check_integrity(dst, "the backup copy")
            copied = table_counts(dst)
        finally:
            dst.close()
        if copied != counts:
            diff = {t: (counts.get(t), copied.get(t)) for t in set(counts) | set(copied)
                    if counts.get(t) != copied.get(t)}
            raise BackupError(f"the backup copy does not hold the same rows: {diff}")
        step(55, total)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created": created.isoformat(),
            "reason": reason,
            "app_version": __version__,
            "schema": schema,
            "database": {"sha256": file_sha256(copy), "bytes": copy.stat().st_size},
            "encrypted": key is not None,
            "counts": counts,
            "live": live,
        }
        final = _backup_name(db_path, created, reason, out)
        tmp_zip = Path(tmp) / "backup.zip"
        listed, damaged, att_bytes = [], [], 0
        with zipfile.ZipFile(tmp_zip, "w", allowZip64=True) as zf:
            # encrypted pages do not compress: stored as they are
            method = zipfile.ZIP_STORED if key is not None else zipfile.ZIP_DEFLATED
            zf.write(copy, DB_ENTRY, compress_type=method, compresslevel=1)
            step(80, total)
            for n, f in enumerate(files, 1):
                digest = file_sha256(f)
                if digest != f.name[:64]:
                    damaged.append(f.name)  # kept as found, listed as damaged
                zf.write(f, ATTACHMENTS_PREFIX + f.name, compress_type=zipfile.ZIP_STORED)
                size = f.stat().st_size
                att_bytes += size
                listed.append({"name": f.name, "bytes": size})
                step(80 + 15 * n // len(files), total)
            manifest["attachments"] = listed
            manifest["damaged_attachments"] = damaged
            zf.writestr(MANIFEST_ENTRY, json.dumps(manifest, indent=1, sort_keys=True))
        with zipfile.ZipFile(tmp_zip) as zf:
            bad = zf.testzip()
        if bad is not None:
            raise BackupError(f"the backup archive could not be read back ({bad})")
        with open(tmp_zip, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_zip, final)
        _fsync_dir(out)
    step(total, total)
    info = _info(final, manifest)
    log.info("backup of %s made and verified: %s (%s, %d records, %d attachments)", db_path,
             final, reason, info.records, info.attachments)
    return info


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary folders of backups that were cut short (the process was killed) go once their
    process is gone (:func:`roasterdesk.store.temporaries.remove_stale_temporaries`)."""
    from .temporaries import remove_stale_temporaries

    remove_stale_temporaries(out)


def _info(path: Path, m: dict[str, Any]) -> BackupInfo:
    try:
        return BackupInfo(
            path=path,
            created=datetime.fromisoformat(m["created"]).astimezone(UTC),
            reason=str(m["reason"]),
            counts={str(k): int(v) for k, v in m["counts"].items()},
            schema=int(m["schema"]),
            app_version=str(m["app_version"]),
            db_sha256=str(m["database"]["sha256"]),
            db_bytes=int(m["database"]["bytes"]),
            attachments=len(m["attachments"]),
            attachment_bytes=sum(int(a["bytes"]) for a in m["attachments"]),
            damaged_attachments=tuple(m.get("damaged_attachments", ())),
            live={str(k): int(v) for k, v in m["live"].items()} if m.get("live") else None,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackupError(f"{path.name} has no valid manifest ({exc})") from exc


def backup_before_migrate(path: Path, version: object) -> None:
    """``before_migrate`` hook of :func:`roasterdesk.store.db.open_database`: a verified backup
    in the default backup folder; if it cannot be made, the migration does not run."""
    try:
        create_backup(path, reason=BEFORE_MIGRATION)
    except (BackupError, OSError) as exc:
        raise BackupError(
            f"{path} needs an upgrade, but the backup that must come first failed: {exc}. "
            "The file was not changed."
        ) from exc


# -- reading backups ---------------------------------------------------------------------------
def _entry_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return f"a link ({name})"
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"an absolute path ({name})"
    if ".." in PurePosixPath(name).parts:
        return f"a path leading out of the folder ({name})"
    if name in (DB_ENTRY, MANIFEST_ENTRY):
        return None
    if name.startswith(ATTACHMENTS_PREFIX) and _ATTACHMENT_NAME.fullmatch(
        name[len(ATTACHMENTS_PREFIX):]
    ):
        return None
    return f"an unexpected entry ({name})"


def open_archive(path: Path | str) -> tuple[zipfile.ZipFile, dict[str, Any]]:
    """Open a backup and check every entry name *before* anything is extracted."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{path.name} is not a RoasterDesk backup ({exc}).") from exc
    try:
        seen: set[str] = set()
        for info in zf.infolist():
            problem = _entry_problem(info)
            if problem:
                raise BackupError(f"{path.name} is refused: it contains {problem}.")
            if info.filename in seen:
                raise BackupError(f"{path.name} is refused: {info.filename} appears twice.")
            seen.add(info.filename)
        if DB_ENTRY not in seen or MANIFEST_ENTRY not in seen:
            raise BackupError(f"{path.name} is not a RoasterDesk backup (no database or manifest).")
        size = zf.getinfo(MANIFEST_ENTRY).file_size
        if size > MAX_MANIFEST_BYTES:  # refused before it is inflated
            raise BackupError(f"{path.name} is refused: its manifest declares {size:,} bytes "
                              f"(at most {MAX_MANIFEST_BYTES:,}).")
        try:
            with zf.open(MANIFEST_ENTRY) as fh:
                text = fh.read(MAX_MANIFEST_BYTES + 1)
            if len(text) > MAX_MANIFEST_BYTES:
                raise ValueError("the manifest is larger than it declares")
            manifest = json.loads(text)
        except (ValueError, zipfile.BadZipFile) as exc:
            raise BackupError(f"{path.name} has no valid manifest ({exc})") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{path.name} was made by a RoasterDesk that writes another format.")
        return zf, manifest
    except BaseException:
        zf.close()
        raise


def read_info(path: Path | str) -> BackupInfo:
    """The manifest of a backup (cheap: nothing is extracted or verified)."""
    zf, manifest = open_archive(path)
    with zf:
        return _info(Path(path), manifest)


def list_backups(folder: Path | str) -> list[BackupInfo]:
    """Backups in ``folder``, newest first; unreadable files are left out."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for p in folder.glob("*.zip"):
        try:
            found.append(read_info(p))
        except BackupError:
            continue
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def _extract(zf: zipfile.ZipFile, name: str, dest: Path, limit: int | None = None) -> str:
    """Stream one entry to ``dest`` (hashed on the way); more than ``limit`` bytes is refused."""
    h = hashlib.sha256()
    done = 0
    with zf.open(name) as src, open(dest, "wb") as out:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            done += len(chunk)
            if limit is not None and done > limit:
                raise BackupError(f"{name} inflates to more than the {limit:,} bytes declared")
            h.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return h.hexdigest()


MAX_MANIFEST_BYTES = 16 * 1024 * 1024
"""A manifest lists counts and attachments: 16 MB is room for ~150,000 attachments."""
MAX_RATIO = 1000
"""Deflate inflates text at most ~1:1000; an entry that declares more is a bomb."""


def _check_sizes(zf: zipfile.ZipFile, info: BackupInfo, manifest: dict[str, Any], path: Path,
                 workdir: Path) -> None:
    """Entry sizes against the manifest, the compression ratio and the free space, before any
    entry is inflated."""
    entry = zf.getinfo(DB_ENTRY)
    if entry.file_size != info.db_bytes:
        raise BackupError(f"{path.name} is refused: its database entry declares "
                          f"{entry.file_size:,} bytes, its manifest {info.db_bytes:,}.")
    listed = {ATTACHMENTS_PREFIX + str(a["name"]): int(a["bytes"])
              for a in manifest["attachments"]}  # checked by _info
    for item in zf.infolist():
        if item.compress_size and item.file_size / item.compress_size > MAX_RATIO:
            raise BackupError(f"{path.name} is refused: {item.filename} would inflate "
                              f"{item.file_size / item.compress_size:,.0f} times.")
        if item.filename in listed and listed[item.filename] != item.file_size:
            raise BackupError(f"{path.name} is refused: {item.filename} declares another size "
                              "than its manifest.")
    free = shutil.disk_usage(workdir).free
    if entry.file_size > free:
        from .diagnosis import full

        raise full(workdir)


def verify_backup(
    path: Path | str, workdir: Path | str | None = None, *, key: bytes | None = None,
    keep: bool = False,
) -> tuple[BackupInfo, Path | None]:
    """Check a backup fully: entry names, database hash, integrity, counts, attachment hashes.

    With ``keep`` the verified database copy is left in ``workdir`` (which must then be given)
    and its path returned; otherwise it is deleted.
    """
    path = Path(path)
    zf, manifest = open_archive(path)
    info = _info(path, manifest)
    with zf, tempfile.TemporaryDirectory(dir=workdir, prefix=f".verify-{os.getpid()}-") as tmp:
        copy = Path(tmp) / DB_ENTRY
        _check_sizes(zf, info, manifest, path, Path(tmp))  # before anything is inflated
        try:
            digest = _extract(zf, DB_ENTRY, copy, limit=info.db_bytes)
            for name in zf.namelist():
                if name.startswith(ATTACHMENTS_PREFIX):
                    h = hashlib.sha256()
                    left = zf.getinfo(name).file_size
                    with zf.open(name) as fh:
                        while chunk := fh.read(_CHUNK):
                            left -= len(chunk)
                            if left < 0:
                                raise BackupError(f"{path.name}: {name} inflates to more than "
                                                  "it declares")
                            h.update(chunk)
                    base = name[len(ATTACHMENTS_PREFIX):]
                    if h.hexdigest() != base[:64] and base not in info.damaged_attachments:
                        raise BackupError(f"{path.name}: attachment {base} does not match its hash")
        except zipfile.BadZipFile as exc:
            raise BackupError(f"{path.name} is damaged ({exc}).") from exc
        if digest != info.db_sha256:
            raise BackupError(f"{path.name} is damaged: the database copy does not match its hash.")
        conn = _connector(key)(copy, True)
        try:
            check_integrity(conn, f"the database in {path.name}")
            counts = table_counts(conn)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"the database in {path.name} cannot be read: {exc}") from exc
        finally:
            conn.close()
        if counts != info.counts:
            raise BackupError(
                f"{path.name}: the database does not hold the rows its manifest lists.")
        if keep:
            if workdir is None:
                raise ValueError("keep=True needs a workdir")
            kept = Path(workdir) / f".verified-{os.getpid()}-{path.stem}.sqlite"
            os.replace(copy, kept)
            return info, kept
    return info, None


def newest_verified_backup(
    db_path: Path | str, folder: Path | str | None = None, *, key: bytes | None = None
) -> BackupInfo | None:
    """The newest backup of ``db_path`` that passes :func:`verify_backup` (or None)."""
    folder = Path(folder) if folder is not None else default_backup_dir(db_path)
    key = key if key is not None else known_key(db_path)
    for info in list_backups(folder):
        try:
            verify_backup(info.path, key=key)
        except BackupError:
            continue
        return info
    return None


def describe(info: BackupInfo) -> str:
    """One line for lists: local time, reason, record count, attachments, size."""
    size = (info.db_bytes + info.attachment_bytes) / 1e6
    return (f"{info.local_time:%Y-%m-%d %H:%M}  {info.reason:<16} {info.records:>8,} records  "
            f"{info.attachments:>5} attachments  {size:,.1f} MB")


__all__ = [
    "BackupError", "BackupInfo", "RestoreResult", "RotationPolicy", "create_backup",
    "list_backups", "newest_verified_backup", "verify_backup",
    "read_info", "backup_before_migrate",
]
