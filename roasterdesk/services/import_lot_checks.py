"""What one imported lot says as a whole: its figures checked against each other.

A cell can be plausible alone and contradict its row: C + differential that is not the FOB, a
farm-gate price above the FOB, bags without the size they count, a harvest years before the
contract. The rules are the domain's (:mod:`roasterdesk.domain.plausibility`, which the lot
editor applies too); here they become problems with the row's line and columns. An error
rejects the row (the lot editor would refuse it, or a statement would print a contradiction);
a warning lets it in, said.
"""

from __future__ import annotations

from typing import Any

from ..domain import plausibility as PL
from ..domain.model import ContractType, Lot
from ..domain.pricing import farm_gate_usd_lb_green, fob_usd_lb, recorded_c_cents
from ..domain.units import Basis
from . import fields as FS
from .import_checks import Problem, header_unit

_PRICES = ("c_cents_lb", "differential_cents_lb", "fob_usd_lb", "fob_usd_kg", "fixations")
_FARM_GATE = ("fg_amount", "fg_currency", "fg_unit", "fg_unit_kg", "fg_basis",
              "fg_kg_per_kg_green", "fg_fr", "fg_fx")


def lot_problems(line: int, lot: Lot, values: dict[str, Any], raw: dict[str, str],
                 header_of: dict[str, str]) -> list[Problem]:
    """The problems of a lot built from one row (``values`` and ``raw``: what the row gives;
    the lot: with what is stored, on an update). Only what the row touches is checked, so an
    update of another field is not refused for what is stored."""
    def col(*keys: str) -> str:
        return ", ".join(dict.fromkeys(
            header_of.get(k) or FS.spec("lots", k).label for k in keys))

    out: list[Problem] = []
    given = set(values)
    if given & {"bags", "bag_kg", "weight_kg"}:
        bad = PL.bags_without_size(lot.bags, lot.bag_kg, lot.weight_kg)
        if bad:
            out.append(Problem(line, col("bags"), f"{lot.bags} bags without a bag size: {bad}; "
                               "add a 'Bag size' or a 'Weight' column (or leave the bags out)"))
        bad = PL.weight_beside_bags(lot.weight_kg, lot.bags, lot.bag_kg)
        if bad:
            out.append(Problem(line, col("weight_kg", "bags", "bag_kg"), bad, False))
    for f in lot.fixations if "fixations" in given else ():
        bad = PL.c_price(f.c_cents_lb)
        if bad:
            out.append(Problem(line, col("fixations"), f"fixation on {f.on.isoformat()}: "
                               f"{bad[0]}", bad[1]))
    if given & {"c_cents_lb", "fixations", "species"} and (
            lot.c_cents_lb is not None or lot.fixations):
        bad = PL.c_price_market(lot.species)
        if bad:
            out.append(Problem(line, col("c_cents_lb" if lot.c_cents_lb is not None
                                         else "fixations"), bad))
    if given & {"c_cents_lb", "fixations", "contract_type"} and \
            lot.contract_type is ContractType.PTBF and lot.c_cents_lb is not None \
            and not lot.fixations:
        out.append(Problem(line, col("c_cents_lb"), (
            "a PTBF (price to be fixed) lot has a C price but no fixation: its C is not fixed, "
            "so no premium over C is computed from it; record the fixation with its date "
            f"(column '{col('fixations')}': date C kg), or make the contract fixed-price"),
            False))
    # the C the row gives, fixed or not: C + differential against the FOB as written
    c, diff, fob = recorded_c_cents(lot), lot.differential_cents_lb, lot.fob_usd_lb
    if given & set(_PRICES) and c is not None and diff is not None and fob is not None:
        bad = PL.price_sum(c, diff, fob, _fob_said(raw, header_of))
        if bad:
            fob_key = "fob_usd_kg" if "fob_usd_kg" in raw and "fob_usd_lb" not in raw \
                else "fob_usd_lb"
            c_key = "fixations" if c != lot.c_cents_lb else "c_cents_lb"
            out.append(Problem(line, col(c_key, "differential_cents_lb", fob_key), bad + (
                ": one of the three is wrong (a statement would print them side by side); "
                "correct it, or leave out the one that is not true")))
    if "fob_usd_lb" in values and "fob_usd_kg" in values:  # both columns: one price
        bad = PL.fob_per_lb_and_kg(values["fob_usd_lb"], values["fob_usd_kg"],
                                   _said(raw, header_of, "fob_usd_lb", "USD/lb"),
                                   _said(raw, header_of, "fob_usd_kg", "USD/kg"))
        if bad:
            out.append(Problem(line, col("fob_usd_lb", "fob_usd_kg"), bad + (
                ": which is it? Correct one, or leave out the one that is not true")))
    fg = lot.farm_gate
    if given & {"fg_kg_per_kg_green", "fg_fr", "fg_basis"} and fg is not None and \
            fg.kg_per_kg_green is not None:
        bad = PL.outturn(fg.kg_per_kg_green, fg.basis)  # 94 written as an outturn: an FR
        if "fg_fr" in values and fg.basis is not Basis.PARCHMENT:
            bad = (f"a factor de rendimiento is of dry parchment, and this price is of "
                   f"{fg.basis.label}: give its outturn (kg {fg.basis.label} per kg green)")
        if bad:
            out.append(Problem(line, col("fg_fr" if "fg_fr" in values and
                                         "fg_kg_per_kg_green" not in values
                                         else "fg_kg_per_kg_green"), bad))
    fob_now = fob_usd_lb(lot)
    if given & {*_PRICES, *_FARM_GATE} and lot.farm_gate is not None and fob_now:
        bad = PL.farm_gate_over_fob(farm_gate_usd_lb_green(lot.farm_gate), fob_now)
        if bad:
            out.append(Problem(line, col("fg_amount"), bad, False))
    if given & {"harvest", "contract_date"} and lot.contract_date is not None:
        bad = PL.harvest_far_from_contract(lot.harvest, lot.contract_date,
                                           values.get("country", ""))
        if bad:
            out.append(Problem(line, col("harvest"), bad, False))
    return out


def _fob_said(raw: dict[str, str], header_of: dict[str, str]) -> str:
    """The FOB as the row writes it ("7.60 USD/kg"), with its unit when the cell has none (its
    header's, else the field's)."""
    for key, unit in (("fob_usd_lb", "USD/lb"), ("fob_usd_kg", "USD/kg")):
        said = _said(raw, header_of, key, unit)
        if said:
            return said
    return ""


def _said(raw: dict[str, str], header_of: dict[str, str], key: str, unit: str) -> str:
    """A price cell as written, with its unit when the cell has none (its header's, else
    ``unit``); "" when the row leaves it empty."""
    text = raw.get(key, "").strip()
    if not text:
        return ""
    unit = header_unit(key, header_of.get(key, "")) or unit
    return text if any(ch.isalpha() or ch == "¢" for ch in text) else f"{text} {unit}"
