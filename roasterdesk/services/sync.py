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
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from ..store.kinds import REFERENCE_TABLES
from .figures_ahead import FiguresAhead, last_rowids, producers_of_new_rows, touched_producers
from .hub import (  # noqa: F401 - the sync API callers know
    HUB_SCHEMA_VERSION,
    KEYRING_SERVICE,
    HubError,
    HubUnreachable,
    _first_line,
    _set_state,
    _state,
    add_user,
    check_hub,
    check_url,
    connect,
    hub_url_of,
    hub_value,
    hub_version,
    init_hub,
    keyring_key,
    lost_connection,
    remember_hub,
    remember_password,
    split_password,
    stored_password,
)
from .parallel_figures import PENDING, mark_pending
from .sync_conflicts import (  # noqa: F401 - the sync API callers know
    Conflict,
    _add_conflict,
    _local_value,
    _now,
    conflicted_records,
    conflicts,
    resolve,
    why_refused,
)
from .sync_photos import fetch_missing, files_to_upload, mark_wanted

if TYPE_CHECKING:
    from ..store import Store

BATCH_CHANGES = int(os.environ.get("ROASTERDESK_SYNC_BATCH", "2000"))
PULL_PAGE = 20000
PULL_COMMIT = 100_000
"""Changes a first pull's transaction may hold (whole pages): each commit writes again every
index page its rows touched (a join's uuids land all over each uuid index), so fewer, larger
commits write less. Later pulls commit each page: someone may be editing meanwhile, and a
shorter write lets their save go first."""
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
    photos: int = 0  # photo files fetched from the hub
    photos_not_on_hub: int = 0  # photos on record whose file neither here nor the hub has
    notes: list[str] = field(default_factory=list)  # said beside the counts (a password not kept)
    new_conflicts: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("new_conflicts")
        return d


Progress = Callable[[str, int, int], None]
"""(stage, done, total) during a sync; a callback may raise to cancel between batches."""


def _batches(store: Store) -> Iterator[list[Any]]:
    """Unpushed local changes in batches of about BATCH_CHANGES, read page by page, whole ops
    together. An op larger than a batch (an import, the demo: hundreds of thousands of changes)
    goes in parts of BATCH_CHANGES changes, each its own op on the hub (``<op id>#<first seq>``),
    so no batch outgrows the hub's limits. Parts are cut every BATCH_CHANGES changes from the
    op's first change and each is marked pushed whole, so a part sent again after a kill starts
    at the same change, has the same id, and is applied once."""
    from ..store.changes import Change

    def astuple_tail(c: Any) -> tuple[Any, ...]:
        return (c.hlc, c.device_id, c.table, c.row_uuid, c.field, c.old, c.new, c.origin)

    batch: list[Any] = []
    op: list[Any] = []
    big = False

    def part(changes: list[Any]) -> list[Any]:
        pid = f"{changes[0].op_id}#{changes[0].seq}"
        return [Change(c.seq, pid, *astuple_tail(c)) for c in changes]

    def end_op() -> Iterator[list[Any]]:
        nonlocal batch, op, big
        if big:
            if op:
                yield part(op)
        else:
            batch += op
            if len(batch) >= BATCH_CHANGES:
                yield batch
                batch = []
        op, big = [], False

    after = 0
    while True:
        got = store.log.unpushed(20000, after=after)
        if not got:
            break
        after = got[-1].seq
        for c in got:
            if op and c.op_id != op[0].op_id:
                yield from end_op()
            if not op:  # a new op: in parts if the whole op (sent or not) outgrows a batch,
                # so its parts keep their ids whatever part a kill interrupted
                big = store.db.execute("SELECT count(*) FROM change_log WHERE op_id = ?",
                                       [c.op_id]).fetchone()[0] > BATCH_CHANGES
                if big and batch:
                    yield batch
                    batch = []
            op.append(c)
            if big and len(op) == BATCH_CHANGES:
                yield part(op)
                op = []
    yield from end_op()
    if batch:
        yield batch


SEEN_MARKS = "seen_marks"
"""``sync_state`` key: [[last change-log seq, pull cursor], …], one mark per pull commit. An op
made after a mark (its first change's seq is past the mark's) had seen the hub up to that
cursor, whenever it is pushed: edits made while a round pulls are not sent as having seen what
that pull brought after them."""


def _mark_seen(store: Store, cursor: int) -> None:
    """In the pull's transaction: the cursor this laptop has seen, from its next change on."""
    last = store.db.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0]
    marks = json.loads(_state(store, SEEN_MARKS) or "[]")
    first = store.db.execute("SELECT min(seq) FROM change_log WHERE pushed_at IS NULL "
                             "AND origin = 'local'").fetchone()[0]
    if first is not None:  # the marks that unpushed ops still need, and the new one
        older = [m for m in marks if m[0] < first]
        marks = older[-1:] + [m for m in marks if m[0] >= first]
    else:
        marks = []
    _set_state(store, SEEN_MARKS, json.dumps([*marks, [int(last), int(cursor)]]))


