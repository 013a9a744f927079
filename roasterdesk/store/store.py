"""The store: one object per open database, with a repository method per user-level change.

Every public write method is one transaction (``db.atomic()``; nested calls become savepoints,
so a service can group several into one user action with :meth:`Store.transaction`). After a
write the derived ``lot_metrics`` of the producer's lots are refreshed in the same transaction.

Rows are written only through :attr:`Store.log` (:class:`~roasterdesk.store.changes.ChangeLog`):
each changed field is recorded in the change log in the same transaction, updates change rows in
place, and deletions leave a tombstone (``deleted_at``), which every read leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.analysis import LotAnalysis
from ..domain.harvest import current_harvest
from .bulk import BulkRecords
from .cipher import open_any
from .db import FileVersion, is_empty, verified_backup_first
from .errors import RecordNotFound, StoreError
from .eudr_records import EudrRecords
from .kinds import REFERENCE_TABLES
from .lots import LotRecords
from .metrics import MetricsRecords
from .producer_records import ProducerChildRecords
from .producers import ProducerRecords
from .queries import SearchHit, SearchQueries
from .record_kinds import kind_of
from .reference_data import ReferenceRecords
from .sql import (  # noqa: F401  (callers import these from store.store)
    LIVE,
    MAX_SEARCH_CHARS,
    MAX_SEARCH_TERMS,
    METRICS_UPSERT,
    _chunks,
    fts_query,
    like_contains,
    metrics_row,
)
from .visits import VisitRecords

if TYPE_CHECKING:
    pass


class Store(  # the one facade: every record kind's methods come from its module
    ProducerRecords, ProducerChildRecords, VisitRecords, LotRecords, ReferenceRecords,
    MetricsRecords, BulkRecords, SearchQueries,
    EudrRecords,
):
    # -- life cycle -------------------------------------------------------------------------
    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        create: bool = True,
        before_migrate: Callable[[Path, FileVersion], None] | None = verified_backup_first,
        key: bytes | None = None,
        check: bool = True,
    ) -> Store:
        """Open ``path`` through :func:`roasterdesk.store.cipher.open_any` (plain, or encrypted
        with ``key`` or a key remembered for ``path`` in this process)."""
        return cls(open_any(path, create=create, before_migrate=before_migrate, key=key,
                            check=check), Path(path))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def save(self, record: Any) -> Any:
        """Save a record of any kind (its own ``save_*`` method)."""
        return kind_of(record).save(self, record)

    def delete(self, record: Any) -> None:
        """Delete a record of any kind; a lot is cancelled (lots are never deleted)."""
        kind_of(record).delete(self, record)

    # -- undo -------------------------------------------------------------------------------
    def revert(self, op_id: str, label: str = "") -> list[str]:
        """Undo the action ``op_id`` from its change-log entries, as a new action (which can be
        reverted in turn: redo); returns the tables it touched."""
        changes = self.log.changes_of(op_id)
        if not changes:
            raise RecordNotFound(f"no action {op_id} in the change log")
        with self.transaction(label or "Undo"):
            self.log._reverts = op_id
            tables = self.log.revert(op_id)
            owners = {self._owner(c.table, c.row_uuid) for c in changes}
            if None in owners:
                self._reference = None
                self.refresh_all_metrics()
            else:
                for pid in owners:
                    self.refresh_metrics(pid)
        return tables

    def _owner(self, table: str, row_uuid: str) -> int | None:
        """The producer a row belongs to (None for reference data, which every lot uses)."""
        sql = {
            "producers": "SELECT id FROM producers t WHERE uuid = ?",
            "follow_ups": "SELECT v.producer_id FROM follow_ups t JOIN visits v "
                          "ON v.id = t.visit_id WHERE t.uuid = ?",
            "photos": "SELECT v.producer_id FROM photos t JOIN visits v ON v.id = t.visit_id "
                      "WHERE t.uuid = ?",
        }.get(table)
        if table in ("lot_plots", "fixations", "cost_legs", "premiums"):
            sql = (f"SELECT l.producer_id FROM {table} t JOIN lots l ON l.id = t.lot_id "
                   "WHERE t.uuid = ?")
        elif sql is None and table not in REFERENCE_TABLES:
            sql = f"SELECT producer_id FROM {table} WHERE uuid = ?"
        if sql is None:
            return None
        row = self.db.execute(sql, [row_uuid]).fetchone()
        return int(row[0]) if row else None

    # -- bulk writes (demo, import) --------------------------------------------------------
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def is_empty(self) -> bool:
        return is_empty(self.db)


def table_of(record: Any) -> str:
    """The table a record of the domain is stored in."""
    return kind_of(record).table






__all__ = ["Store", "StoreError", "LotAnalysis", "SearchHit", "current_harvest"]
