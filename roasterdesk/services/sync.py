"""Team sync with a PostgreSQL hub: push the change log, pull the hub's feed, keep conflicts.

- **Push** sends the local change log (:meth:`ChangeLog.unpushed`) in batches of whole
  operations; each batch is one hub transaction (photos by content hash first, then
  ``roasterdesk.push``). An op id is applied at most once on the hub, so a re-push after a kill
  changes nothing and brings back the conflicts the first push made. The laptop then marks the
  batch pushed and records its conflicts in one SQLite transaction.
- **Pull** reads ``roasterdesk.changes`` past this database's cursor (the hub's ``seq``, which
  follows commit order: every hub writer holds one advisory lock) and applies a page of changes
  and the cursor move in one SQLite transaction. A change to a field with a local change not yet
  pushed, or with an open conflict, is not applied: it becomes (or updates) a conflict.
- **Conflicts** keep both values with who and when; a person resolves each one
  (``keep mine``: the local value is sent again with the hub's value as its base; ``keep
  theirs``: the hub's value is written locally).

The hub URL is kept per database without its password (that goes to the keyring). psycopg is
imported only here, when a sync runs.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid as _uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

from ..errors import UserError
from .hub_schema import ADVISORY_LOCK_INIT, HUB_SCHEMA_VERSION, SCHEMA_V1, roles_sql

if TYPE_CHECKING:
    from ..store import Store

KEYRING_SERVICE = "roasterdesk-hub"
BATCH_CHANGES = int(os.environ.get("ROASTERDESK_SYNC_BATCH", "2000"))
PULL_PAGE = 5000
KILL_ENV = "ROASTERDESK_SYNC_KILL"
"""Tests: ``point`` or ``point:n`` kills this process (SIGKILL) at the n-th pass of a point."""

_hits: dict[str, int] = {}


def checkpoint(point: str) -> None:
    """A place a test may kill the sync (``ROASTERDESK_SYNC_KILL``)."""
    want = os.environ.get(KILL_ENV)
    if not want:
        return
    name, _, nth = want.partition(":")
    if name != point:
        return
    _hits[point] = _hits.get(point, 0) + 1
    if _hits[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


class HubError(UserError):
    """The hub cannot be reached or refuses (one line for the command line)."""


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


def remember_password(url: str, password: str) -> None:
    import keyring

    keyring.set_password(KEYRING_SERVICE, keyring_key(url), password)


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
        raise HubError(f"the hub cannot be reached ({_first_line(exc)}); working offline "
                       "is fine, sync again later") from exc


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


def remember_hub(store: Store, url: str) -> str:
    """Keep the URL (without password) for this database; the password goes to the keyring."""
    bare, password = split_password(url)
    if password:
        remember_password(bare, password)
    with store.db.atomic():
        _set_state(store, "hub_url", bare)
    return bare


# -- results ---------------------------------------------------------------------------------
@dataclass
class SyncResult:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    refused: int = 0
    skipped: int = 0
    open_conflicts: int = 0
    waiting: int = 0
    seconds: float = 0.0
    new_conflicts: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("new_conflicts")
        return d


Progress = Callable[[str, int, int], None]
"""(stage, done, total) during a sync; a callback may raise to cancel between batches."""


def _batches(store: Store) -> Iterator[list[Any]]:
    """Unpushed local changes, whole ops together, in batches of about BATCH_CHANGES."""
    changes: list[Any] = []
    after = 0
    while True:
        got = store.log.unpushed(20000, after=after)
        if not got:
            break
        changes += got
        after = got[-1].seq
    batch: list[Any] = []
    i = 0
    while i < len(changes):
        j, op = i, changes[i].op_id
        while j < len(changes) and changes[j].op_id == op:
            j += 1
        batch += changes[i:j]
        i = j
        if len(batch) >= BATCH_CHANGES:
            yield batch
            batch = []
    if batch:
        yield batch


def _as_ops(batch: list[Any]) -> list[dict[str, Any]]:
    ops: dict[str, dict[str, Any]] = {}
    for c in batch:
        op = ops.setdefault(c.op_id, {"op_id": c.op_id, "changes": []})
        new = json.loads(c.new) if c.field == "*" else c.new
        op["changes"].append({"hlc": c.hlc, "table": c.table, "row": c.row_uuid,
                              "field": c.field, "old": c.old, "new": new})
    return list(ops.values())


def _photos(store: Store, batch: list[Any]) -> list[tuple[str, Path]]:
    from .backup import attachments_dir_for

    found = []
    folder = attachments_dir_for(store.path)
    for c in batch:
        if c.table == "photos" and c.field == "*":
            snap = json.loads(c.new)
            sha = snap.get("sha256")
            if sha:
                for p in folder.glob(f"{sha}*"):
                    found.append((sha, p))
                    break
    return found


def push(store: Store, conn: Any, result: SyncResult, progress: Progress | None = None) -> None:
    import psycopg
    from psycopg.types.json import Jsonb

    device = store.log.device_id
    total = waiting(store)
    for batch in _batches(store):
        ops = _as_ops(batch)
        checkpoint("before_push")
        refused = False
        try:
            with conn.transaction():
                for sha, path in _photos(store, batch):
                    conn.execute(
                        "INSERT INTO roasterdesk.photos (sha256, data) VALUES (%s, %s) "
                        "ON CONFLICT DO NOTHING", [sha, path.read_bytes()])
                out = conn.execute("SELECT roasterdesk.push(%s, %s)",
                                   [device, Jsonb(ops)]).fetchone()[0]
                checkpoint("before_hub_commit")
        except psycopg.errors.InsufficientPrivilege:
            refused = True
            out = {"applied": 0, "skipped": 0, "changes": 0, "conflicts": []}
        checkpoint("after_hub_commit")
        with store.db.atomic():
            if refused:
                for c in batch:
                    if c.field != "*":
                        hub = _hub_value(conn, c.table, c.row_uuid, c.field)
                        _note(result, _add_conflict(
                            store, c.table, c.row_uuid, c.field, mine=c.new, theirs=hub,
                            base=c.old, who="", when="", kind="refused", op_id=c.op_id))
                    result.refused += 1
            for cf in out["conflicts"]:
                _note(result, _add_conflict(
                    store, cf["table_name"], cf["row_uuid"], cf["field"],
                    mine=cf["client_value"], theirs=cf["hub_value"], base=cf["base"],
                    who=cf.get("hub_author") or "", when=cf.get("hub_at") or "",
                    kind="hub", op_id=cf["op_id"], hub_id=cf["id"]))
            store.log.mark_pushed([c.seq for c in batch])
            checkpoint("after_mark")
        result.pushed += len(batch)
        result.skipped += out["skipped"]
        if progress is not None:
            progress("push", result.pushed, total)


def _hub_value(conn: Any, table: str, row: str, field_: str) -> Any:
    got = conn.execute("SELECT value FROM roasterdesk.fields WHERE table_name = %s AND "
                       "row_uuid = %s AND field = %s", [table, row, field_]).fetchone()
    return None if got is None else got[0]


def _add_conflict(store: Store, table: str, row: str, field_: str, *, mine: Any, theirs: Any,
                  base: Any, who: str, when: str, kind: str, op_id: str,
                  hub_id: int | None = None) -> tuple[int, bool]:
    """One open conflict per field: a second one updates the first (the latest values)."""
    dumps = _dump
    got = store.db.execute(
        "SELECT id FROM sync_conflicts WHERE table_name = ? AND row_uuid = ? AND field = ? "
        "AND resolved_at IS NULL", [table, row, field_]).fetchone()
    if got is not None:
        store.db.execute(
            "UPDATE sync_conflicts SET theirs = ?, their_author = ?, their_at = ?, "
            "hub_id = coalesce(?, hub_id) WHERE id = ?",
            [dumps(theirs), who, str(when), hub_id, got[0]])
        return int(got[0]), False
    cur = store.db.execute(
        "INSERT INTO sync_conflicts (uuid, kind, op_id, hub_id, table_name, row_uuid, field, "
        "base, mine, theirs, their_author, their_at, found_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [str(_uuid.uuid4()), kind, op_id, hub_id, table, row, field_, dumps(base), dumps(mine),
         dumps(theirs), who, str(when), _now()])
    return int(cur.lastrowid), True


def _note(result: SyncResult, found: tuple[int, bool]) -> None:
    if found[1]:
        result.new_conflicts.append(found[0])
        result.conflicts += 1


def _dump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


def _now() -> str:
    from ..store.codec import now

    return now()


# -- pull ------------------------------------------------------------------------------------
_REFERENCE = {"c_prices", "fairtrade_terms", "living_income_refs"}


def _touched_producers(store: Store, changes: list[Any]) -> set[int] | None:
    """Producers whose lot figures may change with ``changes`` (None: every producer)."""
    out: set[int] = set()
    for c in changes:
        if c.table in _REFERENCE:
            return None
        if c.table == "producers":
            rows = [("producers", c.row_uuid)]
        elif c.table in ("lots", "visits", "commitments", "certifications", "projects"):
            rows = [(c.table, c.row_uuid)]
        elif c.table in ("fixations", "cost_legs", "premiums", "lot_plots"):
            got = store.db.execute(f"SELECT lot_id FROM {c.table} WHERE uuid = ?",
                                   [c.row_uuid]).fetchone()
            rows = [] if got is None else [("lots", store.log.uuid_of("lots", got[0]))]
        else:
            continue
        for table, uid in rows:
            col = "id" if table == "producers" else "producer_id"
            got = store.db.execute(f"SELECT {col} FROM {table} WHERE uuid = ?",
                                   [uid]).fetchone()
            if got is not None and got[0] is not None:
                out.add(int(got[0]))
    return out


def _refresh(store: Store, producers: set[int] | None) -> None:
    """Lot figures of the touched producers that are alive (a deleted producer's lots keep
    theirs)."""
    sql = ("SELECT DISTINCT l.producer_id FROM lots l JOIN producers p ON p.id = l.producer_id "
           "WHERE p.deleted_at IS NULL")
    for (pid,) in store.db.execute(sql).fetchall():
        if producers is None or pid in producers:
            store.refresh_metrics(pid)


def _mark_dirty(store: Store, producers: set[int] | None) -> None:
    """Remember (in the pull's transaction) whose lot figures need recomputing: done once at the
    end of the pull, and by the next sync if this one is killed before."""
    had = _state(store, "metrics_dirty")
    if had == "all" or producers is None:
        _set_state(store, "metrics_dirty", "all")
        return
    ids = set(json.loads(had)) if had else set()
    _set_state(store, "metrics_dirty", json.dumps(sorted(ids | producers)))


def refresh_dirty(store: Store) -> None:
    had = _state(store, "metrics_dirty")
    if had is None:
        return
    with store.transaction():
        _refresh(store, None if had == "all" else set(json.loads(had)))
        store.db.execute("DELETE FROM sync_state WHERE key = 'metrics_dirty'")


def pull(store: Store, conn: Any, result: SyncResult, progress: Progress | None = None) -> None:
    from ..store.changes import Change

    device = store.log.device_id
    refresh_dirty(store)  # left by a pull that was stopped before its end
    cursor = int(_state(store, "pull_cursor") or 0)
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM roasterdesk.changes").fetchone()[0]
    while True:
        rows = conn.execute(
            "SELECT c.seq, c.op_id, c.hlc, c.device_id, c.table_name, c.row_uuid, c.field, "
            "c.old_value, c.new_value::text, c.author, c.at FROM roasterdesk.changes c "
            "WHERE c.seq > %s ORDER BY c.seq LIMIT %s", [cursor, PULL_PAGE]).fetchall()
        conn.commit()
        if not rows:
            break
        apply: list[Change] = []
        with store.transaction("Sync"):
            for seq, op_id, hlc, dev, table, row, fld, old, text, author, at in rows:
                if dev == device:
                    continue
                if fld == "*":
                    new = text  # the row as JSON text: parsed once, where it is inserted
                else:
                    new = None if text is None else json.loads(text)
                    if _held(store, table, row, fld):
                        mine = _local_value(store, table, row, fld)
                        _note(result, _add_conflict(
                            store, table, row, fld, mine=mine, theirs=new, base=old,
                            who=author, when=at, kind="pull", op_id=op_id))
                        continue
                apply.append(Change(seq, op_id, hlc, dev, table, row, fld, old, new, "remote"))
            if apply:
                apply = _apply(store, apply, result, authors={r[1]: (r[9], r[10]) for r in rows})
                _mark_dirty(store, _touched_producers(store, apply))
                checkpoint("mid_pull")
            cursor = rows[-1][0]
            _set_state(store, "pull_cursor", str(cursor))
            result.pulled += len(apply)
        checkpoint("after_pull_page")
        if progress is not None:
            progress("pull", cursor, last)
    refresh_dirty(store)


def _apply(store: Store, changes: list[Any], result: SyncResult,
           authors: dict[str, tuple[str, Any]]) -> list[Any]:
    """Apply a page of remote changes; if one cannot be applied here (a lot code this laptop
    gave to another lot, a row it refers to missing), apply the page change by change and keep
    each refused one as a conflict, so one change never blocks the team's others."""
    from ..store.cipher import integrity_errors
    from ..store.errors import StoreError

    refused = (StoreError, *integrity_errors())
    try:
        with store.db.atomic():
            store.log.apply_remote(changes)
        return changes
    except refused:
        pass
    done = []
    for ch in changes:
        try:
            with store.db.atomic():
                store.log.apply_remote([ch])
            done.append(ch)
        except refused as exc:
            who, when = authors.get(ch.op_id, ("", ""))
            new = json.loads(ch.new) if ch.field == "*" else ch.new
            _note(result, _add_conflict(
                store, ch.table, ch.row_uuid, ch.field, mine=None, theirs=new, base=_why(exc),
                who=who, when=when, kind="pull", op_id=ch.op_id))
    return done


def _why(exc: Exception) -> str:
    """A refusal in words ("another lot here has this code", not SQLite's text)."""
    from ..store.kinds import record_name

    text = str(exc)
    if "UNIQUE constraint failed:" in text:
        table, _, col = text.split(":", 1)[1].strip().split(",")[0].partition(".")
        return f"another {record_name(table)} here already has this {col.replace('_', ' ')}"
    return text


def _held(store: Store, table: str, row: str, fld: str) -> bool:
    """A local change to this field not yet pushed, or an open conflict on it."""
    got = store.db.execute(
        "SELECT 1 FROM change_log WHERE pushed_at IS NULL AND origin = 'local' AND "
        "table_name = ? AND row_uuid = ? AND field = ? LIMIT 1", [table, row, fld]).fetchone()
    if got is not None:
        return True
    return store.db.execute(
        "SELECT 1 FROM sync_conflicts WHERE resolved_at IS NULL AND table_name = ? AND "
        "row_uuid = ? AND field = ?", [table, row, fld]).fetchone() is not None


def _local_value(store: Store, table: str, row: str, fld: str) -> Any:
    from ..store.kinds import spec

    got = store.db.execute(f"SELECT {fld} FROM {table} WHERE uuid = ?", [row]).fetchone()
    if got is None:
        return None
    ref = spec(table).refs.get(fld)
    if ref is not None and got[0] is not None:
        return store.log.uuid_of(ref, got[0])
    return got[0]


# -- the whole sync --------------------------------------------------------------------------
def waiting(store: Store) -> int:
    row = store.db.execute("SELECT count(*) FROM change_log WHERE pushed_at IS NULL "
                           "AND origin = 'local'").fetchone()
    return int(row[0])


def open_conflicts(store: Store) -> int:
    row = store.db.execute(
        "SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL").fetchone()
    return int(row[0])


def sync(store: Store, url: str | None = None, progress: Progress | None = None) -> SyncResult:
    """Push, then pull. ``url``: the hub (remembered for this database); else the one kept."""
    start = time.perf_counter()
    if url is not None:
        remember_hub(store, url)
    target = hub_url_of(store)
    if target is None:
        raise HubError("no hub for this database yet: give --hub URL once")
    import psycopg

    result = SyncResult()
    with connect(target) as conn:
        check_hub(conn)
        conn.commit()
        try:
            push(store, conn, result, progress)
            pull(store, conn, result, progress)
        except psycopg.Error as exc:
            raise HubError(f"sync stopped: the hub said {_first_line(exc)!r}; what was sent "
                           "is kept, sync again") from exc
    with store.db.atomic():
        _set_state(store, "last_sync", _now())
    result.open_conflicts = open_conflicts(store)
    result.waiting = waiting(store)
    result.seconds = round(time.perf_counter() - start, 3)
    return result


def status(store: Store) -> dict[str, Any]:
    return {"hub": hub_url_of(store), "last_sync": _state(store, "last_sync"),
            "waiting": waiting(store), "conflicts": open_conflicts(store)}


def status_line(store: Store) -> str:
    """"Sync: 10:32 · 3 waiting · 1 conflict" for the status bar ("" without a hub)."""
    st = status(store)
    if st["hub"] is None:
        return ""
    last = (st["last_sync"] or "")[:16].replace("T", " ") or "never"
    n = st["conflicts"]
    return (f"Sync: {last} · {st['waiting']} waiting · {n} conflict{'s' if n != 1 else ''}")


# -- conflicts -------------------------------------------------------------------------------
@dataclass
class Conflict:
    id: int
    kind: str
    table: str
    row_uuid: str
    field: str
    record: str
    mine: Any
    theirs: Any
    base: Any
    their_author: str
    their_at: str
    found_at: str


def conflicted_records(store: Store) -> set[tuple[str, str]]:
    """(table, row uuid) of every record with an open conflict: what a badge marks."""
    return {(str(t), str(u)) for t, u in store.db.execute(
        "SELECT DISTINCT table_name, row_uuid FROM sync_conflicts WHERE resolved_at IS NULL")}


def conflicts(store: Store, *, include_resolved: bool = False) -> list[Conflict]:
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    out = []
    for r in store.db.execute(
            "SELECT id, kind, table_name, row_uuid, field, mine, theirs, base, their_author, "
            f"their_at, found_at FROM sync_conflicts {where} ORDER BY id").fetchall():
        out.append(Conflict(r[0], r[1], r[2], r[3], r[4],
                            _record_label(store, r[2], r[3], json.loads(r[6])),
                            json.loads(r[5]), json.loads(r[6]), json.loads(r[7]), r[8] or "",
                            r[9] or "", r[10]))
    return out


def _record_label(store: Store, table: str, row: str, theirs: Any = None) -> str:
    from ..store.kinds import record_name

    cols = {r[1] for r in store.db.execute(f"PRAGMA table_info({table})")}
    label = next((c for c in ("code", "name", "month", "title") if c in cols), None)
    if label is not None:
        got = store.db.execute(f"SELECT {label} FROM {table} WHERE uuid = ?", [row]).fetchone()
        if got is not None:
            return f"{record_name(table)} {got[0]}"
        if isinstance(theirs, dict) and theirs.get(label):
            return f"{record_name(table)} {theirs[label]}"
    return f"{record_name(table)} {row[:8]}"


def resolve(store: Store, conflict_id: int, keep: str) -> Conflict:
    """``keep='theirs'``: write the hub's value here; ``keep='mine'``: send the local value
    again, based on the hub's value (applied on the next sync)."""
    from ..store.kinds import spec

    if keep not in ("mine", "theirs"):
        raise UserError("--keep must be mine or theirs")
    found = [c for c in conflicts(store) if c.id == conflict_id]
    if not found:
        raise UserError(f"no open conflict {conflict_id} (see roasterdesk conflicts)")
    c = found[0]
    if keep == "mine" and c.kind == "refused":
        raise UserError("the hub refuses changes from your role: keep theirs, or ask an admin "
                        "for the buyer role")
    if c.field == "*":  # a new record from the hub that could not be added here
        if keep == "theirs":
            raise UserError(f"the hub's new {c.record} could not be added here ({c.base}): "
                            "change the record of yours that stands in its way, or keep mine")
        with store.db.atomic():
            store.db.execute("UPDATE sync_conflicts SET resolved_at = ?, resolution = ? "
                             "WHERE id = ?", [_now(), keep, c.id])
        return c
    with store.transaction("Resolve conflict"):
        rid = store.log.id_of(c.table, c.row_uuid)
        assert rid is not None
        ref = spec(c.table).refs.get(c.field)
        if keep == "theirs":
            value = store.log.id_of(ref, c.theirs) if ref and c.theirs is not None else c.theirs
            store.log.update(c.table, rid, {c.field: value}, live_only=False)
        else:
            _resend(store, c)
        store.db.execute("UPDATE sync_conflicts SET resolved_at = ?, resolution = ? "
                         "WHERE id = ?", [_now(), keep, c.id])
    return c


def _resend(store: Store, c: Conflict) -> None:
    """A change-log entry (hub value -> local value) for the next push, as a new op."""
    mine = _local_value(store, c.table, c.row_uuid, c.field)
    op_id = str(_uuid.uuid4())
    hlc = store.log.clock.tick()
    device = store.log.device_id
    store.db.execute("INSERT INTO change_ops (op_id, label, device_id, hlc, origin) "
                     "VALUES (?, 'Resolve conflict: keep mine', ?, ?, 'local')",
                     [op_id, device, hlc])
    store.db.execute(
        "INSERT INTO change_log (op_id, hlc, device_id, table_name, row_uuid, field, old_value,"
        " new_value, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'local')",
        [op_id, hlc, device, c.table, c.row_uuid, c.field, _sqlite(c.theirs), _sqlite(mine)])


def _sqlite(v: Any) -> Any:
    return v if v is None or isinstance(v, (str, int, float)) else json.dumps(v)
