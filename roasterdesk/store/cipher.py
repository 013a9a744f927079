"""Encryption at rest: the same database, encrypted page by page with SQLCipher.

Optional: needs the ``sqlcipher3`` package (``pip install 'roasterdesk[encryption]'``, which
installs the self-contained ``sqlcipher3-binary`` wheel). The key is 32 random bytes given to
SQLCipher as a raw key (no passphrase derivation here: :mod:`roasterdesk.services.encryption`
keeps the key in the OS keyring or wraps it with a passphrase, and prints a recovery key).

sqlite-utils works on a SQLCipher connection (``Database(conn)``), with two cautions that this
module and the store handle:

- sqlite-utils catches ``sqlite3.OperationalError`` (or ``pysqlite3``'s, when that is
  importable) in a few helpers; SQLCipher raises its own classes, which those ``except`` clauses
  do not see. The store therefore uses only helpers that were tested on an encrypted database
  (tests/safety/test_encryption.py), and catches :func:`integrity_errors` itself.
- A wrong key surfaces only at the first read, as "file is not a database": :func:`raw_connect`
  reads at once and turns it into :class:`WrongKeyError`.

:func:`open_encrypted` follows :func:`roasterdesk.store.db.open_database` step by step (version
read first and a newer database refused, ``quick_check``, a verified backup before migrating,
all pending migrations in one transaction, then WAL with ``synchronous=FULL``).
"""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .db import (
    CACHE_PRAGMA,
    FileVersion,
    check_compatible,
    migrate_and_settle,
    open_database,
    verified_backup_first,
)
from .errors import DamagedDatabaseError, NotADatabaseError, StoreError
from .schema import MIGRATION_SET

if TYPE_CHECKING:
    from sqlite_utils import Database

    from .db import AnyDatabase

KEY_BYTES = 32
INSTALL_HINT = "install RoasterDesk with encryption: pip install 'roasterdesk[encryption]'"


class WrongKeyError(StoreError):
    """The key (or passphrase, or recovery key) does not open this database."""


class EncryptionUnavailable(StoreError):
    pass


def available() -> bool:
    return importlib.util.find_spec("sqlcipher3") is not None


def _module() -> Any:
    try:
        import sqlcipher3
    except ImportError as exc:
        raise EncryptionUnavailable(f"this database is encrypted; {INSTALL_HINT}") from exc
    return sqlcipher3


_KEYS: dict[str, bytes] = {}


def remember_key(path: Path | str, key: bytes) -> None:
    """Let every later ``Store.open(path)`` / backup in this process use ``key`` (the app does
    this once after asking; worker connections then open the file like a plain one)."""
    _KEYS[str(Path(path).resolve())] = key


def known_key(path: Path | str) -> bytes | None:
    return _KEYS.get(str(Path(path).resolve())) if _KEYS else None


def open_any(
    path: Path | str,
    *,
    create: bool = True,
    before_migrate: Callable[[Path, FileVersion], None] | None = verified_backup_first,
    key: bytes | None = None,
    check: bool = True,
) -> AnyDatabase:
    """Open a plain or an encrypted database: with ``key``, or a key remembered for ``path``
    in this process (:func:`remember_key`), through :func:`open_encrypted`; else through
    :func:`roasterdesk.store.db.open_database`. ``check=False``: see ``open_database`` (an
    encrypted database is always checked at open)."""
    key = key if key is not None else known_key(path)
    if key is not None:
        hook = "backup" if before_migrate is verified_backup_first else before_migrate
        return open_encrypted(path, key, create=create, before_migrate=hook)
    return open_database(path, create=create, before_migrate=before_migrate, check=check)


def integrity_errors() -> tuple[type[Exception], ...]:
    """``IntegrityError`` of every SQLite driver in use (stdlib, and SQLCipher if loaded)."""
    mod = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.IntegrityError, mod.IntegrityError) if mod else (sqlite3.IntegrityError,)


def database_errors() -> tuple[type[Exception], ...]:
    mod = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.DatabaseError, mod.DatabaseError) if mod else (sqlite3.DatabaseError,)


