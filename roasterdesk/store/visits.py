"""Visits with their follow-ups and photos (children updated in place, tombstoned when gone)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..domain.model import (
    Person,
    Visit,
)
from . import rows as R
from .base import StoreBase
from .errors import RecordNotFound
from .sql import LIVE, _chunks


class VisitRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

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
