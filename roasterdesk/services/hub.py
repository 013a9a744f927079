"""The team hub's connection and set-up: the URL (its password kept in the keyring), psycopg's
connection, the versioned hub schema (``server init``), roles (``server add-user``), and the
hub URL remembered per database (:mod:`roasterdesk.services.sync` uses them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from ..errors import UserError
from .hub_schema import ADVISORY_LOCK_INIT, HUB_SCHEMA_VERSION, SCHEMA_V1, roles_sql

if TYPE_CHECKING:
    from ..store import Store

KEYRING_SERVICE = "roasterdesk-hub"


class HubError(UserError):
    """The hub cannot be reached or refuses (one line for the command line)."""


class HubUnreachable(HubError):
    """The hub cannot be reached (no network, the server down): working offline, which is
    normal. Any other :class:`HubError` is a refusal a person must act on (a wrong password, a
    hub of another version), never shown as "offline"."""


# -- URL and password ---------------------------------------------------------------------
def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (None when absent)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    user = quote(unquote(parts.username or ""), safe="")
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query,
                       parts.fragment)), unquote(parts.password)


def keyring_key(url: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    host = parts.hostname or query.get("host", "")
    return f"{unquote(parts.username or '')}@{host}:{parts.port or ''}{parts.path}"


def remember_password(url: str, password: str) -> str:
    """Keep the password in the system keyring; returns "" or why it could not be kept."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, keyring_key(url), password)
    except Exception as exc:  # no keyring backend (a headless machine), or one that refuses
        return (f"the password was not kept ({_first_line(exc)}): give it in the hub URL at "
                "each sync, or keep it in a .pgpass file or PGPASSWORD")
    return ""


def check_url(url: str) -> None:
    """A hub URL is ``postgresql://…`` (or ``postgres://``): anything else is refused before
    any connection, and never remembered."""
    scheme = urlsplit(url.strip()).scheme.lower()
    if scheme not in ("postgresql", "postgres"):
        raise HubError(f"not a hub URL: {url.split('@')[-1]!r} (a hub URL reads "
                       "postgresql://USER@HOST/DATABASE)")


def stored_password(url: str) -> str | None:
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, keyring_key(url))
    except Exception:  # no keyring backend: connect without (trust, .pgpass, PGPASSWORD)
        return None


def connect(url: str) -> Any:
    """A psycopg connection to the hub (``sslmode=verify-full`` and the rest pass through)."""
    try:
        import psycopg
    except ImportError as exc:
        raise HubError("team sync needs psycopg: pip install 'roasterdesk[sync]'") from exc
    bare, password = split_password(url)
    password = password or stored_password(bare)
    kwargs: dict[str, Any] = {"connect_timeout": 10}
    if password:
        kwargs["password"] = password
    try:
        return psycopg.connect(bare, **kwargs)
    except psycopg.OperationalError as exc:
        said = _server_said(exc)
        if said:  # the server answered: a login or database it refuses, not "offline"
            raise HubError(f"the hub refused the connection ({said}): check the user name, "
                           "password and database of the hub URL; 'roasterdesk sync --hub "
                           "URL' keeps a new one") from exc
        raise HubUnreachable(f"the hub cannot be reached ({_first_line(exc)}); working "
                             "offline is fine, sync again later") from exc


_BUSY = ("starting up", "shutting down", "in recovery mode", "too many clients",
         "too many connections", "not accepting connections")
"""A server that answers but cannot take a connection now: offline for the moment, not a refusal
a person must act on."""


def _server_said(exc: BaseException) -> str:
    """The server's own refusal in a failed connection's message (libpq's "FATAL:  password
    authentication failed for user …"), else "" (no answer, or a server busy starting, stopping
    or full: the hub cannot be reached now)."""
    for line in str(exc).splitlines():
        _, fatal, said = line.partition("FATAL:")
        if fatal:
            return "" if any(b in said.lower() for b in _BUSY) else said.strip()
    return ""


