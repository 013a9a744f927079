"""Opening a RoasterDesk database safely.

Order of work at open, chosen so that a refused or failed open never changes the file:
1. the file is checked **read-only** (header, ``user_version``, recorded migrations): a database
   from a newer RoasterDesk is refused before anything is written;
2. pending migrations run, each in its own transaction (a failure rolls back; with a rollback
   journal or WAL the main file is left as it was); ``before_migrate`` is called first so that a
   backup can be taken — by default a verified backup (:func:`roasterdesk.store.backup.
   backup_before_migrate`, imported lazily, so that no caller can forget it; pass
   ``before_migrate=None`` to skip it). All pending migrations run
   in one outer transaction, so a failing one leaves the file byte-identical;
3. only then the connection switches to WAL with ``synchronous=FULL`` and foreign keys on.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias
from urllib.parse import quote

from .. import __version__
from .errors import (
    DamagedDatabaseError,
    EmptyDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    StoreError,
)
from .faults import FAULT_ENV, fault_point
from .schema import MIGRATION_SET, SCHEMA_COMPAT, known_migrations, migrations
from .seal import check_seal

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from sqlite_utils import Database

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileVersion:
    """What a database file says about the RoasterDesk that wrote it."""

    user_version: int
    applied: tuple[str, ...]
    app_version: str | None

    @property
    def unknown_migrations(self) -> tuple[str, ...]:
        known = set(known_migrations())
        return tuple(m for m in self.applied if m not in known)

    @property
    def empty(self) -> bool:
        return not self.applied


def _ro_uri(path: Path, immutable: bool = False) -> str:
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    return uri + "&immutable=1" if immutable else uri


def read_file_version(path: Path) -> FileVersion:
    """Read the version marks of an existing database without writing anything."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        from .diagnosis import diagnose

        raise (diagnose(exc, path) or exc) from exc
    if header != SQLITE_HEADER:
        raise NotADatabaseError(
            f"{path} is not a RoasterDesk database (it is not an SQLite file, or it is damaged)."
        )
    last_error: Exception | None = None
    # Without a -wal (or hot -journal) beside it, read the file as immutable: a plain read-only
    # connection to a WAL database would leave new -wal/-shm files behind, even when refused.
    wal = any(path.with_name(path.name + s).exists() for s in ("-wal", "-journal"))
    for immutable in ((False, True) if wal else (True, False)):
        try:
            conn = sqlite3.connect(_ro_uri(path, immutable), uri=True)
            try:
                user_version = conn.execute("PRAGMA user_version").fetchone()[0]
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
                applied: tuple[str, ...] = ()
                if "_sqlite_migrations" in tables:
                    applied = tuple(
                        r[0]
                        for r in conn.execute(
                            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? "
                            "ORDER BY rowid",
                            [MIGRATION_SET],
                        )
                    )
                app_version = None
                if "meta" in tables:
                    row = conn.execute("SELECT value FROM meta WHERE key='app_version'").fetchone()
                    app_version = row[0] if row else None
                return FileVersion(user_version, applied, app_version)
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            last_error = exc
    from .diagnosis import diagnose  # a full disk or a read-only folder is not damage

    known = diagnose(last_error, path) if last_error is not None else None
    if known is not None:
        raise known from last_error
    if getattr(last_error, "sqlite_errorcode", None) == 11 or "malformed" in str(last_error):
        check_seal(path)  # says when the file changed at rest, if it was sealed
        raise DamagedDatabaseError(  # SQLITE_CORRUPT: a database, damaged (its schema pages)
            f"{path} is damaged ({last_error}). It can be moved aside and the newest backup "
            "restored.")
    raise NotADatabaseError(f"{path} cannot be read as a database: {last_error}")


def check_compatible(path: Path, version: FileVersion) -> None:
    if version.user_version > SCHEMA_COMPAT or version.unknown_migrations:
        writer = version.app_version or f"a newer version (schema {version.user_version})"
        details = [f"file schema {version.user_version}"] if version.app_version else []
        if version.unknown_migrations:
            details.append("unknown schema steps: " + ", ".join(version.unknown_migrations))
        detail = "; ".join(details)
        raise NewerDatabaseError(
            str(path),
            writer,
            f"{__version__} (schema {SCHEMA_COMPAT})",
            detail,
        )


_CHECKED: dict[str, tuple[int, int, int]] = {}
"""Files that passed :func:`quick_check` in this process, with (inode, size, mtime) then."""
_CHECKING: dict[str, threading.Lock] = {}
_CHECKING_GUARD = threading.Lock()


