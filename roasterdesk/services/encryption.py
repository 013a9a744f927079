"""Encrypting a database, and keeping its key: OS keyring, passphrase, printable recovery key.

The database key is 32 random bytes (:mod:`roasterdesk.store.cipher`). It is kept

1. in the OS keyring (``keyring``: macOS Keychain, Windows Credential Locker, Secret Service)
   under service ``RoasterDesk`` and the database's id (SQLCipher's salt, the file's first 16
   bytes — stable when the file is moved or copied); or, where no keyring exists,
2. wrapped with a passphrase in ``<database>.key.json`` beside it: scrypt (n=2^15, r=8, p=1) of
   the passphrase and a random salt gives 64 bytes; the first 32 are XORed with the key, the
   other 32 authenticate it (HMAC-SHA256), so a wrong passphrase is told apart from damage.
   The file alone does not reveal the key.

The **recovery key** is the database key printed as 11 groups of 5 letters/digits (base32 of
the key plus a 2-byte checksum, so a typo is caught). Whoever holds it can open the database
anywhere: print it and keep it apart from the laptop.

An encrypted file cannot be read by plain SQLite. Backups of an encrypted database are
encrypted with the same key. Older, unencrypted backups stay readable: delete them once the
encrypted ones exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path

from ..errors import UserError
from ..store import cipher
from ..store.cipher import KEY_BYTES, WrongKeyError

log = logging.getLogger(__name__)

SERVICE = "RoasterDesk"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


# -- recovery key --------------------------------------------------------------------------------
def recovery_key(key: bytes) -> str:
    raw = key + hashlib.sha256(key).digest()[:2]
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i:i + 5] for i in range(0, len(text), 5))


def parse_recovery_key(text: str) -> bytes:
    cleaned = "".join(c for c in text.upper() if c.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES + 2 or hashlib.sha256(raw[:KEY_BYTES]).digest()[:2] != raw[KEY_BYTES:]:
        raise UserError("this is not a valid recovery key (check it for a typo)")
    return raw[:KEY_BYTES]


# -- passphrase-wrapped key ----------------------------------------------------------------------
def key_file_for(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".key.json")


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=64,
                          maxmem=128 * 1024 * 1024)


def wrap_key(key: bytes, passphrase: str) -> dict[str, object]:
    if len(passphrase) < 8:
        raise UserError("a passphrase needs at least 8 characters")
    salt = secrets.token_bytes(16)
    d = _derive(passphrase, salt, **_SCRYPT)
    wrapped = bytes(a ^ b for a, b in zip(key, d[:32], strict=True))
    mac = hmac.new(d[32:], wrapped, hashlib.sha256).hexdigest()
    return {"format": 1, "kdf": "scrypt", **_SCRYPT, "salt": salt.hex(),
            "wrapped": wrapped.hex(), "mac": mac}


def unwrap_key(data: dict[str, object], passphrase: str) -> bytes:
    try:
        salt, wrapped = bytes.fromhex(str(data["salt"])), bytes.fromhex(str(data["wrapped"]))
        d = _derive(passphrase, salt, int(data["n"]), int(data["r"]), int(data["p"]))  # type: ignore[call-overload]
        mac = str(data["mac"])
    except (KeyError, ValueError, TypeError) as exc:
        raise UserError(f"the key file is damaged ({exc}); use the recovery key") from exc
    if not hmac.compare_digest(hmac.new(d[32:], wrapped, hashlib.sha256).hexdigest(), mac):
        raise WrongKeyError("the passphrase is not right for this database")
    return bytes(a ^ b for a, b in zip(wrapped, d[:32], strict=True))


def save_key_file(db_path: Path | str, key: bytes, passphrase: str) -> Path:
    path = key_file_for(db_path)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(wrap_key(key, passphrase)))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)
    return path


def key_from_file(db_path: Path | str, passphrase: str) -> bytes:
    path = key_file_for(db_path)
    if not path.exists():
        raise UserError(f"{path.name} is missing; open the database with its recovery key")
    return unwrap_key(json.loads(path.read_text()), passphrase)


# -- OS keyring ----------------------------------------------------------------------------------
def keyring_available() -> bool:
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return False
    kr = keyring.get_keyring()
    return not isinstance(kr, fail.Keyring) and getattr(kr, "priority", 0) > 0


def save_key_to_keyring(db_path: Path | str, key: bytes) -> None:
    import keyring

    keyring.set_password(SERVICE, cipher.salt(Path(db_path)), key.hex())


def key_from_keyring(db_path: Path | str) -> bytes | None:
    if not keyring_available():
        return None
    import keyring

    value = keyring.get_password(SERVICE, cipher.salt(Path(db_path)))
    return bytes.fromhex(value) if value else None


# -- whole-file operations -----------------------------------------------------------------------
def is_encrypted(db_path: Path | str) -> bool:
    """True for an existing, non-empty file that is not plain SQLite but has a key file or a
    keyring entry (random bytes are not called encrypted)."""
    path = Path(db_path)
    if not path.is_file() or path.stat().st_size == 0 or cipher.is_plain_sqlite(path):
        return False
    return key_file_for(path).exists() or key_from_keyring(path) is not None


def encrypting_path(db_path: Path | str) -> Path:
    """The encrypted copy while it is made (beside the database; gone once it took the path)."""
    path = Path(db_path)
    return path.with_name(f".{path.name}.encrypting")


def encrypt_database(db_path: Path | str, key: bytes,
                     keep_key: Callable[[Path], None] | None = None) -> Path:
    """Replace a plain database by an encrypted copy (verified first: integrity and counts).

    Order, so that a crash at any moment leaves a file that opens: the copy is made and checked
    beside the database; ``keep_key(copy)`` then puts the key material on disk (key file or
    keyring entry: the keyring is keyed by the copy's salt, the same bytes the file will have);
    only then does the copy take the path (``os.replace``). An interrupted encrypt leaves the
    plain file in place and the copy beside it, which :func:`finish_interrupted` removes at the
    next start. A database from a newer RoasterDesk is refused, unchanged.

    The plain file is deleted afterwards (on SSDs its blocks may survive until reused)."""
    from ..store.db import check_compatible, read_file_version
    from ..store.faults import fault_point
    from .backup import check_integrity, table_counts
    from .lock import writer_lock

    path = Path(db_path)
    if not path.is_file() or not cipher.is_plain_sqlite(path):
        raise UserError(f"{path} is not a plain RoasterDesk database")
    tmp = encrypting_path(path)
    with writer_lock(path, "roasterdesk encrypt"):
        check_compatible(path, read_file_version(path))  # never rewrite a newer database
        tmp.unlink(missing_ok=True)
        import sqlite3

        plain = sqlite3.connect(path)
        try:
            plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            before = table_counts(plain)
        finally:
            plain.close()
        cipher.export(path, tmp, src_key=None, dest_key=key)
        conn = cipher.raw_connect(tmp, key)
        try:
            check_integrity(conn, "the encrypted copy")
            after = table_counts(conn)
        finally:
            conn.close()
        if after != before:
            tmp.unlink()
            raise UserError("the encrypted copy does not hold the same rows; nothing was changed")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if keep_key is not None:
            keep_key(tmp)  # key material on disk before the encrypted file takes the path
        fault_point("encrypt:key-kept")
        for side in ("-wal", "-shm"):
            Path(str(path) + side).unlink(missing_ok=True)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        fault_point("encrypt:replaced")
    log.info("%s encrypted (the encrypted copy verified: integrity and counts)", path)
    return path


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def finish_interrupted(db_path: Path | str) -> str | None:
    """At start: an encrypt that was killed before its copy took the path is rolled back (the
    plain database is still in place, the copy is removed). A message for the user, or None."""
    path = Path(db_path)
    tmp = encrypting_path(path)
    if not tmp.exists():
        return None
    if path.is_file() and cipher.is_plain_sqlite(path):
        tmp.unlink()
        stale = key_file_for(path)
        if stale.exists() and cipher.is_plain_sqlite(path):
            stale.unlink()  # written for the copy that never took the path
        return (f"an encryption of {path.name} was interrupted; it was rolled back and the "
                "database is still unencrypted (run encrypt again).")
    if not path.exists():  # the copy was complete and its key kept: finish the step
        os.replace(tmp, path)
        return f"an interrupted encryption of {path.name} was finished."
    tmp.unlink()
    return None


def change_passphrase(db_path: Path | str, key: bytes, passphrase: str) -> Path:
    """Write (or rewrite) the passphrase key file for ``key`` (after checking the key fits)."""
    cipher.raw_connect(db_path, key, readonly=True).close()
    return save_key_file(db_path, key, passphrase)


def unlock_headless(db_path: Path | str, ask: Callable[[str], str] | None = None) -> bool:
    """For commands: find the key of an encrypted database (keyring, else a typed passphrase or
    recovery key) and remember it for this process. False if the file is not known to be
    encrypted (plain, missing, or no key file / keyring entry: then nothing is asked)."""
    path = Path(db_path)
    if not cipher.available() or not is_encrypted(path):
        return False
    if cipher.known_key(path) is not None:
        return True
    key = key_from_keyring(path)
    if key is None:
        import getpass

        answer = (ask or getpass.getpass)(f"Passphrase or recovery key for {path.name}: ")
        try:
            key = parse_recovery_key(answer)
        except UserError:
            key = key_from_file(path, answer)
    cipher.raw_connect(path, key, readonly=True).close()  # WrongKeyError if it does not fit
    cipher.remember_key(path, key)
    return True


def plain_leftovers(db_path: Path | str) -> list[str]:
    """What stays readable without the key after ``db_path`` was encrypted, one line each with
    its path: earlier ``.before-restore``/``.before-migration`` copies of the database, backups
    whose database is not encrypted, and the attachments folder (photos are not encrypted, in
    the folder or inside backups). Empty when nothing is left plain."""
    from .backup import BackupError, attachments_dir_for, default_backup_dir, open_archive

    path = Path(db_path)
    out = []
    for copy in sorted(path.parent.glob(f"{path.name}.before-*")):
        if copy.is_file() and cipher.is_plain_sqlite(copy):
            out.append(f"an earlier copy of the database: {copy}")
    folder = default_backup_dir(path)
    plain_backups = 0
    for zip_path in folder.glob("*.zip") if folder.is_dir() else ():
        try:
            zf, manifest = open_archive(zip_path)
        except BackupError:
            continue
        zf.close()
        plain_backups += not manifest.get("encrypted")
    if plain_backups:
        out.append(f"{plain_backups} backup(s) made before encrypting, in {folder}")
    att = attachments_dir_for(path)
    files = [f for f in att.iterdir() if f.is_file()] if att.is_dir() else []
    if files:
        out.append(f"{len(files)} photo(s) and other attachment(s) in {att} "
                   "(also inside every backup)")
    return out
