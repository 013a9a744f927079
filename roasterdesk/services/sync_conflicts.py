"""Team-sync conflicts: one open conflict per field with both values, who and when; listing
them, the badge's records, and resolving one (keep mine: sent again based on the hub's value;
keep theirs: the hub's value written here)."""

from __future__ import annotations

import json
import uuid as _uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..errors import UserError

if TYPE_CHECKING:
    from ..store import Store


def _add_conflict(store: Store, table: str, row: str, field_: str, *, mine: Any, theirs: Any,
                  base: Any, who: str, when: str, kind: str, op_id: str,
                  hub_id: int | None = None) -> tuple[int, bool]:
    """One open conflict per field: a second one updates the first (the latest values)."""
    dumps = _dump
    got = store.db.execute(
        "SELECT id FROM sync_conflicts WHERE table_name = ? AND row_uuid = ? AND field = ? "
        "AND resolved_at IS NULL", [table, row, field_]).fetchone()
    if got is not None:
        store.db.execute(  # the latest of both sides (a second refused edit: mine too)
            "UPDATE sync_conflicts SET mine = ?, theirs = ?, their_author = ?, their_at = ?, "
            "hub_id = coalesce(?, hub_id) WHERE id = ?",
            [dumps(mine), dumps(theirs), who, str(when), hub_id, got[0]])
        return int(got[0]), False
    cur = store.db.execute(
        "INSERT INTO sync_conflicts (uuid, kind, op_id, hub_id, table_name, row_uuid, field, "
        "base, mine, theirs, their_author, their_at, found_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [str(_uuid.uuid4()), kind, op_id, hub_id, table, row, field_, dumps(base), dumps(mine),
         dumps(theirs), who, str(when), _now()])
    return int(cur.lastrowid), True

def shown(field_: str, value: Any) -> str:
    """A conflict's value in words: "(empty)"; for ``deleted_at`` (a record deleted on one side
    and changed on the other) "deleted 2026-12-06 10:32" or "kept"."""
    if field_ == "deleted_at":
        return f"deleted {str(value)[:16].replace('T', ' ')}" if value else "kept"
    return "(empty)" if value is None or value == "" else str(value)


def _dump(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, default=str)


def _now() -> str:
    from ..store.codec import now

    return now()

def _local_value(store: Store, table: str, row: str, fld: str) -> Any:
    from ..store.kinds import spec

    got = store.db.execute(f"SELECT {fld} FROM {table} WHERE uuid = ?", [row]).fetchone()
    if got is None:
        return None
    ref = spec(table).refs.get(fld)
    if ref is not None and got[0] is not None:
        return store.log.uuid_of(ref, got[0])
    return got[0]

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


def is_conflicted(store: Store, table: str, uuid: str | None) -> bool:
    """True while the record ``uuid`` of ``table`` has an open conflict (its badge shows)."""
    if not uuid:
        return False
    return store.db.execute(
        "SELECT 1 FROM sync_conflicts WHERE resolved_at IS NULL AND table_name = ? AND "
        "row_uuid = ? LIMIT 1", [table, uuid]).fetchone() is not None


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
        op = _op_of(store, c.id)
        # a deletion's conflict decides the op's other deletions too (a visit's photos and
        # follow-ups), which the hub held back with it
        along = [replace(c, table=ch.table, row_uuid=ch.row_uuid, theirs=None)
                 for ch in (store.log.changes_of(op) if op and c.field == "deleted_at" else ())
                 if ch.field == "deleted_at" and ch.new is not None
                 and (ch.table, ch.row_uuid) != (c.table, c.row_uuid)]
        if keep == "theirs":
            value = store.log.id_of(ref, c.theirs) if ref and c.theirs is not None else c.theirs
            for one, v in ((c, value), *((x, None) for x in along)):
                one_id = store.log.id_of(one.table, one.row_uuid)
                assert one_id is not None
                with store.log.hub_values(one.table, one.row_uuid, one.field, op):
                    store.log.update(one.table, one_id, {one.field: v}, live_only=False)
        else:
            for one in (c, *along):
                _resend(store, one)
        store.db.execute("UPDATE sync_conflicts SET resolved_at = ?, resolution = ? "
                         "WHERE id = ?", [_now(), keep, c.id])
    return c


def _op_of(store: Store, conflict_id: int) -> str:
    row = store.db.execute("SELECT op_id FROM sync_conflicts WHERE id = ?",
                           [conflict_id]).fetchone()
    return str(row[0] or "") if row else ""


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


def why_refused(exc: Exception) -> str:
    """A refusal in words ("another lot here has this code", not SQLite's text)."""
    from ..store.kinds import record_name

    text = str(exc)
    if "UNIQUE constraint failed:" in text:
        table, _, col = text.split(":", 1)[1].strip().split(",")[0].partition(".")
        return f"another {record_name(table)} here already has this {col.replace('_', ' ')}"
    return text
