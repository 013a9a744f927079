"""A lot import's EUDR columns: the lot's own due-diligence statement (``DDS reference``,
``DDS verification number``, ``DDS submitted on``, ``DDS status``) and the references received
from upstream operators (``Upstream DDS``, items as :mod:`roasterdesk.services.list_cells`
writes them). They are written through the store (:meth:`Store.save_dds`) after the lot, in the
import's transaction.

As everywhere in an import, an empty cell is "not recorded": it never clears a stored value. A
non-empty ``Upstream DDS`` cell is the lot's whole list: a reference no longer in it is removed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .import_checks import Problem

OWN = {"dds_reference": "reference", "dds_verification": "verification",
       "dds_submitted_on": "submitted_on", "dds_status": "status"}


@dataclass(frozen=True)
class Planned:
    own: dict[str, Any]  # Dds field -> value given (empty: the own DDS is not touched)
    upstream: tuple[tuple[str, str, str], ...] | None  # None: the cell was empty


def planned(plan: Any, ctx: Any, line: int, values: dict[str, Any], header_of: dict[str, str],
            lot_id: int | None) -> Planned | dict[str, Any] | None:
    """What the row says of the lot's DDS: ``{}`` when nothing, ``None`` (and a problem) when
    it cannot be written."""
    own = {field: values[key] for key, field in OWN.items() if key in values}
    upstream = values.get("upstream_dds")
    if not own and upstream is None:
        return {}
    if own and "reference" not in own and not (lot_id and any(
            d.role == "own" for d in ctx.store.dds_of_lot(lot_id))):
        given = next(k for k in OWN if k in values)
        plan.problems.append(Problem(line, header_of.get("dds_reference", "DDS reference"),
                                     "a DDS needs its reference number (this row gives its "
                                     f"{header_of.get(given, given)} only)"))
        return None
    if upstream is not None:
        refs = [r for r, _v, _s in upstream]
        twice = sorted({r for r in refs if refs.count(r) > 1})
        if twice:
            plan.problems.append(Problem(line, header_of.get("upstream_dds", "Upstream DDS"),
                                         f"{', '.join(twice)} named twice", value=twice[0]))
            return None
    return Planned(own, upstream)


def write(store: Any, planned: list[Any]) -> int:
    """Write the DDS records of lots just written (planned records with ``dds``); returns how
    many lots."""
    from ..store.eudr_records import Dds

    if not planned:
        return 0
    ids = store.ids_by_uuid("lots", [r.record.uuid for r in planned])
    stored = store.dds_of_lots(list(ids.values()))
    for r in planned:
        want, lid = r.dds, ids[r.record.uuid]
        have = stored.get(lid, [])
        own = next((d for d in have if d.role == "own"), None)
        if want.own:
            store.save_dds(replace(own, **want.own) if own else Dds(lid, "own", **want.own))
        if want.upstream is not None:
            by_ref = {d.reference: d for d in have if d.role == "upstream"}
            for ref, ver, sup in want.upstream:
                d = by_ref.pop(ref, None)
                if d is None:
                    store.save_dds(Dds(lid, "upstream", ref, ver, supplier=sup))
                elif (d.verification, d.supplier) != (ver, sup):
                    store.save_dds(replace(d, verification=ver, supplier=sup))
            for d in by_ref.values():
                store.delete_dds(d.id)
    return len(planned)
