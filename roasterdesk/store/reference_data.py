"""Reference data: ICE C prices, Fairtrade terms, living-income references."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..domain.analysis import Reference
from ..domain.reference import CSeries, FairtradeTerms, LivingIncomeReference, LondonSeries
from . import rows as R
from .base import StoreBase
from .codec import d2s


class ReferenceRecords(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

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
            london = {
                (int(m[:4]), int(m[5:7])): Decimal(v)
                for m, v in self.db.execute("SELECT month, usd_t FROM london_prices"
                                            " WHERE deleted_at IS NULL")
            }
            self._reference = Reference(ft, lir, CSeries(months), LondonSeries(london))
        return self._reference

    def set_c_prices(self, months: dict[tuple[int, int], Decimal]) -> int:
        """Insert or replace monthly C prices (US cents/lb); returns how many were written."""
        return self._set_monthly("c_prices", "cents_lb", months, "Set C prices")

    def set_london_prices(self, months: dict[tuple[int, int], Decimal]) -> int:
        """Insert or replace monthly ICE London robusta prices (USD per tonne)."""
        return self._set_monthly("london_prices", "usd_t", months, "Set London robusta prices")

    def _set_monthly(self, table: str, column: str, months: dict[tuple[int, int], Decimal],
                     label: str) -> int:
        with self.transaction(label):
            stored = {m: (rid, d) for rid, m, d in self.db.execute(
                f"SELECT rowid, month, deleted_at FROM {table}")}
            new = []
            for (y, m), v in months.items():
                month, value = f"{y:04d}-{m:02d}", d2s(v)
                if month in stored:
                    self._update(table, stored[month][0], {column: value, "deleted_at": None})
                else:
                    new.append({"month": month, column: value})
            self.log.insert_many(table, new)
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
