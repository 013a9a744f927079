"""The sync side of the change log: the outbox (changes not yet pushed) and applying changes
made on another device (:meth:`ChangeSync.apply_remote`), last writer wins per field.

:class:`ChangeSync` sits between :class:`~roasterdesk.store.change_writer.ChangeWriter` (the
local write path it uses) and :class:`~roasterdesk.store.changes.ChangeLog`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .change_writer import _MAX_VARIABLES, Change, ChangeWriter, Row, clean_row
from .codec import now
from .errors import RecordNotFound
from .kinds import referrers, spec

_CONSTANT = re.compile(r"'(?:[^']|'')*'|-?[0-9]+(?:\.[0-9]+)?")
_NOT_CONSTANT = object()


class ChangeSync(ChangeWriter):
    """Push and pull of the change log (see the module text)."""

    def unpushed(self, limit: int = 1000, after: int = 0) -> list[Change]:
        """Local changes not yet pushed, oldest first (``after``: a seq to continue from)."""
        return [Change(*r) for r in self.db.execute(
            "SELECT seq, op_id, hlc, device_id, table_name, row_uuid, field, old_value, "
            "new_value, origin FROM change_log WHERE pushed_at IS NULL AND seq > ? "
            "ORDER BY seq LIMIT ?", [after, limit])]

    def mark_pushed(self, seqs: Iterable[int], at: str | None = None) -> None:
        stamp = at or now()
        with self.db.atomic():
            self.db.conn.executemany("UPDATE change_log SET pushed_at = ? WHERE seq = ?",
                                     [(stamp, s) for s in seqs])

    @contextmanager
    def hub_values(self, table: str, row_uuid: str, field_: str,
                   refused_op: str = "") -> Iterator[None]:
        """Writes inside are of a value the hub holds already (a conflict resolved as theirs):
        logged under the action's op id as already pushed, never sent again, with no clock
        (the hub's value is never later than a teammate's next change). The local changes of
        ``field_`` of that row the hub never took (not pushed, or of ``refused_op``, the op
        whose conflict this is) leave the log: sending them would bring the conflict back (or
        be refused again for a viewer), and their clocks would make the laptop skip a
        teammate's later change of the field (last writer wins)."""
        if self._op is None:
            raise RuntimeError("a write outside Store.transaction()")
        self.db.execute("DELETE FROM change_log WHERE origin = 'local' AND table_name = ? AND "
                        "row_uuid = ? AND field = ? AND (pushed_at IS NULL OR op_id = ?)",
                        [table, row_uuid, field_, refused_op])
        self._remote = (self._op[0], "", self.device_id)
        try:
            yield
        finally:
            self._remote = None

    def changes_of(self, op_id: str) -> list[Change]:
        return [Change(*r) for r in self.db.execute(
            "SELECT seq, op_id, hlc, device_id, table_name, row_uuid, field, old_value, "
            "new_value, origin FROM change_log WHERE op_id = ? ORDER BY seq", [op_id])]

    def field_hlc(self, table: str, row_uuid: str, field: str) -> str | None:
        """The clock of the latest change to a field (or to the whole row) seen here."""
        row = self.db.execute(
            "SELECT max(hlc) FROM change_log WHERE table_name = ? AND row_uuid = ? "
            "AND field IN (?, '*')", [table, row_uuid, field]).fetchone()
        return row[0] if row else None

    def apply_remote(self, changes: Iterable[Change]) -> list[Change]:
        """Write changes made on another device (inside the caller's transaction), each with its
        own op id, clock and device; a field changed here later than the remote change keeps the
        local value (last writer wins, per field). Returns the changes applied.

        New rows (``field == "*"``) of one table in a row are inserted together
        (:meth:`_apply_inserts`): a laptop joining a team pulls whole tables. New rows get no
        entry in this log: it is this device's outbox and the per-field clocks of last writer
        wins (:meth:`field_hlc`), and the hub's feed keeps who made a row and when. No change
        of a row can be older than its creation (whoever changes it has seen it, and its
        clock), so an entry for it would never decide a field; field changes are logged."""
        applied: list[Change] = []
        run: list[Change] = []

        def flush() -> None:
            if run:
                applied.extend(self._apply_inserts(run[0].table, run))
                run.clear()

        for ch in changes:
            if ch.field == "*":
                if run and run[0].table != ch.table:
                    flush()
                run.append(ch)
                continue
            flush()
            self.clock.observe(ch.hlc)
            self._remote = (ch.op_id, ch.hlc, ch.device_id)
            try:
                if self._apply_one(ch):
                    applied.append(ch)
            finally:
                self._remote = None
        flush()
        return applied

    def _apply_inserts(self, table: str, changes: list[Change]) -> list[Change]:
        """Insert the new rows of ``changes`` (all of ``table``, in order) with multi-row
        statements, and their change-log entries under each change's own op id, clock and
        device. Rows this database already has are skipped (the insert does nothing for a
        uuid it finds: no look-up of every new row beforehand). A row that refers to a row of the
        same table earlier in ``changes`` (a member farm and its cooperative) starts a new
        statement after that one. A row referring to one this database lacks raises
        :class:`RecordNotFound` (the caller then applies change by change)."""
        fresh: dict[str, Change] = {}
        for ch in changes:
            fresh.setdefault(ch.row_uuid, ch)
        self_refs = [c for c, to in spec(table).refs.items() if to == table]
        done: list[Change] = []
        part: list[tuple[Change, Row]] = []
        waiting: set[str] = set()
        for ch in fresh.values():
            v = json.loads(ch.new)
            if "\\" in ch.new or not ch.new.isprintable():  # an escaped or raw control character
                v = clean_row(v)
            if any(v.get(c) in waiting for c in self_refs):
                done += self._insert_remote(table, part)
                part, waiting = [], set()
            part.append((ch, v))
            waiting.add(ch.row_uuid)
        done += self._insert_remote(table, part)
        if done:
            self.clock.observe(max(ch.hlc for ch in done))
        return done

    def _insert_remote(self, table: str, part: list[tuple[Change, Row]]) -> list[Change]:
        """Insert the rows of ``part`` ((change, cleaned values)) that this database does not
        have, unlogged (see :meth:`apply_remote`); their references are uuids, turned into this
        database's ids here. Returns the changes of the rows inserted."""
        if not part:
            return []
        t = spec(table)
        ids: dict[str, dict[str, int]] = {}
        for col, to in t.refs.items():
            want = {v[col] for _, v in part if v.get(col) is not None}
            ids[col] = self._id_map(to, want)
            missing = want - set(ids[col])
            if missing:
                raise RecordNotFound(f"no {spec(to).record} with uuid {sorted(missing)[0]}")
        stamp = now()
        present = {c for shape in {tuple(v) for _, v in part} for c in shape}
        refs = [c for c in t.refs if c in present]
        rows: list[Row] = []
        for ch, v in part:
            row = dict(v)
            for c in refs:
                x = row.get(c)
                if x is not None:
                    row[c] = ids[c][x]
            row["uuid"] = ch.row_uuid
            if not row.get("updated_at"):
                row["updated_at"] = stamp
            rows.append(row)
        # one statement for rows of every shape, in the feed's order (local ids in the order
        # rows were made, as one by one): a column a row lacks gets the column's default, as
        # an INSERT leaving it out would (the columns: each shape's, in order of appearance)
        cols = list(dict.fromkeys(c for shape in dict.fromkeys(tuple(r) for r in rows)
                                  for c in shape))
        fill = self._defaults(table)
        if any(fill.get(c) is _NOT_CONSTANT for c in cols):
            new: dict[str, int] = {}
            for r in rows:
                new.update(self._insert_new(table, list(r), [list(r.values())]))
        else:
            full = tuple(cols)
            new = self._insert_new(table, cols, [
                list(r.values()) if tuple(r) == full
                else [r[c] if c in r else fill.get(c) for c in cols] for r in rows])
        self._hook(table)
        if referrers(table):  # rows of the next pages refer to these
            self._ids.update({(table, u): i for u, i in new.items()})
        return [ch for ch, _ in part if ch.row_uuid in new]

    def _insert_new(self, table: str, cols: list[str], values: Sequence[Sequence[Any]]
                    ) -> dict[str, int]:
        """INSERT rows (value lists in ``cols`` order) many per statement, but none whose uuid
        is here already; returns uuid → id of the rows inserted."""
        per = max(1, min(500, _MAX_VARIABLES // len(cols)))
        one = f"({', '.join('?' * len(cols))})"
        head = f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
        tail = " ON CONFLICT (uuid) DO NOTHING RETURNING uuid, rowid"
        out: dict[str, int] = {}
        for i in range(0, len(values), per):
            chunk = values[i:i + per]
            out.update(self.db.execute(head + ", ".join([one] * len(chunk)) + tail,
                                       [v for row in chunk for v in row]).fetchall())
        return out

    def _defaults(self, table: str) -> dict[str, Any]:
        """Each column's default (a constant's value, else :data:`_NOT_CONSTANT`)."""
        known: dict[str, dict[str, Any]] = self.__dict__.setdefault("_column_defaults", {})
        got = known.get(table)
        if got is None:
            got = {}
            for r in self.db.execute(f"PRAGMA table_info({table})").fetchall():
                default = r[4]
                if default is None:
                    continue
                if _CONSTANT.fullmatch(str(default)):
                    got[r[1]] = self.db.execute(f"SELECT {default}").fetchone()[0]
                else:
                    got[r[1]] = _NOT_CONSTANT
            known[table] = got
        return got

    def _id_map(self, table: str, uuids: Iterable[str]) -> dict[str, int]:
        """uuid → rowid of the rows of ``table`` among ``uuids`` that exist (remembered)."""
        out: dict[str, int] = {}
        want = []
        for u in uuids:
            got = self._ids.get((table, u))
            if got is None:
                want.append(u)
            else:
                out[u] = got
        for k in range(0, len(want), 500):
            chunk = want[k:k + 500]
            marks = ",".join("?" * len(chunk))
            for rid, u in self.db.execute(
                    f"SELECT rowid, uuid FROM {table} WHERE uuid IN ({marks})", chunk):
                out[str(u)] = self._ids[(table, str(u))] = int(rid)
        return out

    def _apply_one(self, ch: Change) -> bool:
        t = spec(ch.table)
        seen = self.db.execute(
            f"SELECT rowid FROM {ch.table} WHERE uuid = ?", [ch.row_uuid]).fetchone()
        if ch.field == "*":
            if seen is not None:
                return False
            values = json.loads(ch.new)
            row = {c: (self.id_of(t.refs[c], v) if c in t.refs else v) for c, v in values.items()}
            self.insert(ch.table, {**row, "uuid": ch.row_uuid})
            return True
        if seen is None:
            raise RecordNotFound(f"no {t.record} with uuid {ch.row_uuid}")
        latest = self.field_hlc(ch.table, ch.row_uuid, ch.field)
        if latest is not None and latest > ch.hlc:
            return False
        value = self.id_of(t.refs[ch.field], ch.new) if ch.field in t.refs else ch.new
        self.update(ch.table, int(seen[0]), {ch.field: value}, live_only=False)
        return True
