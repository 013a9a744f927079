"""The store: one object per open database, with a repository method per user-level change.

Every public write method is one transaction (``db.atomic()``; nested calls become savepoints,
so a service can group several into one user action with :meth:`Store.transaction`). After a
write the derived ``lot_metrics`` of the producer's lots are refreshed in the same transaction.

Rows are written only through :attr:`Store.log` (:class:`~roasterdesk.store.changes.ChangeLog`):
each changed field is recorded in the change log in the same transaction, updates change rows in
place, and deletions leave a tombstone (``deleted_at``), which every read leaves out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain.analysis import LotAnalysis, Reference, analyse_lot
from ..domain.harvest import current_harvest
from ..domain.model import (
    Certification,
    Commitment,
    Lot,
    LotStatus,
    Person,
    Plot,
    Producer,
    Project,
    Visit,
    new_uuid,
)
from ..domain.reference import CSeries, FairtradeTerms, LivingIncomeReference
from ..domain.relationship import Relationship, relationship
from . import rows as R
from .changes import ChangeLog
from .cipher import database_errors, integrity_errors, open_any
from .codec import d2s, now
from .db import FileVersion, is_empty, verified_backup_first
from .errors import RecordNotFound, StoreError, ValidationError
from .eudr_records import EudrRecords
from .kinds import TABLES, record_name

if TYPE_CHECKING:
    from .db import AnyDatabase

T = TypeVar("T")


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "producer" | "visit" | "lot"
    id: int
    title: str
    snippet: str


class Store(EudrRecords):
    def __init__(self, db: AnyDatabase, path: Path) -> None:
        self.db = db
        self.path = path
        self.log = ChangeLog(db)
        self._reference: Reference | None = None

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
    def save_producer(self, p: Producer) -> Producer:
        if p.parent_id is not None and p.parent_id == p.id:
            raise ValidationError("a producer cannot be a member of itself")
        return self._save("producers", p, R.producer_to_row, 0)

    def producer(self, id_: int) -> Producer:
        return R.row_to_producer(self._one("producers", id_))

    def producer_by_uuid(self, uuid: str) -> Producer | None:
        rows = self._rows("SELECT * FROM producers WHERE uuid = ? AND deleted_at IS NULL", [uuid])
        return R.row_to_producer(rows[0]) if rows else None

    def producers(self, where: str = "", params: Iterable[Any] = ()) -> list[Producer]:
        sql = ("SELECT * FROM producers"
               " WHERE deleted_at IS NULL" + (f" AND ({where})" if where else "")
               + " ORDER BY name")
        return [R.row_to_producer(r) for r in self._rows(sql, params)]

    def members(self, cooperative_id: int) -> list[Producer]:
        return self.producers("parent_id = ?", [cooperative_id])

    def delete_producer(self, id_: int) -> None:
        """Only a producer with no lots, visits or other records can be deleted."""
        with self.transaction("Delete producer"):
            self._delete("producers", id_)

    def save_person(self, p: Person) -> Person:
        return self._save("people", p, R.person_to_row, p.producer_id)

    def people(self, producer_id: int) -> list[Person]:
        return [R.row_to_person(r) for r in self._rows(
            "SELECT * FROM people WHERE producer_id = ?"
            " AND deleted_at IS NULL ORDER BY name", [producer_id])]

    def person(self, id_: int) -> Person:
        return R.row_to_person(self._one("people", id_))

    def delete_person(self, p: Person) -> None:
        self._remove("people", p.id, p.producer_id)  # type: ignore[arg-type]

    def save_plot(self, p: Plot) -> Plot:
        return self._save("plots", p, R.plot_to_row, p.producer_id)

    def plots(self, producer_id: int) -> list[Plot]:
        return [R.row_to_plot(r) for r in self._rows(
            "SELECT * FROM plots WHERE producer_id = ?"
            " AND deleted_at IS NULL ORDER BY name", [producer_id])]

    def plot(self, id_: int) -> Plot:
        return R.row_to_plot(self._one("plots", id_))

    def delete_plot(self, p: Plot) -> None:
        self._remove("plots", p.id, p.producer_id)  # type: ignore[arg-type]

    def save_certification(self, c: Certification) -> Certification:
        return self._save("certifications", c, R.certification_to_row, c.producer_id)

    def certifications(self, producer_id: int) -> list[Certification]:
        return [R.row_to_certification(r) for r in self._rows(
            "SELECT * FROM certifications WHERE producer_id = ? AND deleted_at IS NULL "
            "ORDER BY valid_to DESC",
            [producer_id])]

    def delete_certification(self, c: Certification) -> None:
        self._remove("certifications", c.id, c.producer_id)  # type: ignore[arg-type]

    def save_commitment(self, c: Commitment) -> Commitment:
        return self._save("commitments", c, R.commitment_to_row, c.producer_id)

    def commitments(self, producer_id: int) -> list[Commitment]:
        return [R.row_to_commitment(r) for r in self._rows(
            "SELECT * FROM commitments WHERE producer_id = ? AND deleted_at IS NULL "
            "ORDER BY first_harvest",
            [producer_id])]

    def delete_commitment(self, c: Commitment) -> None:
        self._remove("commitments", c.id, c.producer_id)  # type: ignore[arg-type]

    def save_project(self, p: Project) -> Project:
        return self._save("projects", p, R.project_to_row, p.producer_id)

    def projects(self, producer_id: int) -> list[Project]:
        return [R.row_to_project(r) for r in self._rows(
            "SELECT * FROM projects WHERE producer_id = ?"
            " AND deleted_at IS NULL ORDER BY year", [producer_id])]

    def all_commitments(self) -> list[Commitment]:
        """Every commitment, the latest harvests first, then by producer name."""
        return [R.row_to_commitment(r) for r in self._rows(
            "SELECT c.* FROM commitments c JOIN producers p ON p.id = c.producer_id "
            "WHERE c.deleted_at IS NULL "
            "ORDER BY c.last_harvest DESC, p.name")]

    def all_projects(self) -> list[Project]:
        """Every funded project, the latest years first, then by producer name."""
        return [R.row_to_project(r) for r in self._rows(
            "SELECT j.* FROM projects j JOIN producers p ON p.id = j.producer_id "
            "WHERE j.deleted_at IS NULL "
            "ORDER BY j.year DESC, p.name")]

    def delete_project(self, p: Project) -> None:
        self._remove("projects", p.id, p.producer_id)  # type: ignore[arg-type]

    # -- visits ------------------------------------------------------------------------------
    def save_visit(self, v: Visit) -> Visit:
        """Save a visit with its follow-ups and photos, in one transaction: child rows are
        matched by uuid and changed in place; those no longer on the visit are deleted."""
        with self.transaction():
            v = self._save("visits", v, R.visit_to_row, v.producer_id)
            fus = self._save_children(
                "follow_ups", "visit_id", v.id,  # type: ignore[arg-type]
                [R.follow_up_to_row(f) for f in v.follow_ups])
            phs = self._save_children(
                "photos", "visit_id", v.id,  # type: ignore[arg-type]
                [R.photo_to_row(p) for p in v.photos])
        return replace(
            v, follow_ups=tuple(replace(f, id=i, uuid=u) for f, (i, u) in zip(
                v.follow_ups, fus, strict=True)),
            photos=tuple(replace(p, uuid=u) for p, (_i, u) in zip(v.photos, phs, strict=True)))

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

    def visit(self, id_: int) -> Visit:
        return self._visits_from(self._rows(
            "SELECT * FROM visits WHERE id = ? AND deleted_at IS NULL", [id_]), id_)[0]

    def visits(self, producer_id: int) -> list[Visit]:
        return self._visits_from(self._rows(
            "SELECT * FROM visits WHERE producer_id = ?"
            " AND deleted_at IS NULL ORDER BY date DESC", [producer_id]))

    def _visits_from(self, vrows: list[dict[str, Any]], want: int | None = None) -> list[Visit]:
        if want is not None and not vrows:
            raise RecordNotFound(f"no visit with id {want}")
        ids = [r["id"] for r in vrows]
        fus: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        phs: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for f in self._rows(
                f"SELECT * FROM follow_ups WHERE visit_id IN ({marks}){LIVE} ORDER BY id", chunk
            ):
                fus[f["visit_id"]].append(f)
            for p in self._rows(
                f"SELECT * FROM photos WHERE visit_id IN ({marks}){LIVE} ORDER BY id", chunk
            ):
                phs[p["visit_id"]].append(p)
        return [R.row_to_visit(r, fus[r["id"]], phs[r["id"]]) for r in vrows]

    def visits_showing(self, person_id: int) -> list[int]:
        """Ids of the visits with a photo of the person."""
        return [int(r[0]) for r in self.db.execute(
            "SELECT DISTINCT visit_id FROM photos WHERE person_id = ? AND deleted_at IS NULL",
            [person_id])]

    def forget_text(self, text: str, alias: str, person: Person | None = None) -> None:
        """Replace ``text`` by ``alias`` in the change log's values (and clear the earlier
        values of ``person``'s row): what a pseudonymised person was called is gone from the
        history too."""
        with self.transaction():
            self.log.forget(text, alias, "people" if person else None,
                            person.uuid if person else None)

    def delete_visit(self, v: Visit) -> None:
        with self.transaction("Delete visit"):
            for (pid,) in self.db.execute(
                    "SELECT id FROM projects WHERE evidence_visit_id = ? AND deleted_at IS NULL",
                    [v.id]).fetchall():
                self._update("projects", pid, {"evidence_visit_id": None})
            self._remove("visits", v.id, v.producer_id)  # type: ignore[arg-type]

    def set_follow_up_done(self, follow_up_id: int, done: bool) -> None:
        with self.transaction("Mark follow-up done" if done else "Reopen follow-up"):
            self._update("follow_ups", follow_up_id, {"done": int(done)})

    # -- lots --------------------------------------------------------------------------------
    def save_lot(self, lot: Lot) -> Lot:
        """Save a lot with its fixations, cost legs, plots and premiums; child rows are changed
        in place (see :meth:`_save_children`).

        Premiums are payments: one that disappears from the lot is *voided*, never deleted.
        """
        with self.transaction():
            lot = self._save("lots", lot, R.lot_to_row, lot.producer_id, refresh=False)
            lid: int = lot.id  # type: ignore[assignment]
            fix = self._save_children("fixations", "lot_id", lid,
                                      [R.fixation_to_row(f) for f in lot.fixations])
            costs = self._save_children("cost_legs", "lot_id", lid,
                                        [R.cost_leg_to_row(c) for c in lot.costs])
            self._save_children("lot_plots", "lot_id", lid,
                                [{"plot_id": p} for p in lot.plot_ids], key="plot_id")
            kept = []
            for p in lot.premiums:
                row = R.premium_to_row(p, lid)
                found = self.db.execute("SELECT id, lot_id FROM premiums WHERE uuid = ?",
                                        [p.uuid]).fetchone()
                if found and found[1] == lid:
                    self._update("premiums", found[0], row)
                    kept.append(replace(p, id=found[0]))
                else:  # new, or a copy of another lot's payment: a payment of its own
                    if found:
                        p = replace(p, uuid=new_uuid())
                        row["uuid"] = p.uuid
                    row["created_at"] = now()
                    kept.append(replace(p, id=self._insert("premiums", row)))
            uuids = [p.uuid for p in kept]
            marks = ",".join("?" * len(uuids))
            for (pid,) in self.db.execute(
                "SELECT id FROM premiums WHERE lot_id = ? AND voided = 0"
                + (f" AND uuid NOT IN ({marks})" if uuids else ""), [lid, *uuids]
            ).fetchall():
                self._update("premiums", pid, {"voided": 1})
            self.refresh_metrics(lot.producer_id)
        return replace(
            lot, premiums=tuple(kept),
            fixations=tuple(replace(f, uuid=u) for f, (_i, u) in zip(
                lot.fixations, fix, strict=True)),
            costs=tuple(replace(c, uuid=u) for c, (_i, u) in zip(lot.costs, costs, strict=True)))

    def lot(self, id_: int) -> Lot:
        return self._lots_from(self._rows("SELECT * FROM lots WHERE id = ?", [id_]), id_)[0]

    def lot_by_code(self, code: str) -> Lot | None:
        rows = self._rows("SELECT * FROM lots WHERE code = ?", [code])
        return self._lots_from(rows)[0] if rows else None

    def lots(self, producer_id: int) -> list[Lot]:
        return self._lots_from(self._rows(
            "SELECT * FROM lots WHERE producer_id = ? ORDER BY harvest, code", [producer_id]))

    def lots_where(self, where: str, params: Iterable[Any] = ()) -> list[Lot]:
        return self._lots_from(self._rows(
            f"SELECT * FROM lots WHERE {where} ORDER BY harvest, code", params))

    def _lots_from(self, lrows: list[dict[str, Any]], want: int | None = None) -> list[Lot]:
        if want is not None and not lrows:
            raise RecordNotFound(f"no lot with id {want}")
        ids = [r["id"] for r in lrows]
        parts: dict[str, dict[int, list[Any]]] = {
            k: {i: [] for i in ids} for k in ("plots", "fixations", "cost_legs", "premiums")
        }
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self._rows(  # rowid order: the plots in the order they were entered
                f"SELECT * FROM lot_plots WHERE lot_id IN ({marks}){LIVE} ORDER BY rowid", chunk
            ):
                parts["plots"][r["lot_id"]].append(r["plot_id"])
            for table in ("fixations", "cost_legs", "premiums"):
                for r in self._rows(
                    f"SELECT * FROM {table} WHERE lot_id IN ({marks}){LIVE} ORDER BY id", chunk
                ):
                    parts[table][r["lot_id"]].append(r)
        return [
            R.row_to_lot(r, parts["plots"][r["id"]], parts["fixations"][r["id"]],
                         parts["cost_legs"][r["id"]], parts["premiums"][r["id"]])
            for r in lrows
        ]

    def cancel_lot(self, lot: Lot) -> Lot:
        """Lots are never deleted: a lot bought in error is cancelled and stays on record."""
        return self.save_lot(replace(lot, status=LotStatus.CANCELLED))

    # -- reference prices --------------------------------------------------------------------
    def reference(self) -> Reference:
        if self._reference is None:
            ft_rows = self._rows("SELECT * FROM fairtrade_terms WHERE deleted_at IS NULL "
                                 "ORDER BY valid_from DESC LIMIT 1")
            ft = R.row_to_fairtrade(ft_rows[0]) if ft_rows else None
            lir = [R.row_to_living_income(r) for r in self._rows(
                "SELECT * FROM living_income_refs WHERE deleted_at IS NULL ORDER BY country, year")]
            months = {
                (int(m[:4]), int(m[5:7])): Decimal(c)
                for m, c in self.db.execute("SELECT month, cents_lb FROM c_prices"
                                            " WHERE deleted_at IS NULL")
            }
            self._reference = Reference(ft, lir, CSeries(months))
        return self._reference

    def set_c_prices(self, months: dict[tuple[int, int], Decimal]) -> int:
        """Insert or replace monthly C prices (US cents/lb); returns how many were written."""
        with self.transaction("Set C prices"):
            stored = {m: (rid, d) for rid, m, d in self.db.execute(
                "SELECT rowid, month, deleted_at FROM c_prices")}
            new = []
            for (y, m), c in months.items():
                month, cents = f"{y:04d}-{m:02d}", d2s(c)
                if month in stored:
                    self._update("c_prices", stored[month][0],
                                 {"cents_lb": cents, "deleted_at": None})
                else:
                    new.append({"month": month, "cents_lb": cents})
            self.log.insert_many("c_prices", new)
            self._reference = None
            self.refresh_all_metrics()
        return len(months)

    def save_fairtrade_terms(self, terms: FairtradeTerms) -> FairtradeTerms:
        """Insert or replace the Fairtrade terms valid from ``terms.valid_from`` (the latest
        terms apply to every lot's comparison)."""
        with self.transaction("Edit Fairtrade terms"):
            row = R.fairtrade_to_row(terms)
            found = self.db.execute("SELECT rowid FROM fairtrade_terms WHERE valid_from = ?",
                                    [row["valid_from"]]).fetchone()
            if found:
                self._update("fairtrade_terms", found[0], {**row, "deleted_at": None})
            else:
                self._insert("fairtrade_terms", row)
            self._reference = None
            self.refresh_all_metrics()
        return terms

    def save_living_income(self, ref: LivingIncomeReference) -> LivingIncomeReference:
        with self.transaction("Edit living income reference"):
            row = R.living_income_to_row(ref)
            if ref.id is None:
                ref = replace(ref, id=self._insert("living_income_refs", row))
            else:
                self._update("living_income_refs", ref.id, row)
            self._reference = None
            self.refresh_all_metrics()
        return ref

    def delete_living_income(self, ref_id: int) -> None:
        with self.transaction("Delete living income reference"):
            self._delete("living_income_refs", ref_id)
            self._reference = None
            self.refresh_all_metrics()

    # -- analysis ----------------------------------------------------------------------------
    def analyse(self, lot: Lot, today: date | None = None) -> LotAnalysis:
        producer = self.producer(lot.producer_id)
        lots = self.lots(lot.producer_id)
        if lot.id is None or all(x.id != lot.id for x in lots):
            lots = [*lots, lot]
        else:
            lots = [lot if x.id == lot.id else x for x in lots]
        visits = self.visits(lot.producer_id)
        commitments = self.commitments(lot.producer_id)
        return self.analyse_with(
            lot, producer, lots, visits, commitments,
            self.certifications(lot.producer_id), self.projects(lot.producer_id), today,
        )

    def analyse_with(
        self,
        lot: Lot,
        producer: Producer,
        lots: list[Lot],
        visits: list[Visit],
        commitments: list[Commitment],
        certs: list[Certification],
        projects: list[Project],
        today: date | None = None,
        rel: Relationship | None = None,
    ) -> LotAnalysis:
        """``rel``: the producer's relationship when the caller already has it (bulk work)."""
        return analyse_lot(lot, producer, lots, visits, commitments, certs, projects,
                           self.reference(), today, rel)

    def relationship(self, producer_id: int, today: date | None = None) -> Relationship:
        return relationship(self.lots(producer_id), self.visits(producer_id),
                            self.commitments(producer_id), current_harvest(today))

    def refresh_metrics(self, producer_id: int | None) -> None:
        """Recompute the derived sort keys of one producer's lots (inside the caller's write)."""
        if not producer_id:
            return
        lots = self.lots(producer_id)
        if not lots:
            return
        producer = self.producer(producer_id)
        visits, commitments = self.visits(producer_id), self.commitments(producer_id)
        certs, projects = self.certifications(producer_id), self.projects(producer_id)
        rel = relationship(lots, visits, commitments, current_harvest())
        rows = []
        for lot in lots:
            a = self.analyse_with(lot, producer, lots, visits, commitments, certs, projects,
                                  rel=rel)
            rows.append(metrics_row(a))
        self.db.conn.executemany(METRICS_UPSERT, rows)

    def refresh_all_metrics(self, progress: Callable[[int, int], None] | None = None) -> None:
        ids = [r[0] for r in self.db.execute("SELECT DISTINCT producer_id FROM lots")]
        with self.transaction():
            for n, pid in enumerate(ids, 1):
                self.refresh_metrics(pid)
                if progress:
                    progress(n, len(ids))

    # -- any record ------------------------------------------------------------------------
    def save(self, record: Any) -> Any:
        """Save a record of any kind (its own ``save_*`` method)."""
        return _SAVE[type(record)](self, record)

    def delete(self, record: Any) -> None:
        """Delete a record of any kind; a lot is cancelled (lots are never deleted)."""
        if isinstance(record, Lot):
            self.cancel_lot(record)
        elif isinstance(record, Producer):
            self.delete_producer(record.id)  # type: ignore[arg-type]
        else:
            _DELETE[type(record)](self, record)

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
        elif sql is None and table not in ("c_prices", "fairtrade_terms", "living_income_refs"):
            sql = f"SELECT producer_id FROM {table} WHERE uuid = ?"
        if sql is None:
            return None
        row = self.db.execute(sql, [row_uuid]).fetchone()
        return int(row[0]) if row else None

    # -- bulk writes (demo, import) --------------------------------------------------------
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

    def add_records(self, records: Sequence[Any], stamp: str | None = None) -> dict[str, int]:
        """Insert new records of one kind (Producer, Person, Plot, Lot, Visit…) with their
        child rows (a lot's fixations, cost legs, plots and premiums; a visit's follow-ups and
        photos) in a few statements; returns uuid → new id. Lot metrics are not refreshed."""
        if not records:
            return {}
        table, to_row = _ROWS[type(records[0])]
        stamp = stamp or now()
        rows = []
        for rec in records:
            row = to_row(rec)
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
        table, to_row = _ROWS[type(records[0])]
        stamp = stamp or now()
        changed = 0
        with self.transaction():
            for rec in records:
                if self.log.update(table, rec.id, {**to_row(rec), "updated_at": stamp}):
                    changed += 1
                if table == "lots":
                    self._save_children("fixations", "lot_id", rec.id,
                                        [R.fixation_to_row(f) for f in rec.fixations])
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
    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over producer names, lot codes and visit notes (prefix match)."""
        query = fts_query(text)
        if not query:
            return []
        hits: list[SearchHit] = []
        specs = (
            ("producer", "producers_fts", "producers", "p.name", "p.region"),
            ("lot", "lots_fts", "lots", "p.code", "p.name"),
            ("visit", "visits_fts", "visits", "p.date",
             "snippet(visits_fts, 0, '[', ']', '…', 12)"),
        )
        for kind, fts, table, title, snip in specs:
            sql = (
                f"SELECT p.id, {title}, {snip} FROM {fts} JOIN {table} p ON p.id = {fts}.rowid "
                f"WHERE {fts} MATCH ? AND p.deleted_at IS NULL ORDER BY rank LIMIT ?"
            )
            for id_, t, s in self.db.execute(sql, [query, limit]):
                hits.append(SearchHit(kind, id_, str(t), str(s or "")))
        return hits

    def counts(self) -> dict[str, int]:
        """Live records per table (tombstones left out)."""
        tables = [t.name for t in TABLES.values() if t.counted]
        return {t: self.db.execute(f"SELECT count(*) FROM {t} WHERE deleted_at IS NULL"
                                   ).fetchone()[0] for t in tables}

    # -- lookups for pickers and lists: plain rows, no domain objects ------------------------
    def producer_label(self, id_: int) -> tuple[str, str] | None:
        """The producer's name and country, or None if there is no such producer."""
        row = self.db.execute("SELECT name, country FROM producers WHERE id = ?"
                              " AND deleted_at IS NULL",
                              [id_]).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def producers_named_like(self, text: str, limit: int = 30) -> list[tuple[int, str, str]]:
        """(id, name, country) of producers whose name contains ``text``, by name."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, name, country FROM producers WHERE name LIKE ? ESCAPE '\\' "
            "AND deleted_at IS NULL "
            "ORDER BY name COLLATE NOCASE LIMIT ?", [like_contains(text), limit])]

    def producer_id_named(self, name: str) -> int | None:
        """The one producer called ``name`` (any case); None if none or several are."""
        rows = self.db.execute("SELECT id FROM producers WHERE name = ? COLLATE NOCASE"
                               " AND deleted_at IS NULL "
                               "LIMIT 2", [name.strip()]).fetchall()
        return int(rows[0][0]) if len(rows) == 1 else None

    def producer_choices(self, limit: int = 5000) -> list[tuple[int, str, str]]:
        """(id, name, country) of every producer (up to ``limit``), by name."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, name, country FROM producers WHERE deleted_at IS NULL "
            "ORDER BY name LIMIT ?", [limit])]

    def producer_names(self, ids: Iterable[int]) -> dict[int, str]:
        """Names of the producers ``ids`` (missing ones are left out)."""
        out: dict[int, str] = {}
        for chunk in _chunks(sorted(set(ids)), 500):
            marks = ",".join("?" * len(chunk))
            out.update((int(i), str(n)) for i, n in self.db.execute(
                f"SELECT id, name FROM producers WHERE id IN ({marks})", chunk))
        return out

    def groups(self, limit: int = 2000) -> list[tuple[int, str]]:
        """(id, name) of the cooperatives and washing stations, which farms can be members of."""
        return [(int(i), str(n)) for i, n in self.db.execute(
            "SELECT id, name FROM producers WHERE kind IN ('cooperative', 'washing_station')"
            " AND deleted_at IS NULL "
            "ORDER BY name LIMIT ?", [limit])]

    def countries(self) -> list[str]:
        """The countries producers are in, sorted."""
        return [str(c) for (c,) in self.db.execute(
            "SELECT DISTINCT country FROM producers WHERE deleted_at IS NULL ORDER BY country")]

    def producer_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM producers WHERE deleted_at IS NULL"
                               ).fetchone()[0])

    def plots_near(self, producer_id: int | None, also: Iterable[int] = ()
                   ) -> list[tuple[int, str, Any, str, int]]:
        """(id, name, area_ha, owner name, owner id) of the plots a lot of ``producer_id`` may
        come from: its own, its members', and the plots ``also`` (already chosen); its own
        first, then by owner and name."""
        also = list(also)
        marks = ",".join("?" * len(also)) or "NULL"
        return [tuple(r) for r in self.db.execute(
            "SELECT pl.id, pl.name, pl.area_ha, pr.name, pl.producer_id FROM plots pl "
            "JOIN producers pr ON pr.id = pl.producer_id "
            f"WHERE pl.deleted_at IS NULL AND (pl.producer_id = ? OR pr.parent_id = ? "
            f"OR pl.id IN ({marks})) "
            "ORDER BY pl.producer_id != ?, pr.name, pl.name",
            [producer_id, producer_id, *also, producer_id])]

    def lot_answers(self, producer_id: int) -> dict[int, tuple[int, int]]:
        """Lot id → (checklist items answered, applicable) for the producer's lots."""
        return {int(lid): (int(a), int(n)) for lid, a, n in self.db.execute(
            "SELECT m.lot_id, m.answered, m.applicable FROM lot_metrics m "
            "JOIN lots l ON l.id = m.lot_id WHERE l.producer_id = ?", [producer_id])}

    def member_lot_counts(self, group_id: int, statuses: Iterable[str]) -> dict[int, int]:
        """Member id → how many of its lots have one of ``statuses``, for a cooperative's
        or washing station's members."""
        statuses = list(statuses)
        marks = ", ".join("?" for _ in statuses)
        return {int(pid): int(n) for pid, n in self.db.execute(
            "SELECT l.producer_id, count(*) FROM lots l JOIN producers p "
            f"ON p.id = l.producer_id WHERE p.parent_id = ? AND p.deleted_at IS NULL "
            f"AND l.status IN ({marks}) "
            "GROUP BY l.producer_id", [group_id, *statuses])}

    def harvests(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT harvest FROM lots ORDER BY harvest")]

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def is_empty(self) -> bool:
        return is_empty(self.db)


METRICS_UPSERT = (
    "INSERT OR REPLACE INTO lot_metrics (lot_id, fob_usd_lb, c_usd_lb, premium_usd_lb, "
    "premium_pct, farm_gate_usd_lb, farm_gate_share, answered, applicable, missing, "
    "fob_exact, c_exact, premium_exact, premium_pct_exact, farm_gate_exact, share_exact) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def metrics_row(a: LotAnalysis) -> tuple[Any, ...]:
    e = a.economics

    def f(x: Decimal | None) -> float | None:
        return float(x) if x is not None else None

    return (
        a.lot.id, f(e.fob_usd_lb), f(e.c_usd_lb), f(e.premium_over_c_usd_lb),
        f(e.premium_over_c_pct), f(e.farm_gate_usd_lb), f(e.farm_gate_share),
        a.checklist.answered, a.checklist.applicable,
        "; ".join(i.question for i in a.checklist.missing),
        # the exact figures, as the editor and the statement compute them: the table shows
        # these, and sorts by the REAL keys above
        d2s(e.fob_usd_lb), d2s(e.c_usd_lb), d2s(e.premium_over_c_usd_lb),
        d2s(e.premium_over_c_pct), d2s(e.farm_gate_usd_lb), d2s(e.farm_gate_share),
    )


MAX_SEARCH_TERMS = 12
"""Words of a search beyond these are ignored (3,000 terms took 64 s; 12 take milliseconds)."""
MAX_SEARCH_CHARS = 500


def like_contains(text: str) -> str:
    """``%text%`` for ``LIKE ? ESCAPE '\\'``: a ``%`` or ``_`` the user typed matches itself,
    not every row (the one place LIKE patterns are made)."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_query(text: str) -> str:
    """User text → a safe FTS5 query: every word must match, the last one as a prefix. At
    most :data:`MAX_SEARCH_TERMS` words of the first :data:`MAX_SEARCH_CHARS` characters."""
    text = text[:MAX_SEARCH_CHARS]
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    words = words[:MAX_SEARCH_TERMS]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


LIVE = " AND deleted_at IS NULL"

def table_of(record: Any) -> str:
    """The table a record of the domain is stored in."""
    return _ROWS[type(record)][0]


_SAVE: dict[type, Callable[[Store, Any], Any]] = {
    Producer: Store.save_producer, Person: Store.save_person, Plot: Store.save_plot,
    Certification: Store.save_certification, Commitment: Store.save_commitment,
    Project: Store.save_project, Visit: Store.save_visit, Lot: Store.save_lot,
}
_DELETE: dict[type, Callable[[Store, Any], None]] = {
    Person: Store.delete_person, Plot: Store.delete_plot,
    Certification: Store.delete_certification, Commitment: Store.delete_commitment,
    Project: Store.delete_project, Visit: Store.delete_visit,
}
_ROWS: dict[type, tuple[str, Callable[[Any], dict[str, Any]]]] = {
    Producer: ("producers", R.producer_to_row), Person: ("people", R.person_to_row),
    Plot: ("plots", R.plot_to_row), Certification: ("certifications", R.certification_to_row),
    Commitment: ("commitments", R.commitment_to_row), Project: ("projects", R.project_to_row),
    Visit: ("visits", R.visit_to_row), Lot: ("lots", R.lot_to_row),
}


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]




def _integrity_message(exc: Exception) -> str:
    text = str(exc)
    if "UNIQUE constraint failed: lots.code" in text:
        return "another lot already has this code"
    if "FOREIGN KEY" in text:  # deletes say IN_USE (see Store._delete)
        return "a record this one refers to does not exist (it may have been deleted)"
    if "never deleted" in text:
        return text
    return f"the change was refused by the database: {text}"


__all__ = ["Store", "StoreError", "LotAnalysis", "SearchHit", "current_harvest"]
