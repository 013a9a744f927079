"""Export the lists (producers, people, plots, lots, visits) to CSV or XLSX.

Columns carry the import's canonical labels (:mod:`roasterdesk.services.fields`) and values in
forms the import reads back (a harvest by its one name, "2024/25" or "2025", which the import
reads as the year it ends), so export → import round-trips every exported field (UUIDs too, so
a re-import matches the same records). Cells that a spreadsheet would run as a formula are
neutralised by :func:`roasterdesk.services.tabular.write_table`.

A lot's premiums, cost legs, fixations, plots and DDS references and a visit's follow-ups are
lists in one cell each, in the forms of :mod:`roasterdesk.services.list_cells`. Not in the lists:
a visit's photos (files), and the kinds that have no list (certifications, commitments,
projects, legality documents, reference prices). The producer's own data export has everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from ..domain.harvest import harvest_name
from ..domain.model import Lot, Outcome, Person, Plot, Producer, Visit
from ..errors import UserError
from . import fields as FS
from . import list_cells as L
from .tabular import write_table

KINDS = tuple(FS.KINDS)


def text(value: Any) -> str:
    """One value as the text the import parses back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list, frozenset, set)):
        items = [_item(text(v)) for v in value]
        return "; ".join(sorted(items) if isinstance(value, (set, frozenset)) else items)
    return str(value)


def _item(value: str) -> str:
    """A list item as :func:`parsing.parse_list` reads it back: in double quotes when it holds
    one of the list separators (a variety "SL28/SL34", a participant "Ruiz, Ana")."""
    if re.search(r'[;,|/"]', value) or value != value.strip():
        return '"' + value.replace('"', '""') + '"'
    return value


def _note(note: str) -> str:
    """An observation's note as the import reads it back: in double quotes when its brackets
    do not pair up or it holds a quote ("about 40 % (rough"), else as it is."""
    depth = 0
    for ch in note:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth == 0 and '"' not in note and note == note.strip():
        return note
    return '"' + note.replace('"', '""') + '"'


def _pct(value: Any) -> str:
    return "" if value is None else f"{text(value)} %"


def _producer_cells(p: Producer, names: dict[int, Producer]) -> dict[str, str]:
    parent = names.get(p.parent_id) if p.parent_id else None
    return {
        "name": p.name, "kind": text(p.kind), "country": p.country, "region": p.region,
        "municipality": p.municipality, "altitude_min_m": text(p.altitude_min_m),
        "altitude_max_m": text(p.altitude_max_m), "total_area_ha": text(p.total_area_ha),
        "coffee_area_ha": text(p.coffee_area_ha), "varieties": text(p.varieties),
        "processes": text(p.processes), "harvest_months": text(p.harvest_months),
        "parent": parent.name if parent else "", "notes": p.notes, "uuid": p.uuid,
    }


def _person_cells(p: Person, owner: Producer) -> dict[str, str]:
    c = p.consent
    return {
        "producer": owner.name, "country": owner.country, "name": p.name, "role": text(p.role),
        "phone": p.phone, "email": p.email,
        "consent_given_on": text(c.given_on) if c else "",
        "consent_scope": text(c.scope) if c else "",
        "consent_withdrawn_on": text(c.withdrawn_on) if c else "",
        "consent_note": c.note if c else "", "quote": p.quote,
        "pseudonymised": text(p.pseudonymised), "uuid": p.uuid,
    }


def _plot_cells(p: Plot, owner: Producer) -> dict[str, str]:
    import json

    return {
        "producer": owner.name, "country": owner.country, "name": p.name,
        "area_ha": text(p.area_ha),
        "geometry": json.dumps(p.geometry, separators=(",", ":")) if p.geometry else "",
        "altitude_m": text(p.altitude_m), "varieties": text(p.varieties),
        "shade_pct": _pct(p.shade_pct), "planted_on": text(p.planted_on),
        "forest_after_2020": text(p.forest_after_2020), "uuid": p.uuid,
    }