def key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("an encryption key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def raw_connect(path: Path | str, key: bytes, *, readonly: bool = False,
                check_same_thread: bool = True) -> Any:
    """A SQLCipher DB-API connection on ``path`` opened with ``key`` (checked at once)."""
    mod = _module()
    path = Path(path)
    if readonly:
        conn = mod.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=10,
                           isolation_level=None, check_same_thread=check_same_thread)
    else:
        conn = mod.connect(str(path), timeout=10, isolation_level=None,
                           check_same_thread=check_same_thread)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is our message, not a log
        conn.execute(key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except mod.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise WrongKeyError(
                f"{path} could not be opened: the key does not fit (or the file is not an "
                "encrypted RoasterDesk database)."
            ) from None
        if "malformed" in str(exc):  # a page of the schema is damaged
            raise DamagedDatabaseError(
                f"{path} is damaged ({exc}). It can be moved aside and the newest backup "
                "restored.") from exc
        raise StoreError(f"{path} could not be opened: {exc}") from exc
    return conn


def read_version(conn: Any) -> FileVersion:
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    applied: tuple[str, ...] = ()
    if "_sqlite_migrations" in tables:
        applied = tuple(r[0] for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            [MIGRATION_SET]))
    app_version = None
    if "meta" in tables:
        row = conn.execute("SELECT value FROM meta WHERE key='app_version'").fetchone()
        app_version = row[0] if row else None
    return FileVersion(user_version, applied, app_version)


def connect(path: Path | str, key: bytes) -> Database:
    from sqlite_utils import Database

    db = Database(raw_connect(path, key, check_same_thread=False), execute_plugins=False)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    db.execute(CACHE_PRAGMA)
    return db


def open_encrypted(
    path: Path | str,
    key: bytes,
    *,
    create: bool = True,
    before_migrate: Callable[[Path, FileVersion], None] | None | str = "backup",
) -> Database:
    """Open (create, upgrade) an encrypted RoasterDesk database; see the module text."""
    path = Path(path)
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        raise StoreError(f"{path} does not exist.")
    if exists:
        ro = raw_connect(path, key, readonly=True)
        try:
            version = read_version(ro)
            check_compatible(path, version)
            rows = [r[0] for r in ro.execute("PRAGMA quick_check(5)")]
        except database_errors() + (MemoryError,) as exc:  # a damaged page can read as NOMEM
            raise DamagedDatabaseError(f"{path} is damaged ({exc or 'out of memory'}).") from exc
        finally:
            ro.close()
        if rows != ["ok"]:
            first = " ".join(str(rows[0]).replace("*** in database main ***", "").split())
            raise DamagedDatabaseError(f"{path} is damaged ({first}).")
    else:
        if not path.parent.exists():
            raise StoreError(f"the folder {path.parent} does not exist.")
        version = FileVersion(0, (), None)
    if before_migrate == "backup":
        def before_migrate(p: Path, v: FileVersion) -> None:
            from .backup import BEFORE_MIGRATION, create_backup

            create_backup(p, reason=BEFORE_MIGRATION, key=key)

    db = connect(path, key)
    migrate_and_settle(db, lambda: db, path, version, exists,
                       before_migrate if callable(before_migrate) else None, database_errors())
    return db


def export(src: Path, dest: Path, *, src_key: bytes | None, dest_key: bytes | None) -> None:
    """Copy a whole database into a new file with another key (None = not encrypted), using
    ``sqlcipher_export``; ``user_version`` is carried over."""
    mod = _module()
    if dest.exists():
        raise StoreError(f"{dest} exists already")
    conn = raw_connect(src, src_key) if src_key else mod.connect(str(src), isolation_level=None)
    try:
        target = f"x'{dest_key.hex()}'" if dest_key else ""
        conn.execute("ATTACH DATABASE ? AS target KEY ?", [str(dest), target])
        conn.execute("SELECT sqlcipher_export('target')")
        uv = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA target.user_version = {int(uv)}")
        conn.execute("DETACH DATABASE target")
    except mod.DatabaseError as exc:
        raise StoreError(f"{src} could not be copied: {exc}") from exc
    finally:
        conn.close()


def is_plain_sqlite(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def salt(path: Path) -> str:
    """The first 16 bytes of an encrypted file (SQLCipher's random salt) as hex: a stable id of
    the database, used to find its key in the keyring even after the file moved."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head == b"SQLite format 3\x00" or len(head) < 16:
        raise NotADatabaseError(f"{path} is not an encrypted database.")
    return head.hex()
