"""The tables of user data, described once: what each row refers to, how it is retired, what a
record is called. The change log, tombstones, counts and undo read this table instead of keeping
their own lists.

Every table here carries ``uuid`` (stable across devices), ``updated_at`` and ``deleted_at`` (a
tombstone: a deleted row stays, marked, so that a deletion can be synced and undone).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TableSpec:
    name: str
    record: str
    """What one row is called in messages ("person", "follow-up")."""
    refs: dict[str, str] = field(default_factory=dict)
    """Column → table it points at. The change log writes these as the target row's uuid, so a
    change means the same on every device (local integer ids differ)."""
    parent: str | None = None
    """The column naming the row this one belongs to: when that row is deleted, so is this one
    (follow-ups and photos of a visit)."""
    retire: dict[str, object] | None = None
    """Rows that are never deleted (lots, payments) are retired by this change instead."""
    natural_key: tuple[str, ...] = ()
    """Reference tables keyed by a fact (a month, a date): their uuid is derived from the key,
    so two devices that record the same month agree on the row."""
    counted: bool = True
    """Listed in :meth:`Store.counts` (and so in backup manifests and the demo's report)."""
    page: str = "reference"
    """The part of the app that shows these rows (the kind ``data_changed`` announces)."""


TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("producers", "producer", {"parent_id": "producers"}, page="producer"),
    TableSpec("people", "person", {"producer_id": "producers"}, page="producer"),
    TableSpec("plots", "plot", {"producer_id": "producers"}, page="producer"),
    TableSpec("certifications", "certification", {"producer_id": "producers"}, page="producer"),
    TableSpec("commitments", "commitment", {"producer_id": "producers"}, page="commitment"),
    TableSpec("visits", "visit", {"producer_id": "producers"}, page="visit"),
    TableSpec("follow_ups", "follow-up", {"visit_id": "visits"}, parent="visit_id", page="visit"),
    TableSpec("photos", "photo", {"visit_id": "visits", "person_id": "people"},
              parent="visit_id", page="visit"),
    TableSpec("lots", "lot", {"producer_id": "producers"},
              retire={"status": "cancelled"}, page="lot"),
    TableSpec("lot_plots", "lot plot", {"lot_id": "lots", "plot_id": "plots"},
              parent="lot_id", counted=False, page="lot"),
    TableSpec("fixations", "fixation", {"lot_id": "lots"}, parent="lot_id", counted=False,
              page="lot"),
    TableSpec("cost_legs", "cost leg", {"lot_id": "lots"}, parent="lot_id", counted=False,
              page="lot"),
    TableSpec("premiums", "premium", {"lot_id": "lots"}, retire={"voided": 1}, page="lot"),
    TableSpec("projects", "project", {"producer_id": "producers", "lot_id": "lots",
                                      "evidence_visit_id": "visits"}, page="project"),
    TableSpec("eudr_dds", "due diligence statement", {"lot_id": "lots"}, counted=False,
              page="lot"),
    TableSpec("eudr_documents", "EUDR document",
              {"lot_id": "lots", "producer_id": "producers"}, counted=False, page="lot"),
    TableSpec("c_prices", "C price", natural_key=("month",), counted=False),
    TableSpec("london_prices", "London robusta price", natural_key=("month",), counted=False),
    TableSpec("fairtrade_terms", "Fairtrade terms", natural_key=("valid_from",),
              counted=False),
    TableSpec("living_income_refs", "living income reference", counted=False),
)}

REFERENCE_TABLES = ("c_prices", "london_prices", "fairtrade_terms", "living_income_refs")
"""Reference data: edited rarely, and every lot's figures depend on it."""

NOT_LOGGED = frozenset({"id", "uuid", "updated_at"})
"""Columns the change log does not record as fields: the row id is local, the uuid names the row,
and the hybrid logical clock of each change says when it was made."""


def spec(table: str) -> TableSpec:
    return TABLES[table]


def referrers(table: str) -> list[tuple[str, str]]:
    """(table, column) pairs that point at ``table``."""
    return [(t.name, col) for t in TABLES.values() for col, to in t.refs.items() if to == table]


def page_of(table: str) -> str:
    return TABLES[table].page


def record_name(table: str) -> str:
    return TABLES[table].record if table in TABLES else table.rstrip("s").replace("_", " ")
