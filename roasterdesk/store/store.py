"""The store: one object per open database, with a repository method per user-level change.

Every public write method is one transaction (``db.atomic()``; nested calls become savepoints,
so a service can group several into one user action with :meth:`Store.transaction`). After a
write the derived ``lot_metrics`` of the producer's lots are refreshed in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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
)
from ..domain.pricing import LotEconomics, economics
from ..domain.reference import CSeries, FairtradeTerms, LivingIncomeReference
from ..domain.relationship import Relationship, relationship
from ..domain.transparency import Checklist, checklist
from . import rows as R
from .cipher import database_errors, integrity_errors, open_any
from .codec import d2s, now
from .db import FileVersion, is_empty, verified_backup_first
from .errors import RecordNotFound, StoreError, ValidationError
from .eudr_records import EudrRecords

if TYPE_CHECKING:
    from .db import AnyDatabase

T = TypeVar("T")


@dataclass(frozen=True)
class LotAnalysis:
    """Everything the app and the impact statement need to say about one lot."""

    lot: Lot
    producer: Producer
    economics: LotEconomics
    checklist: Checklist
    relationship: Relationship


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
        self._reference: tuple[FairtradeTerms | None, list[LivingIncomeReference], CSeries] | None
        self._reference = None

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
    def transaction(self) -> Iterator[AnyDatabase]:
        """Group several writes into one user action: all or nothing."""
        try:
            with self.db.atomic():
                yield self.db
        except integrity_errors() as exc:  # stdlib's, and SQLCipher's on an encrypted database
            raise ValidationError(_integrity_message(exc)) from exc
        except database_errors() as exc:  # full, read-only, busy…: said as such, not a crash
            from .diagnosis import diagnose

            known = diagnose(exc, self.path)
            if known is None:
                raise
            raise known from exc

    # -- generic helpers --------------------------------------------------------------------
    def _one(self, table: str, id_: int) -> dict[str, Any]:
        row = self.db.execute(f"SELECT * FROM {table} WHERE id = ?", [id_]).fetchone()
        if row is None:
            raise RecordNotFound(f"no {_record_name(table)} with id {id_}")
        cols = [d[0] for d in self.db.execute(f"SELECT * FROM {table} LIMIT 0").description]
        return dict(zip(cols, row, strict=True))

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        cur = self.db.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        cur = self.db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
        return int(cur.lastrowid)  # type: ignore[arg-type]

    def _update(self, table: str, id_: int, row: dict[str, Any]) -> None:
        sets = ", ".join(f"{c} = ?" for c in row)
        cur = self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*row.values(), id_])
        if cur.rowcount != 1:
            raise RecordNotFound(f"no {_record_name(table)} with id {id_}")

    def _delete(self, table: str, id_: int) -> None:
        try:
            cur = self.db.execute(f"DELETE FROM {table} WHERE id = ?", [id_])
        except integrity_errors() as exc:
            if "FOREIGN KEY" in str(exc):
                raise ValidationError(IN_USE) from exc
            raise
        if cur.rowcount != 1:
            raise RecordNotFound(f"no {_record_name(table)} with id {id_}")

    def _save(
        self,
        table: str,
        obj: T,
        to_row: Callable[[T], dict[str, Any]],
        producer_id: int,
        stamp: bool = False,
        refresh: bool = True,
    ) -> T:
        row = to_row(obj)
        if stamp:
            row["updated_at"] = now()
        with self.transaction():
            if obj.id is None:  # type: ignore[attr-defined]
                if table in ("producers", "lots"):
                    row["created_at"] = row.get("updated_at") or now()
                new_id = self._insert(table, row)
                obj = replace(obj, id=new_id)  # type: ignore[type-var]
            else:
                self._update(table, obj.id, row)  # type: ignore[attr-defined]
            if refresh:
                self.refresh_metrics(producer_id or obj.id)  # type: ignore[attr-defined]
        return obj

    def _remove(self, table: str, id_: int, producer_id: int) -> None:
        with self.transaction():
            self._delete(table, id_)
            self.refresh_metrics(producer_id)

    # -- producers and what hangs on them ---------------------------------------------------
    def save_producer(self, p: Producer) -> Producer:
        if p.parent_id is not None and p.parent_id == p.id:
            raise ValidationError("a producer cannot be a member of itself")
        return self._save("producers", p, R.producer_to_row, 0, stamp=True)

    def producer(self, id_: int) -> Producer:
        return R.row_to_producer(self._one("producers", id_))

    def producer_by_uuid(self, uuid: str) -> Producer | None:
        rows = self._rows("SELECT * FROM producers WHERE uuid = ?", [uuid])
        return R.row_to_producer(rows[0]) if rows else None

    def producers(self, where: str = "", params: Iterable[Any] = ()) -> list[Producer]:
        sql = "SELECT * FROM producers" + (f" WHERE {where}" if where else "") + " ORDER BY name"
        return [R.row_to_producer(r) for r in self._rows(sql, params)]

    def members(self, cooperative_id: int) -> list[Producer]:
        return self.producers("parent_id = ?", [cooperative_id])

    def delete_producer(self, id_: int) -> None:
        """Only a producer with no lots, visits or other records can be deleted."""
        with self.transaction():
            self.db.execute("DELETE FROM lot_metrics WHERE lot_id IN "
                            "(SELECT id FROM lots WHERE producer_id = ?)", [id_])
            self._delete("producers", id_)

    def save_person(self, p: Person) -> Person:
        return self._save("people", p, R.person_to_row, p.producer_id, stamp=True)

    def people(self, producer_id: int) -> list[Person]:
        return [R.row_to_person(r) for r in self._rows(
            "SELECT * FROM people WHERE producer_id = ? ORDER BY name", [producer_id])]

    def person(self, id_: int) -> Person:
        return R.row_to_person(self._one("people", id_))

    def delete_person(self, p: Person) -> None:
        self._remove("people", p.id, p.producer_id)  # type: ignore[arg-type]

    def save_plot(self, p: Plot) -> Plot:
        return self._save("plots", p, R.plot_to_row, p.producer_id, stamp=True)

    def plots(self, producer_id: int) -> list[Plot]:
        return [R.row_to_plot(r) for r in self._rows(
            "SELECT * FROM plots WHERE producer_id = ? ORDER BY name", [producer_id])]

    def plot(self, id_: int) -> Plot:
        return R.row_to_plot(self._one("plots", id_))

    def delete_plot(self, p: Plot) -> None:
        self._remove("plots", p.id, p.producer_id)  # type: ignore[arg-type]

    def save_certification(self, c: Certification) -> Certification:
        return self._save("certifications", c, R.certification_to_row, c.producer_id)

    def certifications(self, producer_id: int) -> list[Certification]:
        return [R.row_to_certification(r) for r in self._rows(
            "SELECT * FROM certifications WHERE producer_id = ? ORDER BY valid_to DESC",
            [producer_id])]

    def delete_certification(self, c: Certification) -> None:
        self._remove("certifications", c.id, c.producer_id)  # type: ignore[arg-type]

    def save_commitment(self, c: Commitment) -> Commitment:
        return self._save("commitments", c, R.commitment_to_row, c.producer_id)

    def commitments(self, producer_id: int) -> list[Commitment]:
        return [R.row_to_commitment(r) for r in self._rows(
            "SELECT * FROM commitments WHERE producer_id = ? ORDER BY first_harvest",
            [producer_id])]

    def delete_commitment(self, c: Commitment) -> None:
        self._remove("commitments", c.id, c.producer_id)  # type: ignore[arg-type]

    def save_project(self, p: Project) -> Project:
        return self._save("projects", p, R.project_to_row, p.producer_id)

    def projects(self, producer_id: int) -> list[Project]:
        return [R.row_to_project(r) for r in self._rows(
            "SELECT * FROM projects WHERE producer_id = ? ORDER BY year", [producer_id])]

    def all_commitments(self) -> list[Commitment]:
        """Every commitment, the latest harvests first, then by producer name."""
        return [R.row_to_commitment(r) for r in self._rows(
            "SELECT c.* FROM commitments c JOIN producers p ON p.id = c.producer_id "
            "ORDER BY c.last_harvest DESC, p.name")]

    def all_projects(self) -> list[Project]:
        """Every funded project, the latest years first, then by producer name."""
        return [R.row_to_project(r) for r in self._rows(
            "SELECT j.* FROM projects j JOIN producers p ON p.id = j.producer_id "
            "ORDER BY j.year DESC, p.name")]

    def delete_project(self, p: Project) -> None:
        self._remove("projects", p.id, p.producer_id)  # type: ignore[arg-type]

    # -- visits ------------------------------------------------------------------------------
    def save_visit(self, v: Visit) -> Visit:
        """Save a visit with its follow-ups and photos (replaced as a whole, in one transaction)."""
        with self.transaction():
            v = self._save("visits", v, R.visit_to_row, v.producer_id, stamp=True)
            self.db.execute("DELETE FROM follow_ups WHERE visit_id = ?", [v.id])
            self.db.execute("DELETE FROM photos WHERE visit_id = ?", [v.id])
            fus = []
            for f in v.follow_ups:
                fid = self._insert("follow_ups", {
                    "uuid": f.uuid, "visit_id": v.id, "what": f.what, "who": f.who,
                    "due": f.due.isoformat() if f.due else None, "done": int(f.done),
                })
                fus.append(replace(f, id=fid))
            for ph in v.photos:
                self._insert("photos", {
                    "visit_id": v.id, "sha256": ph.sha256, "filename": ph.filename,
                    "caption": ph.caption, "person_id": ph.person_id,
                })
        return replace(v, follow_ups=tuple(fus))

    def visit(self, id_: int) -> Visit:
        return self._visits_from(self._rows("SELECT * FROM visits WHERE id = ?", [id_]), id_)[0]

    def visits(self, producer_id: int) -> list[Visit]:
        return self._visits_from(self._rows(
            "SELECT * FROM visits WHERE producer_id = ? ORDER BY date DESC", [producer_id]))

    def _visits_from(self, vrows: list[dict[str, Any]], want: int | None = None) -> list[Visit]:
        if want is not None and not vrows:
            raise RecordNotFound(f"no visit with id {want}")
        ids = [r["id"] for r in vrows]
        fus: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        phs: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for f in self._rows(
                f"SELECT * FROM follow_ups WHERE visit_id IN ({marks}) ORDER BY id", chunk
            ):
                fus[f["visit_id"]].append(f)
            for p in self._rows(
                f"SELECT * FROM photos WHERE visit_id IN ({marks}) ORDER BY id", chunk
            ):
                phs[p["visit_id"]].append(p)
        return [R.row_to_visit(r, fus[r["id"]], phs[r["id"]]) for r in vrows]

    def delete_visit(self, v: Visit) -> None:
        with self.transaction():
            self.db.execute("UPDATE projects SET evidence_visit_id = NULL "
                            "WHERE evidence_visit_id = ?", [v.id])
            self._remove("visits", v.id, v.producer_id)  # type: ignore[arg-type]

    def set_follow_up_done(self, follow_up_id: int, done: bool) -> None:
        with self.transaction():
            cur = self.db.execute("UPDATE follow_ups SET done = ? WHERE id = ?",
                                  [int(done), follow_up_id])
            if cur.rowcount != 1:
                raise RecordNotFound(f"no follow-up with id {follow_up_id}")

    # -- lots --------------------------------------------------------------------------------
    def save_lot(self, lot: Lot) -> Lot:
        """Save a lot with its fixations, cost legs, plots and premiums.

        Premiums are payments: one that disappears from the lot is *voided*, never deleted.
        """
        with self.transaction():
            lot = self._save("lots", lot, R.lot_to_row, lot.producer_id, stamp=True, refresh=False)
            lid = lot.id
            for table in ("fixations", "cost_legs", "lot_plots"):
                self.db.execute(f"DELETE FROM {table} WHERE lot_id = ?", [lid])
            for f in lot.fixations:
                self._insert("fixations", {
                    "lot_id": lid, "on_date": f.on.isoformat(),
                    "c_cents_lb": d2s(f.c_cents_lb), "volume_kg": d2s(f.volume_kg),
                })
            for c in lot.costs:
                self._insert("cost_legs", {"lot_id": lid, "party": c.party.value,
                                           "leg": c.leg, "usd_lb": d2s(c.usd_lb)})
            for pid in lot.plot_ids:
                self._insert("lot_plots", {"lot_id": lid, "plot_id": pid})
            kept = []
            for p in lot.premiums:
                row = R.premium_to_row(p, lid)  # type: ignore[arg-type]
                found = self.db.execute("SELECT id FROM premiums WHERE uuid = ?", [p.uuid])
                existing = found.fetchone()
                if existing:
                    self._update("premiums", existing[0], row)
                    kept.append(replace(p, id=existing[0]))
                else:
                    row["created_at"] = now()
                    kept.append(replace(p, id=self._insert("premiums", row)))
            uuids = [p.uuid for p in lot.premiums]
            marks = ",".join("?" * len(uuids))
            self.db.execute(
                "UPDATE premiums SET voided = 1 WHERE lot_id = ?"
                + (f" AND uuid NOT IN ({marks})" if uuids else ""),
                [lid, *uuids],
            )
            self.refresh_metrics(lot.producer_id)
        return replace(lot, premiums=tuple(kept))

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
                f"SELECT * FROM lot_plots WHERE lot_id IN ({marks}) ORDER BY rowid", chunk
            ):
                parts["plots"][r["lot_id"]].append(r["plot_id"])
            for table in ("fixations", "cost_legs", "premiums"):
                for r in self._rows(
                    f"SELECT * FROM {table} WHERE lot_id IN ({marks}) ORDER BY id", chunk
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
    def reference(self) -> tuple[FairtradeTerms | None, list[LivingIncomeReference], CSeries]:
        if self._reference is None:
            ft_rows = self._rows("SELECT * FROM fairtrade_terms ORDER BY valid_from DESC LIMIT 1")
            ft = R.row_to_fairtrade(ft_rows[0]) if ft_rows else None
            lir = [R.row_to_living_income(r) for r in self._rows(
                "SELECT * FROM living_income_refs ORDER BY country, year")]
            months = {
                (int(m[:4]), int(m[5:7])): Decimal(c)
                for m, c in self.db.execute("SELECT month, cents_lb FROM c_prices")
            }
            self._reference = (ft, lir, CSeries(months))
        return self._reference

    def set_c_prices(self, months: dict[tuple[int, int], Decimal]) -> int:
        """Insert or replace monthly C prices (US cents/lb); returns how many were written."""
        with self.transaction():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO c_prices (month, cents_lb) VALUES (?, ?)",
                [(f"{y:04d}-{m:02d}", d2s(c)) for (y, m), c in months.items()],
            )
            self._reference = None
            self.refresh_all_metrics()
        return len(months)

    def save_fairtrade_terms(self, terms: FairtradeTerms) -> FairtradeTerms:
        """Insert or replace the Fairtrade terms valid from ``terms.valid_from`` (the latest
        terms apply to every lot's comparison)."""
        with self.transaction():
            self.db.conn.execute(
                "INSERT OR REPLACE INTO fairtrade_terms (valid_from, arabica_washed, "
                "arabica_natural, robusta_washed, robusta_natural, premium, "
                "organic_differential) VALUES (?, ?, ?, ?, ?, ?, ?)",
                R.fairtrade_to_values(terms),
            )
            self._reference = None
            self.refresh_all_metrics()
        return terms

    def save_living_income(self, ref: LivingIncomeReference) -> LivingIncomeReference:
        with self.transaction():
            row = R.living_income_to_row(ref)
            if ref.id is None:
                ref = replace(ref, id=self._insert("living_income_refs", row))
            else:
                self._update("living_income_refs", ref.id, row)
            self._reference = None
            self.refresh_all_metrics()
        return ref

    def delete_living_income(self, ref_id: int) -> None:
        with self.transaction():
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
        return self._analyse(
            lot, producer, lots, visits, commitments,
            self.certifications(lot.producer_id), self.projects(lot.producer_id), today,
        )

    def _analyse(
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
        ft, lir, cs = self.reference()
        if rel is None:
            rel = relationship(lots, visits, commitments, current_harvest(today))
        eco = economics(lot, fairtrade=ft, living_income=lir, country=producer.country,
                        c_series=cs)
        check = checklist(lot, producer, visits=visits, certifications=certs,
                          commitments=commitments, projects=projects,
                          first_harvest=rel.first_harvest)
        return LotAnalysis(lot, producer, eco, check, rel)

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
            a = self._analyse(lot, producer, lots, visits, commitments, certs, projects, rel=rel)
            rows.append(metrics_row(a))
        self.db.conn.executemany(METRICS_UPSERT, rows)

    def refresh_all_metrics(self, progress: Callable[[int, int], None] | None = None) -> None:
        ids = [r[0] for r in self.db.execute("SELECT DISTINCT producer_id FROM lots")]
        with self.transaction():
            for n, pid in enumerate(ids, 1):
                self.refresh_metrics(pid)
                if progress:
                    progress(n, len(ids))

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
                f"WHERE {fts} MATCH ? ORDER BY rank LIMIT ?"
            )
            for id_, t, s in self.db.execute(sql, [query, limit]):
                hits.append(SearchHit(kind, id_, str(t), str(s or "")))
        return hits

    def counts(self) -> dict[str, int]:
        tables = ("producers", "people", "plots", "certifications", "commitments", "visits",
                  "follow_ups", "photos", "lots", "premiums", "projects")
        return {t: self.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}

    # -- lookups for pickers and lists: plain rows, no domain objects ------------------------
    def producer_label(self, id_: int) -> tuple[str, str] | None:
        """The producer's name and country, or None if there is no such producer."""
        row = self.db.execute("SELECT name, country FROM producers WHERE id = ?",
                              [id_]).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def producers_named_like(self, text: str, limit: int = 30) -> list[tuple[int, str, str]]:
        """(id, name, country) of producers whose name contains ``text``, by name."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, name, country FROM producers WHERE name LIKE ? ESCAPE '\\' "
            "ORDER BY name COLLATE NOCASE LIMIT ?", [like_contains(text), limit])]

    def producer_id_named(self, name: str) -> int | None:
        """The one producer called ``name`` (any case); None if none or several are."""
        rows = self.db.execute("SELECT id FROM producers WHERE name = ? COLLATE NOCASE "
                               "LIMIT 2", [name.strip()]).fetchall()
        return int(rows[0][0]) if len(rows) == 1 else None

    def producer_choices(self, limit: int = 5000) -> list[tuple[int, str, str]]:
        """(id, name, country) of every producer (up to ``limit``), by name."""
        return [tuple(r) for r in self.db.execute(
            "SELECT id, name, country FROM producers ORDER BY name LIMIT ?", [limit])]

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
            "SELECT id, name FROM producers WHERE kind IN ('cooperative', 'washing_station') "
            "ORDER BY name LIMIT ?", [limit])]

    def countries(self) -> list[str]:
        """The countries producers are in, sorted."""
        return [str(c) for (c,) in self.db.execute(
            "SELECT DISTINCT country FROM producers ORDER BY country")]

    def producer_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM producers").fetchone()[0])

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
            f"WHERE pl.producer_id = ? OR pr.parent_id = ? OR pl.id IN ({marks}) "
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
            f"ON p.id = l.producer_id WHERE p.parent_id = ? AND l.status IN ({marks}) "
            "GROUP BY l.producer_id", [group_id, *statuses])}

    def harvests(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT harvest FROM lots ORDER BY harvest")]

    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def is_empty(self) -> bool:
        return is_empty(self.db)


METRICS_UPSERT = (
    "INSERT OR REPLACE INTO lot_metrics (lot_id, fob_usd_lb, c_usd_lb, premium_usd_lb, "
    "premium_pct, farm_gate_usd_lb, farm_gate_share, answered, applicable, missing) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
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


def _record_name(table: str) -> str:
    """ "people" → "person", "follow_ups" → "follow up": a table's record, for messages."""
    return "person" if table == "people" else table[:-1].replace("_", " ")


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


IN_USE = "this record is still used by other records (lots, visits or people)"


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