def _seen_of(store: Store) -> Callable[[int], int]:
    """The pull cursor an op had seen, from its first change's seq (0 before any mark)."""
    marks = json.loads(_state(store, SEEN_MARKS) or "[]")

    def seen(first_seq: int) -> int:
        return max((cur for at, cur in marks if at < first_seq), default=0)

    return seen


def _as_ops(batch: list[Any], seen: Callable[[int], int]) -> str:
    """The batch as the hub's JSON argument (text): ``[{"op_id", "seen", "changes": [...]}]``
    (``seen``: the last hub change this laptop had pulled when it made the op, so a deletion
    of a record changed since is a conflict). A new row's fields are already JSON text in the
    log; they go as they are, not parsed and dumped again."""
    ops: dict[str, list[str]] = {}
    first: dict[str, int] = {}
    dumps = json.dumps
    for c in batch:
        new = c.new if c.field == "*" else dumps(c.new)
        first.setdefault(c.op_id, c.seq)
        ops.setdefault(c.op_id, []).append(
            f'{{"hlc":{dumps(c.hlc)},"table":{dumps(c.table)},"row":{dumps(c.row_uuid)},'
            f'"field":{dumps(c.field)},"old":{dumps(c.old)},"new":{new}}}')
    return "[" + ",".join(f'{{"op_id":{dumps(op)},"seen":{int(seen(first[op]))},'
                          f'"changes":[{",".join(chs)}]}}' for op, chs in ops.items()) + "]"


def push(store: Store, conn: Any, result: SyncResult, progress: Progress | None = None) -> None:
    import psycopg

    device = store.log.device_id
    total = waiting(store)
    seen_of = _seen_of(store)
    for batch in _batches(store):
        ops = _as_ops(batch, seen_of)
        checkpoint("before_push")
        refused = False
        try:
            with conn.transaction():
                for sha, path in files_to_upload(store, batch):
                    conn.execute(
                        "INSERT INTO roasterdesk.photos (sha256, data) VALUES (%s, %s) "
                        "ON CONFLICT DO NOTHING", [sha, path.read_bytes()])
                out = conn.execute("SELECT roasterdesk.push(%s, %s::jsonb)",
                                   [device, ops]).fetchone()[0]
                checkpoint("before_hub_commit")
        except psycopg.errors.InsufficientPrivilege:
            refused = True
            out = {"applied": 0, "skipped": 0, "changes": 0, "conflicts": []}
        checkpoint("after_hub_commit")
        with store.db.atomic():
            if refused:
                for c in batch:
                    if c.field != "*":
                        hub = hub_value(conn, c.table, c.row_uuid, c.field)
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


def _note(result: SyncResult, found: tuple[int, bool]) -> None:
    if found[1]:
        result.new_conflicts.append(found[0])
        result.conflicts += 1



# -- pull ------------------------------------------------------------------------------------
def _finish_pull(store: Store) -> None:
    """Lot figures still to compute (pending: :mod:`.parallel_figures`) and indexes set aside,
    by this pull or by one stopped before its end (so before a push too: it counts an op's
    changes through the change log's op index)."""
    from .parallel_figures import refresh_pending

    refresh_pending(store)  # the lot figures' indexes are built after them
    _restore_indexes(store)


def pull(store: Store, conn: Any, result: SyncResult, progress: Progress | None = None) -> None:
    _finish_pull(store)
    cursor = int(_state(store, "pull_cursor") or 0)
    first = cursor == 0  # a first pull (a join): every producer's lot figures, once at the end
    last = conn.execute("SELECT coalesce(max(seq), 0) FROM roasterdesk.changes").fetchone()[0]
    # workers for the lot figures, started before the thread reading pages ahead
    figures = FiguresAhead.start(store, last - cursor) if first else None
    try:
        with ThreadPoolExecutor(1, thread_name_prefix="pull") as ahead:
            _pull_pages(store, conn, result, progress, cursor, last, first, ahead, figures)
        if figures is not None:  # every page is in: what is left to compute, instead of all
            with store.transaction():
                _set_state(store, PENDING, json.dumps(sorted(figures.rest())))
    finally:
        if figures is not None:
            figures.close()
    _finish_pull(store)
    result.photos, result.photos_not_on_hub = fetch_missing(store, conn)


