"""The lot editor's farm-gate fields: loading a recorded farm-gate price into them and reading
one back, with every problem named (part of :class:`~.lot_editor.LotEditor`, a mixin)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit

from ...domain import plausibility as PL
from ...domain.model import FarmGatePrice
from ...domain.units import (
    Basis,
    factor_from_ico,
    factor_from_rendimiento,
    units_offered,
)
from ..editors import set_data
from ..widgets import FieldError, parse_date, parse_decimal, text_of

EARLIEST = date(1990, 1, 1)
"""The earliest date a lot's fields take (contract, exchange rate)."""


def latest_date() -> date:
    """The latest date a lot's fields take: three years ahead (a forward contract)."""
    return date.today() + timedelta(days=3 * 366)


class FarmGateFields:
    """Needs the editor's ``w`` (widgets by key), ``_line`` and ``_loading``."""

    w: dict[str, Any]
    _loading: bool
    producer: Any
    _producer_country: Callable[[int | None], str]

    def _line(self, key: str) -> QLineEdit:
        return self.w[key]  # type: ignore[no-any-return]

    def offer_units(self, country: str) -> None:
        """The units a farm-gate price is offered in: those of the producer's ``country``
        (:func:`~roasterdesk.domain.units.units_offered`: a Brazilian producer's arroba is
        15 kg), keeping the unit chosen and a lot's own unit."""
        unit: QComboBox = self.w["fg_unit"]  # type: ignore[assignment]
        chosen = unit.currentIndex()
        keep = (unit.currentText(), unit.currentData()) if 0 < chosen < unit.count() - 1 \
            else None
        was, self._loading = self._loading, True
        try:
            while unit.count() > 2:  # all but "Choose…" and "other unit"
                unit.removeItem(1)
            for n, u in enumerate(units_offered(country), 1):
                unit.insertItem(n, u.name, u.kg)
            if keep is not None:
                at = unit.findText(keep[0])
                if at < 0:
                    at = unit.count() - 1
                    unit.insertItem(at, *keep)
                unit.setCurrentIndex(at)
            else:
                unit.setCurrentIndex(unit.count() - 1 if chosen > 0 else 0)
        finally:
            self._loading = was

    def _load_farm_gate(self, fg: FarmGatePrice | None) -> None:
        self.offer_units(self._producer_country(self.producer.producer_id))
        for key in ("fg_amount", "fg_currency", "fg_unit_kg", "fg_outturn", "fg_fx",
                    "fg_fx_date", "fg_fx_source"):
            self._line(key).clear()
        unit: QComboBox = self.w["fg_unit"]  # type: ignore[assignment]
        basis: QComboBox = self.w["fg_basis"]  # type: ignore[assignment]
        mode: QComboBox = self.w["fg_outturn_mode"]  # type: ignore[assignment]
        if fg is None:  # unit and basis start on "Choose…": what the price is for is the buyer's
            unit.setCurrentIndex(0)
            basis.set_current(None)
            set_data(mode, "default")
            return
        self._line("fg_amount").setText(text_of(fg.amount))
        self._line("fg_currency").setText(fg.currency)
        names = [unit.itemText(i) for i in range(unit.count())]
        if fg.unit_name not in names:  # a unit of this lot's own: keep its name
            unit.insertItem(unit.count() - 1, fg.unit_name, str(fg.unit_kg))
            names = [unit.itemText(i) for i in range(unit.count())]
        unit.setCurrentIndex(names.index(fg.unit_name))
        self._line("fg_unit_kg").setText(text_of(fg.unit_kg))
        basis.set_current(fg.basis)
        if fg.kg_per_kg_green is None:
            set_data(mode, "default")
        else:
            k = fg.kg_per_kg_green
            fr = (k * 70).quantize(Decimal("0.01"))
            if (k.as_tuple().exponent < -4  # type: ignore[operator]
                    and fg.basis is Basis.PARCHMENT and factor_from_rendimiento(fr) == k):
                set_data(mode, "fr")
                self._line("fg_outturn").setText(text_of(fr.normalize()))
            else:
                set_data(mode, "kg")
                self._line("fg_outturn").setText(text_of(k))
        self._line("fg_fx").setText(text_of(fg.fx_local_per_usd))
        self._line("fg_fx_date").setText(text_of(fg.fx_date))
        self._line("fg_fx_source").setText(fg.fx_source)

    def _unit_picked(self) -> None:
        if self._loading:
            return
        kg = self.w["fg_unit"].currentData()  # type: ignore[attr-defined]
        if kg:  # not "Choose…" ("") nor "other unit" (None)
            self._line("fg_unit_kg").setText(text_of(Decimal(kg).normalize()))

    def _farm_gate(self, errors: dict[str, str]) -> FarmGatePrice | None:
        T = self._line
        amount_text = T("fg_amount").text()
        if not amount_text.strip():
            return None
        start = len(errors)

        def get(key: str, fn: Any) -> Any:
            try:
                return fn()
            except FieldError as exc:
                errors.setdefault(key, str(exc))
                return None

        amount = get("fg_amount", lambda: parse_decimal(amount_text, "fg_amount",
                                                    "Farm-gate amount", positive=True))
        cur = T("fg_currency").text().strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", cur):
            errors["fg_currency"] = "Currency: a three-letter ISO code, e.g. COP, ETB, USD"
        unit_kg = None
        if self.w["fg_unit"].currentData() == "":  # "Choose…": its weight is asked for after
            errors["fg_unit"] = "Per: choose the unit the price is paid per (kg, carga, arroba…)"
        else:
            unit_kg = get("fg_unit_kg", lambda: parse_decimal(
                T("fg_unit_kg").text(), "fg_unit_kg", "Unit weight", positive=True,
                maximum=Decimal(1000), unit="kg", required=True))
        basis = self.w["fg_basis"].current()  # type: ignore[arg-type]
        if basis is None:  # never dry parchment by default: the outturn depends on it
            errors["fg_basis"] = ("Basis: choose what the price is paid for (cherry, "
                                  "parchment, green…)")
            return None
        mode = self.w["fg_outturn_mode"].currentData()  # type: ignore[attr-defined]
        factor = None
        otext = T("fg_outturn").text()
        if mode == "kg":
            factor = get("fg_outturn", lambda: parse_decimal(
                otext, "fg_outturn", "Outturn", positive=True, maximum=Decimal(1000),
                required=True, unit="kg per kg green"))
            if factor is not None and (bad := PL.outturn(factor, basis)):  # the import's rule
                errors["fg_outturn"] = f"Outturn: {bad}"
        elif mode == "fr":
            fr = get("fg_outturn", lambda: parse_decimal(
                otext, "fg_outturn", "Factor de rendimiento", minimum=Decimal(70),
                    maximum=Decimal(150),
                required=True, hint=" (reference FR 94)"))
            if fr is not None:
                factor = factor_from_rendimiento(fr)
                if basis is not Basis.PARCHMENT:
                    errors["fg_basis"] = "Basis: the Colombian FR is for dry parchment"
        elif mode == "ico":
            ico = get("fg_outturn", lambda: parse_decimal(
                otext, "fg_outturn", "ICO factor", positive=True, maximum=Decimal(1), required=True,
                hint=" (e.g. 0.8 for parchment)"))
            if ico is not None:
                factor = factor_from_ico(ico)
        fx_text = T("fg_fx").text()
        if cur == "USD" and not fx_text.strip():
            fx_text = "1"
        fx = get("fg_fx", lambda: parse_decimal(fx_text, "fg_fx", "Exchange rate", positive=True,
                                            required=True, unit="local per USD"))
        if cur == "USD" and fx is not None and fx != 1:
            errors["fg_fx"] = "Exchange rate: a price in USD has a rate of 1"
        fx_date = get("fg_fx_date", lambda: parse_date(T("fg_fx_date").text(), "fg_fx_date",
                                                      "Rate date", earliest=EARLIEST,
                                                      latest=latest_date()))
        if len(errors) > start:
            return None
        unit_name = self.w["fg_unit"].currentText()  # type: ignore[attr-defined]
        if self.w["fg_unit"].currentData() is None:  # type: ignore[attr-defined]
            unit_name = f"{unit_kg.normalize():f} kg"  # type: ignore[union-attr]
        return FarmGatePrice(amount, cur, unit_name, unit_kg, basis, fx,  # type: ignore[arg-type]
                             kg_per_kg_green=factor, fx_date=fx_date,
                             fx_source=T("fg_fx_source").text().strip())