def lost_connection(exc: BaseException) -> bool:
    """A psycopg error mid-sync that means the hub went away (SQLSTATE class 08, connection
    exception; none at all when the socket closed; an administrator's shutdown, 57P01–57P03),
    rather than an error of the hub a person must see (a full disk, a statement timeout)."""
    state = getattr(exc, "sqlstate", None)
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- hub schema ------------------------------------------------------------------------------
def hub_version(conn: Any) -> int | None:
    row = conn.execute("SELECT to_regclass('roasterdesk.hub_meta')").fetchone()
    if row[0] is None:
        return None
    got = conn.execute(
        "SELECT value FROM roasterdesk.hub_meta WHERE key = 'schema_version'").fetchone()
    return int(got[0]) if got else None


def check_hub(conn: Any) -> None:
    version = hub_version(conn)
    if version is None:
        raise HubError("no RoasterDesk hub in this database: run 'roasterdesk server init "
                       "--url URL' once (as its owner)")
    if version > HUB_SCHEMA_VERSION:
        raise HubError(f"this hub was set up by a newer RoasterDesk (hub schema {version}; this "
                       f"build knows up to {HUB_SCHEMA_VERSION}): update RoasterDesk")
    if version < HUB_SCHEMA_VERSION:
        raise HubError(f"this hub was set up by an older RoasterDesk (hub schema {version}; this "
                       f"build syncs {HUB_SCHEMA_VERSION}): its owner runs 'roasterdesk server "
                       "init --url URL' once, then every laptop of the team updates RoasterDesk")


def init_hub(url: str) -> int:
    """Install or upgrade the hub schema, roles and policies; returns the version before."""
    with connect(url) as conn:
        before = hub_version(conn)
        if before is not None and before > HUB_SCHEMA_VERSION:
            check_hub(conn)
        with conn.transaction():
            conn.execute(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_INIT})")
            conn.execute(SCHEMA_V1)
            conn.execute(roles_sql())
            conn.execute(
                "INSERT INTO roasterdesk.hub_meta (key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(HUB_SCHEMA_VERSION)])
    return before or 0


def add_user(url: str, name: str, role: str, password: str) -> None:
    from psycopg import sql

    if role not in ("admin", "buyer", "viewer"):
        raise HubError(f"unknown role {role!r}: admin, buyer or viewer")
    with connect(url) as conn:
        check_hub(conn)
        with conn.transaction():
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s",
                                  [name]).fetchone()
            verb = "ALTER" if exists else "CREATE"
            conn.execute(sql.SQL("{} ROLE {} LOGIN PASSWORD {}").format(
                sql.SQL(verb), sql.Identifier(name), sql.Literal(password)))
            for other in ("admin", "buyer", "viewer"):
                if exists:
                    conn.execute(sql.SQL("REVOKE {} FROM {}").format(
                        sql.Identifier(f"roasterdesk_{other}"), sql.Identifier(name)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(
                sql.Identifier(f"roasterdesk_{role}"), sql.Identifier(name)))


# -- local state (m008_sync_hub_state) -------------------------------------------------------
def _state(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def _set_state(store: Store, key: str, value: str) -> None:
    store.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)",
                     [key, value])


def hub_url_of(store: Store) -> str | None:
    return _state(store, "hub_url")


def remember_hub(store: Store, url: str, notes: list[str] | None = None) -> str:
    """Keep the URL (without password) for this database; the password goes to the keyring
    (``notes`` gets why, when it could not). Called once the hub has answered as a hub, so a
    mistyped URL or password never replaces the ones that work."""
    bare, password = split_password(url)
    if password and (why := remember_password(bare, password)) and notes is not None:
        notes.append(why)
    with store.db.atomic():
        _set_state(store, "hub_url", bare)
    return bare


def hub_value(conn: Any, table: str, row: str, field_: str) -> Any:
    """The hub's value of a field: its ``fields`` row, else the row's snapshot (schema 2)."""
    got = conn.execute("SELECT value FROM roasterdesk.fields WHERE table_name = %s AND "
                       "row_uuid = %s AND field = %s", [table, row, field_]).fetchone()
    if got is None and (hub_version(conn) or 0) >= 2:
        got = conn.execute("SELECT snapshot -> %s FROM roasterdesk.rows WHERE table_name = %s "
                           "AND row_uuid = %s", [field_, table, row]).fetchone()
    return None if got is None else got[0]