def _mark_of(path: Path) -> tuple[str, tuple[int, int, int]]:
    st = path.stat()
    return str(path.resolve()), (st.st_ino, st.st_size, st.st_mtime_ns)


def is_checked(path: Path | str) -> bool:
    """True if ``path`` passed :func:`quick_check` in this process and has not changed since."""
    key, mark = _mark_of(Path(path))
    return _CHECKED.get(key) == mark


def quick_check(path: Path) -> None:
    """``PRAGMA quick_check`` on a read-only connection; a damaged file raises
    :class:`DamagedDatabaseError` (one line for the user).

    It reads the whole file (0.7 s for the 343 MB ``large`` demo), so a file that passed in this
    process and has not changed since (same inode, size and mtime: with WAL the main file only
    changes at checkpoints) is not checked again — worker connections open at no cost. Callers
    on several threads wait for one check instead of each reading the whole file (the app runs
    it in the background after start-up while pages open worker connections)."""
    key = str(Path(path).resolve())
    with _CHECKING_GUARD:
        lock = _CHECKING.setdefault(key, threading.Lock())
    with lock:
        _quick_check(Path(path))


def _quick_check(path: Path) -> None:
    key, mark = _mark_of(path)
    if _CHECKED.get(key) == mark:
        return
    check_seal(path)  # a flipped byte inside a record, which quick_check cannot see
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        from .diagnosis import diagnose  # the environment, not the file: no restore offered

        known = diagnose(exc, path)
        if known is not None:
            raise known from exc
        rows = [str(exc)]
    if rows != ["ok"]:
        first = " ".join(str(rows[0]).replace("*** in database main ***", "").split())
        raise DamagedDatabaseError(
            f"{path} is damaged ({first}). It can be moved aside and the newest backup restored."
        )
    _CHECKED[key] = mark


def refuse_empty_beside_backups(path: Path) -> None:
    """A 0-byte or missing database with backups of it beside it is never made into a new,
    empty one: :class:`EmptyDatabaseError` names the newest verified backup."""
    from .backup import default_backup_dir, newest_verified_backup

    folder = default_backup_dir(path)
    if not folder.is_dir() or not any(folder.glob("*.zip")):
        return
    state = "is empty (0 bytes)" if path.exists() else "is missing"
    newest = newest_verified_backup(path, folder)
    if newest is None:
        raise EmptyDatabaseError(
            f"{path} {state}, and none of the backups in {folder} could be verified; it was "
            "not replaced by a new, empty database. Move the file and the backups folder away "
            "to start anew.")
    raise EmptyDatabaseError(
        f"{path} {state}; the newest verified backup is {newest.path} "
        f"({newest.local_time:%Y-%m-%d %H:%M}, {newest.records:,} records). Restore it with "
        f"`roasterdesk restore \"{newest.path}\"`; the file was not replaced by a new, empty "
        "database.")


def verified_backup_first(path: Path, version: FileVersion) -> None:
    from .backup import backup_before_migrate

    backup_before_migrate(path, version)


class LazyDatabase:
    """A connection whose sqlite-utils :class:`~sqlite_utils.Database` is made on first need.

    ``execute``, ``conn`` and ``close`` — all that reading needs — work without importing
    sqlite-utils (with click, pluggy and dateutil it cost 60 ms of every start-up of the app);
    anything else (``atomic``, ``table``, ``query``…) is the Database's own, built on this same
    connection. The connection is in autocommit mode (``isolation_level=None``), where no
    statement opens an implicit transaction, so ``execute`` here does what sqlite-utils' does."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._db: Database | None = None

    @property
    def database(self) -> Database:
        if self._db is None:
            from sqlite_utils import Database

            # no plugins: nothing installed beside the app may change its connections (and
            # looking them up in package metadata cost 17 ms)
            self._db = Database(self.conn, execute_plugins=False)
        return self._db

    def execute(self, sql: str,
                parameters: Sequence[Any] | dict[str, Any] | None = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def atomic(self) -> AbstractContextManager[Database]:
        return self.database.atomic()

    def close(self) -> None:
        self.conn.close()

    def __getitem__(self, table: str) -> Any:  # db["lot"], as on a Database
        return self.database[table]

    def __enter__(self) -> LazyDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # e.g. a copy without __init__: never recurse into database
            raise AttributeError(name)
        return getattr(self.database, name)


if TYPE_CHECKING:
    AnyDatabase: TypeAlias = Database | LazyDatabase


CACHE_PRAGMA = "PRAGMA cache_size = -65536"
"""Up to 64 MiB of pages kept per connection (SQLite's default is 2 MiB): a bulk write (an
import, a join) touches the lots, their change log, the lot figures and a dozen indexes in one
transaction; with 2 MiB their pages were written out and read back many times (an import of
100,000 lots spent a quarter less time with 64 MiB). Only pages read are held."""


def connect(path: Path | str) -> LazyDatabase:
    """A connection on ``path`` with RoasterDesk's pragmas (no migration)."""
    conn = sqlite3.connect(str(path), timeout=10, isolation_level=None, check_same_thread=False)
    db = LazyDatabase(conn)
    db.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute(CACHE_PRAGMA)
    if os.environ.get(FAULT_ENV) == "sqlite-full":  # crash tests: a disk that is full now
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {max(int(pages), 1)}")
    return db


