"""Producers and their names: save, read, tombstone, and the look-ups of pickers and labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..domain.model import (
    Producer,
)
from . import rows as R
from .base import StoreBase
from .errors import ValidationError
from .sql import _chunks, like_contains


class ProducerRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

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

    def groups(self, limit: int = 2000, keep: int | None = None) -> list[tuple[int, str]]:
        """(id, name) of the producers farms can be members of: cooperatives, washing stations,
        producers whose kind is not recorded that have members already (an import named them
        as a member's group), and ``keep`` whatever it is (a member's own group, so that an
        edit of the member never drops it)."""
        return [(int(i), str(n)) for i, n in self.db.execute(
            "SELECT id, name FROM producers WHERE id = ? OR deleted_at IS NULL AND ("
            "kind IN ('cooperative', 'washing_station') OR kind IS NULL AND id IN ("
            "SELECT parent_id FROM producers WHERE parent_id IS NOT NULL AND deleted_at IS NULL))"
            " ORDER BY name LIMIT ?", [keep, limit])]

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
