"""A producer's people, plots, certifications, commitments and projects."""

from __future__ import annotations

from collections.abc import Iterable

from ..domain.model import (
    Certification,
    Commitment,
    Person,
    Plot,
    Project,
)
from . import rows as R
from .base import StoreBase


class ProducerChildRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

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

    def plots_by_ids(self, ids: Iterable[int]) -> list[Plot]:
        """The live plots among ``ids`` (any producer's)."""
        wanted, out = sorted(ids), []
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            out += [R.row_to_plot(r) for r in self._rows(
                f"SELECT * FROM plots WHERE id IN ({','.join('?' * len(chunk))})"
                " AND deleted_at IS NULL", chunk)]
        return out

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