def is_empty(db: AnyDatabase) -> bool:
    """No producer yet: a new database (the app offers the demo data on its first start)."""
    return int(db.execute("SELECT count(*) FROM producers").fetchone()[0]) == 0


def set_durable(db: AnyDatabase) -> None:
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() not in ("wal", "memory"):
        raise StoreError(f"the database cannot use write-ahead logging (journal mode {mode})")
    db.execute("PRAGMA synchronous = FULL")


def open_database(
    path: Path | str,
    *,
    create: bool = True,
    before_migrate: Callable[[Path, FileVersion], None] | None = verified_backup_first,
    check: bool = True,
) -> LazyDatabase:
    """Open (and if needed create or upgrade) a RoasterDesk database.

    ``check=False`` leaves out :func:`quick_check` (and the seal) when no migration is pending:
    the caller promises to run it soon (the app does, in the background, once its window is
    shown; :func:`is_checked` tells whether it ran). A file with pending migrations is always
    checked first.

    Raises :class:`NewerDatabaseError` for a database from a newer RoasterDesk,
    :class:`NotADatabaseError` for a file that is not one, :class:`StoreError` for a missing file
    when ``create`` is false. The file is untouched whenever an error is raised before migrating.
    """
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists:
        refuse_empty_beside_backups(path)
    if not exists and not create:
        raise StoreError(f"the database {path} does not exist (create an empty one with "
                         f"`roasterdesk init --db {path}`).")
    if exists:
        version = read_file_version(path)
        check_compatible(path, version)
        if check or any(n not in version.applied for n in known_migrations()):
            quick_check(path)
    else:
        if not path.parent.exists():
            raise StoreError(f"the folder {path.parent} does not exist.")
        version = FileVersion(0, (), None)
    db = connect(path)
    migrate_and_settle(db, lambda: db.database, path, version, exists, before_migrate,
                       (sqlite3.DatabaseError,))
    return db


def migrate_and_settle(
    db: AnyDatabase,
    full: Callable[[], Database],
    path: Path,
    version: FileVersion,
    exists: bool,
    before_migrate: Callable[[Path, FileVersion], None] | None,
    errors: tuple[type[Exception], ...],
) -> None:
    """The end of every open, plain or encrypted: back up, apply all pending migrations in one
    transaction, then switch to WAL. On any error the connection is closed and nothing of the
    migrations is kept. ``full`` gives the sqlite-utils Database (built only when migrating)."""
    try:
        todo = [n for n in known_migrations() if n not in version.applied]
        if todo and exists and not version.empty and before_migrate is not None:
            before_migrate(path, version)
        if todo:
            from .lock import held_here, writer_lock  # a migration is a write: one writer

            d = full()
            # a new file is not yet anybody else's (the demo builds one beside its target)
            lock = (nullcontext() if held_here(path) or not exists
                    else writer_lock(path, "roasterdesk (upgrading the file)"))
            with lock, d.atomic():
                migrations.apply(d)
                d.execute(f"PRAGMA user_version = {SCHEMA_COMPAT}")
                d.table("meta").upsert({"key": "app_version", "value": __version__}, pk="key")
                fault_point("migrate:applied")  # crash tests: all applied, not committed
            log.info("%s: schema steps applied: %s", path, ", ".join(todo))
        set_durable(db)
    except errors as exc:
        db.close()
        from .diagnosis import diagnose

        log.warning("%s: not opened (%s)", path, exc)
        raise (diagnose(exc, path) or StoreError(f"{path} could not be opened: {exc}")) from exc
    except BaseException:
        db.close()
        raise


def default_db_path() -> Path:
    """``ROASTERDESK_DB`` if set, else ``roasterdesk.sqlite`` in the user's data folder."""
    env = os.environ.get("ROASTERDESK_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("RoasterDesk", appauthor=False) / "roasterdesk.sqlite"
