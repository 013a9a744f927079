"""Every write of user data, and its record in the change log, in one SQLite transaction.

The store writes rows only through :class:`ChangeLog`: ``insert``, ``update`` (only the fields
that differ, in place), ``tombstone`` and their bulk forms. Each writes the data statement and
then its change-log rows on the same connection, inside the caller's transaction, so a crash
leaves both or neither.

The log is the outbox of team sync:

- one row per changed field (``change_log``), with the value before and after, the table and the
  row's uuid; a new row is one entry with field ``*`` (its fields as JSON); a deletion sets
  ``deleted_at``. References (``producer_id``…) are written as the uuid of the row they point at.
- each entry has a hybrid logical clock (:class:`Clock`): ``"<ms:015d>-<counter:06d>-<device>"``,
  increasing on this device even if the wall clock goes back, and sortable as text;
- entries of one user action share an ``op_id`` (``change_ops`` holds its label), so an action is
  pushed, applied and undone as a whole;
- :meth:`ChangeLog.unpushed` lists the local entries not yet pushed, in order, and
  :meth:`ChangeLog.mark_pushed` marks them; :meth:`ChangeLog.apply_remote` writes changes made
  on another device with *their* uuids and clocks, their field changes logged as
  ``origin='remote'`` (already pushed), never as local changes; the new rows it adds are not
  logged (see :meth:`ChangeLog.apply_remote`).
"""

from __future__ import annotations

from .change_sync import ChangeSync
from .change_writer import IN_USE, LOG_INSERT, Change, ChangeWriter, Row, clean_row, same_value
from .clock import Clock
from .kinds import NOT_LOGGED, spec

__all__ = ["IN_USE", "LOG_INSERT", "Change", "ChangeLog", "ChangeSync", "ChangeWriter", "Clock",
           "Row"]

_clean = clean_row  # the one cleaning of every text written (its older name)
_same = same_value


class ChangeLog(ChangeSync):
    """The write path of one connection (see the module text): local writes
    (:class:`ChangeWriter`), push and pull (:class:`ChangeSync`), erasure and undo."""

    def forget(self, text: str, alias: str, table: str | None = None,
               row_uuid: str | None = None) -> None:
        """Erase personal data from the log (a request to be forgotten): ``text`` becomes
        ``alias`` in every logged value, and the earlier values of row ``row_uuid`` of
        ``table`` are cleared (its creation entry keeps only what the row holds now)."""
        for col in ("old_value", "new_value"):
            self.db.execute(
                f"UPDATE change_log SET {col} = replace({col}, ?1, ?2) "
                f"WHERE typeof({col}) = 'text' AND instr({col}, ?1) > 0", [text, alias])
        if table is None or row_uuid is None:
            return
        self.db.execute("UPDATE change_log SET old_value = NULL WHERE table_name = ? "
                        "AND row_uuid = ?", [table, row_uuid])
        cols = [r[1] for r in self.db.execute(f"PRAGMA table_info({table})")]
        row = self.db.execute(f"SELECT * FROM {table} WHERE uuid = ?", [row_uuid]).fetchone()
        snap = self._snapshot(table, dict(zip(cols, row, strict=True)))
        self.db.execute("UPDATE change_log SET new_value = ? WHERE table_name = ? "
                        "AND row_uuid = ? AND field = '*'", [snap, table, row_uuid])
        for field_ in cols:
            if field_ in NOT_LOGGED:
                continue
            self.db.execute(
                "UPDATE change_log SET new_value = (SELECT " + field_ + f" FROM {table} "
                "WHERE uuid = ?1) WHERE table_name = ?2 AND row_uuid = ?1 AND field = ?3",
                [row_uuid, table, field_])

    # -- undo ---------------------------------------------------------------------------
    def revert(self, op_id: str) -> list[str]:
        """Write the changes that undo action ``op_id`` (in the caller's transaction, as a new
        action); returns the tables touched. New rows are deleted (or retired), changed fields
        get their old value back, deleted rows come back."""
        touched: list[str] = []
        for ch in reversed(self.changes_of(op_id)):
            t = spec(ch.table)
            rid = self.id_of(ch.table, ch.row_uuid)
            assert rid is not None
            if ch.field == "*":
                if t.retire is not None:
                    self.update(ch.table, rid, dict(t.retire), live_only=False)
                elif self._alive(ch.table, rid):
                    self.tombstone(ch.table, rid)
            else:
                old = self.id_of(t.refs[ch.field], ch.old) if ch.field in t.refs else ch.old
                self.update(ch.table, rid, {ch.field: old}, live_only=False)
            if ch.table not in touched:
                touched.append(ch.table)
        return touched

    def _alive(self, table: str, rid: int) -> bool:
        row = self.db.execute(f"SELECT deleted_at IS NULL FROM {table} WHERE rowid = ?",
                              [rid]).fetchone()
        return bool(row[0])

