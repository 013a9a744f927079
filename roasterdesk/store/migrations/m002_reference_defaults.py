"""Schema step ``m002_reference_defaults`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m002_reference_defaults(db: Database) -> None:
    """Seed the editable reference tables with docs/domain.md's figures."""
    from ...domain.model import Species
    from ...domain.reference import FAIRTRADE_2023, LIVING_INCOME_DEFAULTS

    t = FAIRTRADE_2023
    db.table("fairtrade_terms").insert({
        "valid_from": t.valid_from.isoformat(),
        "arabica_washed": str(t.minimums[(Species.ARABICA, "washed")]),
        "arabica_natural": str(t.minimums[(Species.ARABICA, "natural")]),
        "robusta_washed": str(t.minimums[(Species.ROBUSTA, "washed")]),
        "robusta_natural": str(t.minimums[(Species.ROBUSTA, "natural")]),
        "premium": str(t.premium_usd_lb),
        "organic_differential": str(t.organic_differential_usd_lb),
    })
    db.table("living_income_refs").insert_all(
        {
            "country": r.country, "year": r.year, "value": str(r.value),
            "currency": r.currency, "unit_kg": str(r.unit_kg), "basis": r.basis.value,
            "source": r.source, "species": r.species.value, "organic": int(r.organic),
        }
        for r in LIVING_INCOME_DEFAULTS
    )
