"""Lots with their fixations, cost legs, plots and premiums."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..domain.model import (
    Lot,
    LotStatus,
    new_uuid,
)
from . import rows as R
from .base import StoreBase
from .codec import now
from .errors import RecordNotFound
from .sql import LIVE, _chunks


class LotRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

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
            kept = self._save_premiums(lid, lot.premiums)
            self.refresh_metrics(lot.producer_id)
        return replace(
            lot, premiums=tuple(kept),
            fixations=tuple(replace(f, uuid=u) for f, (_i, u) in zip(
                lot.fixations, fix, strict=True)),
            costs=tuple(replace(c, uuid=u) for c, (_i, u) in zip(lot.costs, costs, strict=True)))

    def _save_premiums(self, lid: int, premiums: Iterable[Any]) -> list[Any]:
        """Make the lot's premiums these (matched by uuid); one no longer there is voided."""
        kept = []
        for p in premiums:
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
        return kept

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
