"""Bulk writes for import, the demo and sync: many records in one transaction, all logged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..domain.analysis import LotAnalysis
from ..domain.model import Lot
from . import rows as R
from .base import StoreBase
from .codec import now
from .record_kinds import kind_of
from .sql import METRICS_UPSERT, _chunks, metrics_row


class BulkRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

    def insert_many(self, table: str, rows: Sequence[dict[str, Any]]) -> list[str]:
        """Insert rows of one table (each with the same columns, as made by
        :mod:`roasterdesk.store.rows`; ``id`` may be given) in one statement, with their
        change-log entries; returns their uuids. Inside the caller's transaction, or its own.
        Lot metrics are not refreshed: call :meth:`refresh_metrics` or :meth:`write_metrics`."""
        with self.transaction():
            return self.log.insert_many(table, rows)

    def update_many(self, table: str, rows: Sequence[tuple[int, dict[str, Any]]]) -> int:
        """Change rows in place (only the fields that differ, each logged); returns how many
        rows changed."""
        with self.transaction():
            return self.log.update_many(table, rows)

    def add_records(self, records: Sequence[Any], stamp: str | None = None,
                    overrides: Sequence[dict[str, Any] | None] | None = None) -> dict[str, int]:
        """Insert new records of one kind (Producer, Person, Plot, Lot, Visit…) with their
        child rows (a lot's fixations, cost legs, plots and premiums; a visit's follow-ups and
        photos) in a few statements; returns uuid → new id. Lot metrics are not refreshed.

        ``overrides[i]`` (when given) replaces columns of record *i*'s row, e.g. the id of a
        producer created in the same write, without copying the record."""
        if not records:
            return {}
        kind = kind_of(records[0])
        table, to_row = kind.table, kind.to_row
        stamp = stamp or now()
        rows = []
        for n, rec in enumerate(records):
            row = to_row(rec)
            if overrides is not None and overrides[n]:
                row.update(overrides[n])  # type: ignore[arg-type]
            row["updated_at"] = stamp
            if table in ("producers", "lots"):
                row["created_at"] = stamp
            rows.append(row)
        with self.transaction():
            self.log.insert_many(table, rows)
            ids = self.ids_by_uuid(table, [r.uuid for r in records])
            if table == "lots":
                self._add_lot_parts(records, ids, stamp)
            elif table == "visits":
                fus = [{**R.follow_up_to_row(f), "visit_id": ids[v.uuid]}
                       for v in records for f in v.follow_ups]
                phs = [{**R.photo_to_row(p), "visit_id": ids[v.uuid]}
                       for v in records for p in v.photos]
                self.log.insert_many("follow_ups", fus)
                self.log.insert_many("photos", phs)
        return ids

    def _add_lot_parts(self, lots: Sequence[Lot], ids: dict[str, int], stamp: str) -> None:
        log = self.log
        log.insert_many("fixations", [{**R.fixation_to_row(f), "lot_id": ids[lot.uuid]}
                                      for lot in lots for f in lot.fixations])
        log.insert_many("cost_legs", [{**R.cost_leg_to_row(c), "lot_id": ids[lot.uuid]}
                                      for lot in lots for c in lot.costs])
        log.insert_many("lot_plots", [{"lot_id": ids[lot.uuid], "plot_id": p}
                                      for lot in lots for p in lot.plot_ids])
        log.insert_many("premiums", [{**R.premium_to_row(p, ids[lot.uuid]), "created_at": stamp}
                                     for lot in lots for p in lot.premiums])

    def update_records(self, records: Sequence[Any], stamp: str | None = None) -> int:
        """Save changed records of one kind in place (child rows matched as in
        :meth:`save_lot`); returns how many changed. Lot metrics are not refreshed."""
        if not records:
            return 0
        kind = kind_of(records[0])
        table, to_row = kind.table, kind.to_row
        stamp = stamp or now()
        changed = 0
        with self.transaction():
            for rec in records:
                if self.log.update(table, rec.id, {**to_row(rec), "updated_at": stamp}):
                    changed += 1
                if table == "lots":
                    self._save_children("fixations", "lot_id", rec.id,
                                        [R.fixation_to_row(f) for f in rec.fixations])
                    self._save_children("cost_legs", "lot_id", rec.id,
                                        [R.cost_leg_to_row(c) for c in rec.costs])
                    self._save_children("lot_plots", "lot_id", rec.id,
                                        [{"plot_id": p} for p in rec.plot_ids], key="plot_id")
                    self._save_premiums(rec.id, rec.premiums)
                elif table == "visits":
                    self._save_children("follow_ups", "visit_id", rec.id,
                                        [R.follow_up_to_row(f) for f in rec.follow_ups])
        return changed

    def ids_by_uuid(self, table: str, uuids: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(list(uuids), 500):  # type: ignore[arg-type]
            marks = ",".join("?" * len(chunk))
            out.update((str(u), int(i)) for u, i in self.db.execute(
                f"SELECT uuid, id FROM {table} WHERE uuid IN ({marks})", chunk))
        return out

    def write_metrics(self, analyses: Iterable[LotAnalysis]) -> None:
        """Store the derived figures of lots already analysed (bulk work that holds the
        producers' records in memory: the demo)."""
        with self.transaction():
            self.db.conn.executemany(METRICS_UPSERT, [metrics_row(a) for a in analyses])

    # -- search and overview -----------------------------------------------------------------
