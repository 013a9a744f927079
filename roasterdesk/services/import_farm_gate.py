"""An imported row's farm-gate price: its unit read by the domain's one rule for local units
(:func:`roasterdesk.domain.units.local_unit`: the name as written, the producer's country and
the lot's own bag size), never by the first unit whose name starts alike."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..domain.model import FarmGatePrice
from ..domain.units import UnitNotKnown, factor_from_rendimiento, local_unit
from .parsing import parse_mass_kg, parse_number

FG_KEYS = ("fg_amount", "fg_currency", "fg_unit", "fg_unit_kg", "fg_basis",
           "fg_kg_per_kg_green", "fg_fr", "fg_fx", "fg_fx_date", "fg_fx_source")


_FR = re.compile(r"\s*fr\s*[:=]?\s*(.+)", re.IGNORECASE)
_RATIO = re.compile(r"\s*([0-9][0-9.,]*)\s*/\s*([0-9][0-9.,]*)\s*")


def parse_outturn(text: str) -> Decimal:
    """kg of the basis per kg green, as written: a number (1.25), a ratio ("94/70") or a
    Colombian factor de rendimiento ("FR 94" = 94/70)."""
    if m := _FR.fullmatch(text):
        return factor_from_rendimiento(parse_number(m[1]))
    if m := _RATIO.fullmatch(text):
        below = parse_number(m[2])
        if below == 0:
            raise ValueError(f"{text.strip()!r}: a ratio of 0 kg")
        return parse_number(m[1]) / below
    return parse_number(text)


def parse_fr(text: str) -> Decimal:
    """A 'Factor de rendimiento' cell (kg dry parchment per 70 kg excelso, e.g. 94 or "FR 94")
    as kg per kg green (94/70 = 1.343)."""
    m = _FR.fullmatch(text)
    return factor_from_rendimiento(parse_number(m[1] if m else text))


class FarmGateUnitProblem(ValueError):
    """A farm-gate unit the row does not settle (the column it is about is ``key``)."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


def _unit(name: str | None, kg: Decimal | None, country: str,
          bag_kg: Decimal | None) -> tuple[str | None, Decimal | None]:
    """(unit name, kg) of what the row writes: a name alone is read by the domain's rule; a
    name with a weight in kg keeps its name as written, and must agree with the rule where the
    rule knows the unit (an ambiguous or unknown name takes the size the weight says)."""
    if not name:
        return None, kg
    try:
        unit = local_unit(name, country, bag_kg)
    except UnitNotKnown as exc:
        if kg is not None:  # the row's weight says which
            return name, kg
        try:
            return name, parse_mass_kg(name)  # "46 kg", "100 lb"
        except ValueError:
            pass
        how = ("add a 'Bag size' column, or " if exc.candidates and
               all(u.name.startswith("bag ") for u in exc.candidates) else "or ")
        raise FarmGateUnitProblem(f"{exc}; {how}give the unit's weight in a "
                                  "'Farm-gate unit (kg)' column", "fg_unit") from exc
    if kg is None:
        return unit.name, unit.kg
    if kg != unit.kg:
        raise FarmGateUnitProblem(f"the unit {name!r} is {unit.name} here, but the unit's "
                                  f"weight says {kg} kg: which is it?", "fg_unit_kg")
    return name, kg  # as written: an export imported back gives what was recorded


def farm_gate(values: dict[str, Any], old: FarmGatePrice | None, country: str,
              bag_kg: Decimal | None) -> FarmGatePrice | None:
    """The farm-gate price a row gives (with the stored one's values where the row gives
    none); ``old`` when the row gives none of it. Raises :class:`FarmGateUnitProblem` for a
    unit the row does not settle, ValueError naming what a price lacks."""
    if not any(k in values for k in FG_KEYS):
        return old
    if "fg_unit" in values or "fg_unit_kg" in values:
        unit_name, unit_kg = _unit(values.get("fg_unit"), values.get("fg_unit_kg"), country,
                                   bag_kg)
    else:
        unit_name, unit_kg = (old.unit_name, old.unit_kg) if old else (None, None)
    need = {"farm-gate price": values.get("fg_amount", old.amount if old else None),
            "farm-gate currency": values.get("fg_currency", old.currency if old else None),
            "farm-gate unit": unit_kg,
            "farm-gate basis": values.get("fg_basis", old.basis if old else None),
            "exchange rate": values.get("fg_fx", old.fx_local_per_usd if old else None)}
    lacking = [k for k, v in need.items() if v is None]
    if lacking:
        raise ValueError("a farm-gate price needs " + ", ".join(lacking))
    return FarmGatePrice(
        amount=need["farm-gate price"], currency=need["farm-gate currency"],
        unit_name=unit_name or f"{unit_kg} kg", unit_kg=unit_kg, basis=need["farm-gate basis"],
        fx_local_per_usd=need["exchange rate"],
        kg_per_kg_green=_outturn(values, old.kg_per_kg_green if old else None),
        fx_date=values.get("fg_fx_date", old.fx_date if old else None),
        fx_source=values.get("fg_fx_source", old.fx_source if old else ""),
    )


def _outturn(values: dict[str, Any], kept: Decimal | None) -> Decimal | None:
    """kg per kg green from an outturn column, or a factor de rendimiento column (as kg per kg
    green already); both given must be one figure (to the third decimal)."""
    kg, fr = values.get("fg_kg_per_kg_green"), values.get("fg_fr")
    if kg is not None and fr is not None and abs(kg - fr) >= Decimal("0.0005"):
        raise FarmGateUnitProblem(
            f"an outturn of {kg.normalize():f} and a factor de rendimiento of "
            f"{(fr * 70).normalize():f} (= {fr:.3f} kg per kg green) are not one figure: "
            "which is it?", "fg_fr")
    return kg if kg is not None else fr if fr is not None else kept
