"""The core every part of the store shares: the connection, the change log, the transaction
and the row helpers. Each record kind's methods live in their own module (``producers``,
``lots``, ``visits``...) as a mixin on :class:`StoreBase`; :class:`~roasterdesk.store.store.Store`
combines them into the one facade the other layers use."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain.analysis import Reference
from .changes import ChangeLog
from .cipher import database_errors, integrity_errors
from .codec import now
from .errors import RecordNotFound, ValidationError
from .kinds import record_name

if TYPE_CHECKING:
    from ..domain.model import Certification, Commitment, Lot, Producer, Project, Visit
    from .db import AnyDatabase

T = TypeVar("T")


class StoreBase:
    def __init__(self, db: AnyDatabase, path: Path) -> None:
        self.db = db
        self.path = path
        self.log = ChangeLog(db)
        self._reference: Reference | None = None

    @contextmanager
    def transaction(self, label: str = "") -> Iterator[AnyDatabase]:
        """Group several writes into one user action: all or nothing, one op id in the change
        log (``label`` names the action, e.g. "Edit lot")."""
        log = self.log
        outer = log.depth == 0
        committed = False
        try:
            with self.db.atomic():
                log.depth += 1
                try:
                    if outer:
                        log.begin(label)
                    elif label:
                        log.label(label)
                    yield self.db
                    if outer:
                        log.finish()
                finally:
                    log.depth -= 1
            committed = True
        except integrity_errors() as exc:  # stdlib's, and SQLCipher's on an encrypted database
            raise ValidationError(_integrity_message(exc)) from exc
        except database_errors() as exc:  # full, read-only, busy…: said as such, not a crash
            from .diagnosis import diagnose

            known = diagnose(exc, self.path)
            if known is None:
                raise
            raise known from exc
        finally:
            if outer:
                log.end(committed)
                if not committed:
                    self._reference = None

    # -- generic helpers --------------------------------------------------------------------
    def _one(self, table: str, id_: int) -> dict[str, Any]:
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ? AND deleted_at IS NULL",
                              [id_]).fetchone()
        if row is None:
            raise RecordNotFound(f"no {record_name(table)} with id {id_}")
        cols = [d[0] for d in self.db.execute(f"SELECT * FROM {table} LIMIT 0").description]
        return dict(zip(cols, row, strict=True))

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        return self.log.insert(table, row)

    def _update(self, table: str, id_: int, row: dict[str, Any], live_only: bool = True) -> None:
        self.log.update(table, id_, row, live_only=live_only)

    def _delete(self, table: str, id_: int) -> None:
        self.log.tombstone(table, id_)

    def _save(
        self,
        table: str,
        obj: T,
        to_row: Callable[[T], dict[str, Any]],
        producer_id: int,
        refresh: bool = True,
    ) -> T:
        row = to_row(obj)
        row["updated_at"] = now()
        with self.transaction():
            if obj.id is None:  # type: ignore[attr-defined]
                self.log.label(f"Add {record_name(table)}")
                if table in ("producers", "lots"):
                    row["created_at"] = row.get("updated_at") or now()
                new_id = self._insert(table, row)
                obj = replace(obj, id=new_id)  # type: ignore[type-var]
            else:
                self.log.label(f"Edit {record_name(table)}")
                self._update(table, obj.id, row)  # type: ignore[attr-defined]
            if refresh:
                self.refresh_metrics(producer_id or obj.id)  # type: ignore[attr-defined]
        return obj

    def _remove(self, table: str, id_: int, producer_id: int) -> None:
        with self.transaction(f"Delete {record_name(table)}"):
            self._delete(table, id_)
            self.refresh_metrics(producer_id)

    # -- producers and what hangs on them ---------------------------------------------------

    def _save_children(self, table: str, parent_col: str, parent_id: int,
                       rows: list[dict[str, Any]], key: str | None = None
                       ) -> list[tuple[int, str]]:
        """Make the live child rows of ``parent_id`` equal ``rows`` (in this order), changing
        stored rows in place: a row is matched by its uuid, else by equal content, else by
        position (an edited value); rows left over are deleted (tombstones), new ones inserted.
        ``key``: a column that identifies a child (lot_plots: plot_id), so that a child removed
        and added again comes back instead of being added twice. Returns (id, uuid) per row."""
        cols = [c for c in rows[0] if c != "uuid"] if rows else []
        live = " AND deleted_at IS NULL" if key is None else ""
        stored = self._rows(
            f"SELECT rowid AS rid, * FROM {table} WHERE {parent_col} = ?{live} ORDER BY rowid",
            [parent_id])
        out: list[tuple[int, str] | None] = [None] * len(rows)
        free = list(stored)

        def take(i: int, pred: Callable[[dict[str, Any]], bool]) -> None:
            for s in free:
                if pred(s):
                    free.remove(s)
                    self._update(table, s["rid"], {**rows[i], "uuid": s["uuid"],
                                                   "deleted_at": None}, live_only=False)
                    out[i] = (s["rid"], s["uuid"])
                    return

        tests: list[Callable[[int], Callable[[dict[str, Any]], bool]]] = [
            lambda i: lambda s: bool(rows[i].get("uuid")) and s["uuid"] == rows[i]["uuid"]]
        if key is not None:
            tests.append(lambda i: lambda s: s[key] == rows[i][key])
        else:
            tests += [lambda i: lambda s: all(s[c] == rows[i][c] for c in cols),
                      lambda i: lambda s: True]
        for test in tests:
            for i in range(len(rows)):
                if out[i] is None:
                    take(i, test(i))
        for i, row in enumerate(rows):
            if out[i] is None:
                row = {**row, parent_col: parent_id}
                if row.get("uuid") and self.db.execute(  # a copy of another record's child
                        f"SELECT 1 FROM {table} WHERE uuid = ?", [row["uuid"]]).fetchone():
                    row["uuid"] = ""
                rid = self._insert(table, row)
                out[i] = (rid, str(self.log.uuid_of(table, rid)))
        for s in free:
            if s["deleted_at"] is None:
                self._delete(table, s["rid"])
        return out  # type: ignore[return-value]

    if TYPE_CHECKING:  # provided by the record modules' mixins, combined in Store
        def refresh_metrics(self, producer_id: int | None) -> None: ...
        def refresh_all_metrics(
            self, progress: Callable[[int, int], None] | None = None) -> None: ...
        def producer(self, id_: int) -> Producer: ...
        def lots(self, producer_id: int) -> list[Lot]: ...
        def visits(self, producer_id: int) -> list[Visit]: ...
        def commitments(self, producer_id: int) -> list[Commitment]: ...
        def certifications(self, producer_id: int) -> list[Certification]: ...
        def projects(self, producer_id: int) -> list[Project]: ...
        def reference(self) -> Reference: ...
        def _save_premiums(self, lid: int, premiums: Iterable[Any]) -> list[Any]: ...


def _integrity_message(exc: Exception) -> str:
    text = str(exc)
    if "UNIQUE constraint failed: lots.code" in text:
        return "another lot already has this code"
    if "FOREIGN KEY" in text:  # deletes say IN_USE (see Store._delete)
        return "a record this one refers to does not exist (it may have been deleted)"
    if "never deleted" in text:
        return text
    return f"the change was refused by the database: {text}"
