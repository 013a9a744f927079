"""The local write path of the change log: each data statement and its change-log rows.

:class:`ChangeWriter` is the base of :class:`~roasterdesk.store.changes.ChangeLog` (see that
module for what the log holds): the device id and clock, the action under way (one op id), the
id/uuid translation of references, and the writes (``insert``, ``update``, ``tombstone`` and
their bulk forms), each followed by its change-log rows on the same connection.
"""

from __future__ import annotations

import json
import logging
import uuid as _uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..domain.text import clean_text
from .clock import Clock
from .codec import now
from .errors import RecordNotFound, ValidationError
from .kinds import NOT_LOGGED, referrers, spec

if TYPE_CHECKING:
    from .db import AnyDatabase

log = logging.getLogger("roasterdesk.store.changes")

Row = dict[str, Any]

IN_USE = "this record is still used by other records (lots, visits or people)"

_MAX_VARIABLES = 32766  # SQLite's default limit of ? per statement (3.32 and later)

LOG_INSERT = (
    "INSERT INTO change_log (op_id, hlc, device_id, table_name, row_uuid, field, old_value, "
    "new_value, origin, pushed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@dataclass(frozen=True)
class Change:
    """One entry of the change log."""

    seq: int
    op_id: str
    hlc: str
    device_id: str
    table: str
    row_uuid: str
    field: str
    old: Any
    new: Any
    origin: str = "local"


class ChangeWriter:
    """The local write path of one connection (see the module text)."""

    def __init__(self, db: AnyDatabase) -> None:
        self.db = db
        self._device: str | None = None
        self._clock: Clock | None = None
        self._op: tuple[str, str] | None = None  # (op_id, label) of the action under way
        self._op_written = False
        self.last_op: str | None = None
        """The op id of the last committed action that changed something."""
        self._label = ""
        self._reverts: str | None = None
        self._remote: tuple[str, str, str] | None = None  # (op_id, hlc, device) being applied
        self._uuids: dict[tuple[str, int], str] = {}
        self._ids: dict[tuple[str, str], int] = {}
        self.depth = 0
        self.after_data_write: Callable[[str], None] | None = None
        """A hook called between a data statement and its change-log rows (tests use it to kill
        the process there)."""

    # -- identity and clock ---------------------------------------------------------------
    @property
    def device_id(self) -> str:
        """This database's device id, made on first need and stored in ``meta``."""
        if self._device is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'device_id'").fetchone()
            if row is None:
                dev = _uuid.uuid4().hex
                self.db.execute("INSERT INTO meta (key, value) VALUES ('device_id', ?)", [dev])
                log.info("new device id %s", dev)
            else:
                dev = str(row[0])
            self._device = dev
        return self._device

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'hlc'").fetchone()
            self._clock = Clock(self.device_id, row[0] if row else None)
        return self._clock

    # -- actions --------------------------------------------------------------------------
    def begin(self, label: str = "", reverts: str | None = None) -> None:
        self._op = (str(_uuid.uuid4()), label)
        self._label, self._reverts = label, reverts
        self._op_written = False

    def label(self, text: str) -> None:
        """Name the action under way (the first name given wins)."""
        if self._op is not None and not self._label:
            self._label = text
            if self._op_written:
                self.db.execute("UPDATE change_ops SET label = ? WHERE op_id = ?",
                                [text, self._op[0]])

    def finish(self) -> None:
        if self._op is not None and self._op_written:
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('hlc', ?)",
                            [self.clock.now()])

    def end(self, committed: bool) -> None:
        if committed and self._op is not None and self._op_written and self._remote is None:
            self.last_op = self._op[0]
        if not committed:  # rolled back: ids may be given again to other rows
            self._uuids.clear()
            self._ids.clear()
            self._clock = None
        self._op = None
        self._op_written = False

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A nested transaction (SQLite SAVEPOINT) whose rollback also forgets the ids and uuids
        remembered meanwhile: rows inserted inside it are gone, and an id cached for one of them
        would point a later row at nothing (or at another row given that id again)."""
        try:
            with self.db.atomic():
                yield
        except BaseException:
            self._uuids.clear()
            self._ids.clear()
            raise

    def _op_id(self) -> tuple[str, str, str, str]:
        """(op_id, hlc, device, origin) for the next entry, writing the action's row once."""
        if self._remote is not None:
            op_id, hlc, device = self._remote
            self.db.execute(
                "INSERT OR IGNORE INTO change_ops (op_id, label, device_id, hlc, origin) "
                "VALUES (?, '', ?, ?, 'remote')", [op_id, device, hlc])
            return op_id, hlc, device, "remote"
        else:
            if self._op is None:
                raise RuntimeError("a write outside Store.transaction()")
            op_id, device, origin = self._op[0], self.device_id, "local"
            hlc = self.clock.tick()
        if not self._op_written:
            self.db.execute(
                "INSERT OR IGNORE INTO change_ops (op_id, label, device_id, hlc, origin, reverts)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [op_id, self._label, device, hlc, origin, self._reverts])
            self._op_written = True
        return op_id, hlc, device, origin

    def _log(self, entries: Sequence[tuple[str, str, str, Any, Any]]) -> None:
        """Entries (table, row_uuid, field, old, new) of one data statement. A new row made on
        another device is not logged (see :meth:`ChangeSync.apply_remote`)."""
        if self._remote is not None:
            entries = [e for e in entries if e[2] != "*"]
        if not entries:
            return
        op_id, hlc, device, origin = self._op_id()
        pushed = now() if origin == "remote" else None
        self.db.conn.executemany(LOG_INSERT, [
            (op_id, hlc, device, t, u, f, o, n, origin, pushed) for t, u, f, o, n in entries])

    # -- references ------------------------------------------------------------------------
    def uuid_of(self, table: str, id_: int | None) -> str | None:
        if id_ is None:
            return None
        key = (table, int(id_))
        got = self._uuids.get(key)
        if got is None:
            row = self.db.execute(f"SELECT uuid FROM {table} WHERE rowid = ?", [id_]).fetchone()
            if row is None:
                raise ValidationError(
                    "a record this one refers to does not exist (it may have been deleted)")
            got = self._uuids[key] = str(row[0])
        return got

    def id_of(self, table: str, uuid: str | None) -> int | None:
        if uuid is None:
            return None
        key = (table, uuid)
        got = self._ids.get(key)
        if got is None:
            row = self.db.execute(f"SELECT rowid FROM {table} WHERE uuid = ?", [uuid]).fetchone()
            if row is None:
                raise RecordNotFound(f"no {spec(table).record} with uuid {uuid}")
            got = self._ids[key] = int(row[0])
        return got

    def _portable(self, table: str, col: str, value: Any) -> Any:
        to = spec(table).refs.get(col)
        return self.uuid_of(to, value) if to is not None and value is not None else value

    def _uuid_map(self, table: str, ids: Iterable[int]) -> dict[int, str]:
        want = sorted({int(i) for i in ids if i is not None} - {
            i for (t, i) in self._uuids if t == table})
        for k in range(0, len(want), 500):
            chunk = want[k:k + 500]
            marks = ",".join("?" * len(chunk))
            for i, u in self.db.execute(
                    f"SELECT rowid, uuid FROM {table} WHERE rowid IN ({marks})", chunk):
                self._uuids[(table, int(i))] = str(u)
        return {i: u for (t, i), u in self._uuids.items() if t == table}

    # -- writes ---------------------------------------------------------------------------
    def insert(self, table: str, row: Row) -> int:
        """Insert one row (a uuid and ``updated_at`` are added when missing); returns its id."""
        row = self._stamped(table, row)
        cols = list(row)
        cur = self.db.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            list(row.values()))
        rid = int(cur.lastrowid)  # type: ignore[arg-type]
        self._uuids[(table, rid)] = row["uuid"]
        self._ids[(table, row["uuid"])] = rid
        self._hook(table)
        self._log([(table, row["uuid"], "*", None, self._snapshot(table, row))])
        return rid

    def update(self, table: str, id_: int, row: Row, *, live_only: bool = True) -> list[str]:
        """Change the fields of row ``id_`` that differ from ``row``, in place; returns them."""
        cols = [c for c in row if c not in ("id", "uuid")]
        if not cols:
            return []
        row = clean_row(row)
        alive = " AND deleted_at IS NULL" if live_only else ""
        cur = self.db.execute(
            f"SELECT uuid, {', '.join(cols)} FROM {table} WHERE rowid = ?{alive}", [id_])
        old = cur.fetchone()
        if old is None:
            raise RecordNotFound(f"no {spec(table).record} with id {id_}")
        changed = [(c, o) for c, o in zip(cols, old[1:], strict=True)
                   if c != "updated_at" and not same_value(o, row[c])]
        if not changed:
            return []
        sets = {c: row[c] for c, _ in changed}
        if "updated_at" not in sets:
            sets["updated_at"] = row.get("updated_at") or now()
        self.db.execute(
            f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in sets)} WHERE rowid = ?",
            [*sets.values(), id_])
        self._hook(table)
        self._log([(table, str(old[0]), c, self._portable(table, c, o),
                    self._portable(table, c, row[c])) for c, o in changed])
        return [c for c, _ in changed]

    def tombstone(self, table: str, id_: int) -> None:
        """Delete row ``id_``: it stays, marked ``deleted_at``, with its children (follow-ups,
        photos…). Refused while a live row still points at it."""
        t = spec(table)
        if t.retire is not None:
            self.update(table, id_, dict(t.retire))
            return
        for child, col in referrers(table):
            if spec(child).parent == col:
                continue
            hit = self.db.execute(
                f"SELECT 1 FROM {child} WHERE {col} = ? AND deleted_at IS NULL LIMIT 1",
                [id_]).fetchone()
            if hit is not None:
                raise ValidationError(IN_USE)
        stamp = now()
        self.update(table, id_, {"deleted_at": stamp, "updated_at": stamp})
        for child, col in referrers(table):
            if spec(child).parent == col:
                for (cid,) in self.db.execute(
                        f"SELECT rowid FROM {child} WHERE {col} = ? AND deleted_at IS NULL",
                        [id_]).fetchall():
                    self.update(child, cid, {"deleted_at": stamp, "updated_at": stamp})

    def _stamped(self, table: str, row: Row) -> Row:
        row = clean_row(row)
        if not row.get("uuid"):
            t = spec(table)
            if t.natural_key:
                key = "|".join(str(row[k]) for k in t.natural_key)
                row["uuid"] = str(_uuid.uuid5(_uuid.NAMESPACE_URL, f"roasterdesk:{table}:{key}"))
            else:
                row["uuid"] = str(_uuid.uuid4())
        if not row.get("updated_at"):
            row["updated_at"] = now()
        return row

    def _snapshot(self, table: str, row: Row, maps: dict[str, dict[int, str]] | None = None
                  ) -> str:
        refs = spec(table).refs
        out = {}
        for c, v in row.items():
            if c in NOT_LOGGED or v is None:
                continue
            if c in refs:
                v = maps[c][v] if maps is not None else self.uuid_of(refs[c], v)
            out[c] = v
        return json.dumps(out, ensure_ascii=False, separators=(",", ":"), default=str)

    def _hook(self, table: str) -> None:
        if self.after_data_write is not None:
            self.after_data_write(table)

    # -- bulk writes ----------------------------------------------------------------------
    def insert_many(self, table: str, rows: Sequence[Row]) -> list[str]:
        """Insert many rows of one table (all with the same columns) with one statement and their
        change-log entries with another; returns their uuids in order.

        The entries of new rows are made by SQLite itself (``json_object`` over the rows just
        inserted, references turned into uuids by a join), which keeps a 100,000-row import near
        the speed of a plain ``executemany``."""
        if not rows:
            return []
        rows = [self._stamped(table, r) for r in rows]
        cols = list(rows[0])
        get = itemgetter(*cols)
        values = [get(r) for r in rows] if len(cols) > 1 else [(get(r),) for r in rows]
        before = self.db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0] or 0
        given = [r["id"] for r in rows] if "id" in cols else []
        self._insert_values(table, cols, values)
        self._hook(table)
        op_id, hlc, device, origin = self._op_id()
        if given and min(given) <= before:  # rows put between old ones: log them one by one
            refs = spec(table).refs
            maps = {c: self._uuid_map(to, (r[c] for r in rows)) for c, to in refs.items()
                    if c in cols}
            pushed = now() if origin == "remote" else None
            self.db.conn.executemany(LOG_INSERT, [
                (op_id, hlc, device, table, r["uuid"], "*", None,
                 self._snapshot(table, r, maps), origin, pushed) for r in rows])
        else:
            self.db.execute(self._log_new_rows_sql(table, cols), {
                "op": op_id, "hlc": hlc, "dev": device, "origin": origin,
                "pushed": now() if origin == "remote" else None, "after": before})
        return [r["uuid"] for r in rows]

    def _insert_values(self, table: str, cols: list[str], values: Sequence[Sequence[Any]]) -> None:
        """INSERT rows (value lists in ``cols`` order), many rows per statement as sqlite-utils
        does: fewer statements to step through."""
        per = max(1, min(500, _MAX_VARIABLES // len(cols)))
        one = f"({', '.join('?' * len(cols))})"
        head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
        full = len(values) - len(values) % per
        if full:
            self.db.conn.executemany(head + ", ".join([one] * per), [
                [v for row in values[i:i + per] for v in row] for i in range(0, full, per)])
        if full < len(values):
            rest = values[full:]
            self.db.execute(head + ", ".join([one] * len(rest)), [v for row in rest for v in row])

    def _log_new_rows_sql(self, table: str, cols: list[str]) -> str:
        """INSERT … SELECT of the change-log entries of the rows of ``table`` past ``:after``."""
        refs = spec(table).refs
        pairs = []
        for c in cols:
            if c in NOT_LOGGED:
                continue
            value = (f"(SELECT uuid FROM {refs[c]} WHERE rowid = n.{c})" if c in refs
                     else f"n.{c}")
            pairs.append(f"'{c}', {value}")
        return (
            "INSERT INTO change_log (op_id, hlc, device_id, table_name, row_uuid, field, "
            "old_value, new_value, origin, pushed_at) "
            f"SELECT :op, :hlc, :dev, '{table}', n.uuid, '*', NULL, "
            f"json_patch('{{}}', json_object({', '.join(pairs)})), :origin, :pushed "
            f"FROM {table} n WHERE n.rowid > :after ORDER BY n.rowid")

    def update_many(self, table: str, rows: Sequence[tuple[int, Row]]) -> int:
        """Update many rows in place (only the fields that differ); returns how many changed."""
        changed = 0
        for id_, row in rows:
            if self.update(table, id_, row):
                changed += 1
        return changed


def clean_row(row: Row) -> Row:
    """A copy of ``row`` whose texts hold no control characters (:func:`clean_text`): the one
    place every write of the store passes, whatever typed, imported or synced the text."""
    return {c: clean_text(v) if isinstance(v, str) else v for c, v in row.items()}


def same_value(a: Any, b: Any) -> bool:
    """Equal as stored (SQLite gives back ints for booleans; text stays the text given)."""
    if a is None or b is None:
        return a is None and b is None
    return bool(a == b)