def _page(conn: Any, after: int, device: str, size: int) -> list[Any]:
    """The hub's changes past ``after`` made on other devices, in commit order: this device's
    own are not read back. A short page holds every other change past ``after``."""
    rows = conn.execute(
        "SELECT c.seq, c.op_id, c.hlc, c.device_id, c.table_name, c.row_uuid, c.field, "
        "c.old_value::text, c.new_value::text, c.author, c.at FROM roasterdesk.changes c "
        "WHERE c.seq > %s AND c.device_id <> %s ORDER BY c.seq LIMIT %s",
        [after, device, size]).fetchall()
    conn.commit()
    return list(rows)


def _pull_pages(store: Store, conn: Any, result: SyncResult, progress: Progress | None,
                cursor: int, last: int, first: bool, ahead: ThreadPoolExecutor,
                figures: FiguresAhead | None) -> None:
    """Apply the hub's pages past ``cursor``; a transaction holds whole pages (a first pull:
    up to :data:`PULL_COMMIT` changes) and the cursor's move past them. While a full page is written
    here, the next is read from the hub (``ahead``), and the lot figures of producers whose
    records came in earlier pages are computed (``figures``)."""
    device = store.log.device_id
    coming: Future[list[Any]] | None = None
    page = held = 0
    group: ExitStack | None = None

    def commit() -> None:
        nonlocal group, held
        if group is None:
            return
        group.close()
        group, held = None, 0
        checkpoint("after_pull_page")
        if figures is not None:
            figures.committed(page)
        if progress is not None:
            progress("pull", min(cursor, last), last)

    try:
        while True:
            page += 1
            rows = (coming.result() if coming is not None
                    else _page(conn, cursor, device, PULL_PAGE))
            coming = None
            full = len(rows) == PULL_PAGE
            # all changes up to ``last`` were committed before it was read: past a short page
            # the cursor moves to ``last``
            end = rows[-1][0] if full else max([last, *(r[0] for r in rows[-1:])])
            if end <= cursor:
                break
            if full:
                coming = ahead.submit(_page, conn, end, device, PULL_PAGE)
            if group is None:
                group = ExitStack()
                group.enter_context(store.transaction("Sync"))
            _apply_page(store, rows, result, first, full, page, figures)
            cursor = end
            _set_state(store, "pull_cursor", str(cursor))
            _mark_seen(store, cursor)
            held += len(rows)
            if not full or not first or held >= PULL_COMMIT:
                commit()
            if not full:
                break
        commit()
    except BaseException as exc:
        if group is not None:  # rolled back: the cursor stays with the rows it had
            group.__exit__(type(exc), exc, exc.__traceback__)
        raise


def _apply_page(store: Store, rows: list[Any], result: SyncResult, first: bool, full: bool,
                page: int, figures: FiguresAhead | None) -> None:
    """Apply one page of the hub's changes (inside the caller's transaction)."""
    from ..store.changes import Change

    apply: list[Change] = []
    if any(r[6] != "*" for r in rows):
        _restore_indexes(store)  # a field change compares clocks through them
    elif first and full:
        _defer_indexes(store)
    held = _held_fields(store, rows)
    before = last_rowids(store) if figures is not None else {}
    for seq, op_id, hlc, dev, table, row, fld, old, text, author, at in rows:
        if fld == "*":
            new = text  # the row as JSON text: parsed once, where it is inserted
            old = None  # a new row has no value before
        else:
            new = None if text is None else json.loads(text)
            old = None if old is None else json.loads(old)
            if (table, row, fld) in held if held is not None else _held(
                    store, table, row, fld):
                mine = _local_value(store, table, row, fld)
                _note(result, _add_conflict(
                    store, table, row, fld, mine=mine, theirs=new, base=old,
                    who=author, when=at, kind="pull", op_id=op_id))
                if held is not None:  # open now: later changes of the field wait too
                    held.add((table, row, fld))
                continue
        apply.append(Change(seq, op_id, hlc, dev, table, row, fld, old, new, "remote"))
    if apply:
        apply = _apply(store, apply, result, authors={r[1]: (r[9], r[10]) for r in rows})
        if any(c.table == "photos" for c in apply):
            mark_wanted(store)  # their files are fetched after the pull (or the next one)
        # whose figures to compute at the pull's end, or at the next sync or start if killed
        mark_pending(store, None if first else touched_producers(store, apply))
        if figures is not None:
            touched = touched_producers(store, [c for c in apply if c.field != "*"] + [
                c for c in apply if c.field == "*" and c.table in REFERENCE_TABLES])
            figures.touched(page, None if touched is None else
                            touched | producers_of_new_rows(store, before))
        checkpoint("mid_pull")
    if figures is not None:
        figures.write()
    result.pulled += len(apply)


def _defer_indexes(store: Store) -> None:
    """A first pull of many new rows (a laptop joining): indexes keyed across their whole range
    and the search index's triggers are set aside and built once, sorted, when the pull ends
    (or before a page with a field change, which reads the change log's field index), instead
    of entry by entry at random places (:mod:`roasterdesk.store.deferred_schema`; kept in
    ``sync_state`` in the same transaction, so a pull stopped before its end builds them at
    the next sync)."""
    from ..store.deferred_schema import defer

    defer(store.db)