def _lot_cells(lot: Lot, owner: Producer,
               plot_names: dict[int, tuple[str, int, str]] | None = None,
               dds: list[Any] | None = None) -> dict[str, str]:
    fg = lot.farm_gate
    own = next((d for d in dds or () if d.role == "own"), None)
    upstream = [d for d in dds or () if d.role == "upstream"]
    fix = "; ".join(
        f"{f.on.isoformat()} {text(f.c_cents_lb)}" + (f" {text(f.volume_kg)}" if f.volume_kg
                                                       is not None else "")
        for f in lot.fixations)
    return {
        "code": lot.code, "name": lot.name, "producer": owner.name, "country": owner.country,
        "harvest": harvest_name(lot.harvest, owner.country, owner.harvest_months),
        "weight_kg": text(lot.weight_kg), "bags": text(lot.bags),
        "bag_kg": text(lot.bag_kg), "variety": lot.variety, "process": text(lot.process),
        "species": text(lot.species), "quality_score": text(lot.quality_score),
        "defects_cat1": text(lot.defects_cat1), "defects_cat2": text(lot.defects_cat2),
        "moisture_pct": _pct(lot.moisture_pct), "status": text(lot.status),
        "contract_type": text(lot.contract_type), "contract_date": text(lot.contract_date),
        "futures_month": lot.futures_month, "c_cents_lb": text(lot.c_cents_lb),
        "c_estimated": text(lot.c_estimated),
        "differential_cents_lb": text(lot.differential_cents_lb),
        "fob_usd_lb": text(lot.fob_usd_lb), "fixations": fix,
        "fg_amount": text(fg.amount) if fg else "", "fg_currency": fg.currency if fg else "",
        "fg_unit": fg.unit_name if fg else "", "fg_unit_kg": text(fg.unit_kg) if fg else "",
        "fg_basis": text(fg.basis) if fg else "",
        "fg_kg_per_kg_green": text(fg.kg_per_kg_green) if fg else "",
        "fg_fx": text(fg.fx_local_per_usd) if fg else "",
        "fg_fx_date": text(fg.fx_date) if fg else "", "fg_fx_source": fg.fx_source if fg else "",
        "exporter": lot.exporter, "importer": lot.importer, "organic": text(lot.organic),
        "certifications": text(lot.certifications_claimed), "story": lot.story,
        "premiums": L.join(L.premium_text(p) for p in lot.premiums),
        "costs": L.join(L.cost_text(c) for c in lot.costs),
        "plots": L.join(L.plot_text(*_plot_of(lot, i, plot_names or {}))
                        for i in lot.plot_ids if i in (plot_names or {})),
        "dds_reference": own.reference if own else "",
        "dds_verification": own.verification if own else "",
        "dds_submitted_on": text(own.submitted_on) if own else "",
        "dds_status": own.status if own else "",
        "upstream_dds": L.join(L.upstream_text(d.reference, d.verification, d.supplier)
                               for d in upstream),
        "uuid": lot.uuid,
    }


def _plot_of(lot: Lot, plot_id: int, names: dict[int, tuple[str, int, str]]
             ) -> tuple[str, str]:
    name, producer_id, producer = names[plot_id]
    return name, "" if producer_id == lot.producer_id else producer


def _visit_cells(v: Visit, owner: Producer) -> dict[str, str]:
    obs = "; ".join(
        f"{o.topic.value}: {o.evidence.value}"
        + {None: "", Outcome.NO_ISSUE: ", no issue", Outcome.ISSUE: ", issue found"}[o.outcome]
        + (f" ({_note(o.note)})" if o.note else "")
        for o in v.observations)
    return {
        "producer": owner.name, "country": owner.country, "date": text(v.date),
        "mode": text(v.mode), "participants": text(v.participants),
        "purposes": text(v.purposes), "observations": obs, "notes": v.notes,
        "follow_ups": L.join(L.follow_up_text(f) for f in v.follow_ups), "uuid": v.uuid,
    }


def export_columns(kind: str) -> list[FS.FieldSpec]:
    """The columns a list export writes (the import fields that are one stored value)."""
    skip = {"producers": {"altitude"}, "lots": {"fob_usd_kg", "producer_region",
                                               "producer_altitude"},
            "plots": {"latitude", "longitude"}}.get(kind, set())
    skip = skip | {"producer_kind"}  # read only for a producer an import creates
    return [s for s in FS.KINDS[kind] if s.key not in skip]


def list_rows(store: Any, kind: str, ids: Iterable[int] | None = None) -> list[dict[str, str]]:
    """Every record of ``kind`` (or those with ``ids``) as cells keyed by field."""
    if kind not in FS.KINDS:
        raise UserError(f"unknown list {kind!r}: one of {', '.join(FS.KINDS)}")
    producers = {p.id: p for p in store.producers()}
    wanted = set(ids) if ids is not None else None
    out: list[dict[str, str]] = []
    if kind == "producers":
        for p in producers.values():
            if wanted is None or p.id in wanted:
                out.append(_producer_cells(p, producers))
        return out
    if kind == "lots":
        lots = store.lots_where("1") if wanted is None else [
            lot for chunk in _chunks(sorted(wanted))
            for lot in store.lots_where(f"id IN ({','.join('?' * len(chunk))})", chunk)]
        plot_names = {p.id: (p.name, p.producer_id, producers[p.producer_id].name)
                      for p in store.plots_by_ids({i for lot in lots for i in lot.plot_ids})
                      if p.producer_id in producers}
        dds = store.dds_of_lots([lot.id for lot in lots])
        return [_lot_cells(lot, producers[lot.producer_id], plot_names, dds.get(lot.id))
                for lot in lots]
    cells: Callable[[Any, Producer], dict[str, str]] = {
        "people": _person_cells, "plots": _plot_cells, "visits": _visit_cells}[kind]
    getter = {"people": store.people, "plots": store.plots, "visits": store.visits}[kind]
    for pid, owner in producers.items():
        for rec in getter(pid):
            if wanted is None or rec.id in wanted:
                out.append(cells(rec, owner))
    return out


def _chunks(items: list[int], size: int = 500) -> Iterable[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def export_list(store: Any, kind: str, path: Path | str, ids: Iterable[int] | None = None) -> int:
    """Write the list to ``path`` (.csv or .xlsx); returns the number of records written."""
    cols = export_columns(kind)
    records = list_rows(store, kind, ids)
    return write_table(Path(path), [c.label for c in cols],
                       ([r.get(c.key, "") for c in cols] for r in records),
                       sheet_title=kind.capitalize())