def _restore_indexes(store: Store) -> None:
    from ..store.deferred_schema import pending, restore

    if pending(store.db):
        with store.transaction():
            restore(store.db)


def _apply(store: Store, changes: list[Any], result: SyncResult,
           authors: dict[str, tuple[str, Any]]) -> list[Any]:
    """Apply a page of remote changes; if one cannot be applied here (a lot code this laptop
    gave to another lot, a row it refers to missing), apply the page change by change and keep
    each refused one as a conflict, so one change never blocks the team's others."""
    from ..store.cipher import integrity_errors
    from ..store.errors import StoreError

    refused = (StoreError, *integrity_errors())
    try:
        with store.log.savepoint():
            store.log.apply_remote(changes)
        return changes
    except refused:
        pass
    done = []
    for ch in changes:
        try:
            with store.log.savepoint():
                store.log.apply_remote([ch])
            done.append(ch)
        except refused as exc:
            who, when = authors.get(ch.op_id, ("", ""))
            new = json.loads(ch.new) if ch.field == "*" else ch.new
            _note(result, _add_conflict(
                store, ch.table, ch.row_uuid, ch.field, mine=None, theirs=new,
                base=why_refused(exc), who=who, when=when, kind="pull", op_id=ch.op_id))
    return done


HELD_AT_ONCE = 20000
"""Up to this many unpushed local changes and open conflicts, a pull page looks them up once."""


def _held_fields(store: Store, rows: list[Any]) -> set[tuple[str, str, str]] | None:
    """The (table, row, field) of every unpushed local change and open conflict, read once for
    a page of field changes (None: too many, ask :func:`_held` change by change)."""
    if all(r[6] == "*" for r in rows):
        return set()
    n = store.db.execute(
        "SELECT (SELECT count(*) FROM change_log WHERE pushed_at IS NULL) + "
        "(SELECT count(*) FROM sync_conflicts WHERE resolved_at IS NULL)").fetchone()[0]
    if n > HELD_AT_ONCE:
        return None
    got = store.db.execute(
        "SELECT table_name, row_uuid, field FROM change_log WHERE pushed_at IS NULL AND "
        "origin = 'local' UNION SELECT table_name, row_uuid, field FROM sync_conflicts "
        "WHERE resolved_at IS NULL").fetchall()
    return {(str(t), str(r), str(f)) for t, r, f in got}


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
        check_url(url)
    target = url if url is not None else hub_url_of(store)
    if target is None:
        raise HubError("no hub for this database yet: give --hub URL once")
    import psycopg

    result = SyncResult()
    with connect(target) as conn, _cache(store):
        if url is not None and hub_version(conn) is not None:
            # kept once the login worked and a hub answered (of this version or not: its
            # owner may upgrade it), never a mistyped URL or password
            remember_hub(store, url, result.notes)
        check_hub(conn)
        conn.commit()
        try:
            _finish_pull(store)
            push(store, conn, result, progress)
            pull(store, conn, result, progress)
        except psycopg.OperationalError as exc:
            if lost_connection(exc):  # the hub went away midway: offline
                raise HubUnreachable(f"sync stopped: the hub went away ({_first_line(exc)}); "
                                     "what was sent is kept, sync again") from exc
            raise HubError(f"sync stopped: the hub said {_first_line(exc)!r}; what was sent "
                           "is kept, sync again") from exc
        except psycopg.Error as exc:
            raise HubError(f"sync stopped: the hub said {_first_line(exc)!r}; what was sent "
                           "is kept, sync again") from exc
    with store.db.atomic():
        _set_state(store, "last_sync", _now())
    result.open_conflicts = open_conflicts(store)
    result.waiting = waiting(store)
    result.seconds = round(time.perf_counter() - start, 3)
    return result


SYNC_CACHE_KIB = 1048576
"""SQLite's page cache while a sync runs (at most 1 GiB, used only as far as the database
needs it): a join writes rows keyed by random uuids across every uuid index while a
transaction gathers up to :data:`PULL_COMMIT` changes; with a smaller cache the pages of the
open transaction are written out early and read again (the large demo's join, 1.5 GB: 96 s
with 256 MiB, 82 s with 1 GiB, load average about 3)."""


@contextmanager
def _cache(store: Store) -> Iterator[None]:
    before = store.db.execute("PRAGMA cache_size").fetchone()[0]
    store.db.execute(f"PRAGMA cache_size = -{SYNC_CACHE_KIB}")
    try:
        yield
    finally:
        store.db.execute(f"PRAGMA cache_size = {int(before)}")


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
