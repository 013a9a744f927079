"""Turning a checked row into a record of its kind: matching stored records, new producers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any

from ..domain import plausibility as PL
from ..domain.countries import country_name, location_check
from ..domain.geo import GeometryError, centroid
from ..domain.model import (
    Consent,
    ContractType,
    Fixation,
    Lot,
    Observation,
    Person,
    Plot,
    Producer,
    Visit,
)
from ..domain.units import LB_KG
from . import fields as FS
from . import import_dds, vocab
from .import_checks import Problem
from .import_farm_gate import FarmGateUnitProblem, farm_gate
from .import_plan import ImportPlan, Planned
from .import_said import LOT_NOT_GIVEN, VISIT_KEPT, blank_kept, code_said, lot_kept


def _pkey(name: str, country: str) -> tuple[str, str]:
    return (FS.fold(name), country)


def _is_totals_row(cells: list[str], values: dict[str, Any], kind: str) -> bool:
    first = next((c for c in cells if c.strip()), "").strip().lower().rstrip(":")
    if first not in ("total", "totals", "sum", "grand total", "total general"):
        return False
    required = [s.key for s in FS.KINDS[kind] if s.required and s.key not in ("producer",
                                                                             "name", "code")]
    return not all(k in values for k in required)


def _resolve_producer(plan: ImportPlan, ctx: Any, values: dict[str, Any], line: int = 0,
                      header_of: dict[str, str] | None = None
                      ) -> tuple[int, tuple[str, str] | None]:
    """(producer id or 0, key of a producer this import creates). Producer-level values of the
    row (region, altitude) that differ from the producer already known (stored, or created by
    an earlier row) are reported as warnings: the producer keeps its values."""
    name, country = values["producer"], values["country"]
    key = _pkey(name, country)
    if key in ctx.producers:
        pid = ctx.producers[key][0]
        if pid and ("producer_region" in values or "producer_altitude" in values):
            known = getattr(ctx, "known_producers", None)
            if known is None:
                known = ctx.known_producers = {}
            if pid not in known:
                known[pid] = ctx.store.producer(pid)
            _differences(plan, line, header_of or {}, values, known[pid])
        return pid, None
    if key not in plan.new_producers:
        lo, hi = values.get("producer_altitude", (None, None))
        kind = values.get("producer_kind") or _kind_not_given(plan, name)
        plan.new_producers[key] = Producer(name.strip(), kind, country,
                                           region=values.get("producer_region", ""),
                                           altitude_min_m=lo, altitude_max_m=hi)
    else:
        _differences(plan, line, header_of or {}, values, plan.new_producers[key])
    return 0, key


def _kind_not_given(plan: ImportPlan, name: str) -> None:
    """A new producer whose kind the file does not give keeps it "not recorded" (never an
    invented "farm"), said in the plan's notes naming the producers (:func:`kind_note`)."""
    plan.kind_not_given.append(name.strip())


def kind_note(plan: ImportPlan) -> str | None:
    """The note naming the new producers whose kind is not recorded (the file gives none)."""
    names = list(dict.fromkeys(plan.kind_not_given))
    if not names:
        return None
    shown = ", ".join(repr(n) for n in names[:10]) + (
        f" and {len(names) - 10:,} more" if len(names) > 10 else "")
    return (f"{len(names):,} new producer{'s' if len(names) != 1 else ''} with kind not "
            f"recorded (the file gives no producer type; the statement says 'producer'; map a "
            f"'Producer type' column or set it on the producer): {shown}")


def _unique(items: Any) -> tuple[Any, ...]:
    """A list value without repeats, in order (two labels may map to one value)."""
    return tuple(dict.fromkeys(items))


def _differences(plan: ImportPlan, line: int, header_of: dict[str, str], values: dict[str, Any],
                 producer: Producer) -> None:
    def said(x: Any) -> str:
        return "not recorded" if x in (None, "", (None, None)) else repr(x)

    def alt(lo: int | None, hi: int | None) -> Any:
        return None if lo is None else (f"{lo} m" if lo == hi or hi is None else f"{lo}-{hi} m")

    checks = []
    if "producer_region" in values and FS.fold(values["producer_region"]) != FS.fold(
            producer.region or ""):
        checks.append(("producer_region", "region", producer.region, values["producer_region"]))
    if "producer_altitude" in values:
        given = alt(*values["producer_altitude"])
        stored = alt(producer.altitude_min_m, producer.altitude_max_m)
        if given != stored:
            checks.append(("producer_altitude", "altitude", stored, given))
    for key, what, stored, given in checks:
        plan.problems.append(Problem(
            line, header_of.get(key, FS.spec("lots", key).label),
            f"{producer.name}'s {what} is {said(stored)} (kept); this row says {said(given)}: "
            "change the producer to change it", False))


_HASH_BITS = (1 << 64) - 1


def _duplicate(plan: ImportPlan, ctx: Any, line: int, identity: Any, uuid: str | None,
               seen: dict[Any, int], cells: tuple[str, ...],
               what: str, unique: bool = False) -> tuple[str, int | None] | None:
    """("create"|"update"|"skip", stored id); ``None`` when the row must be dropped.

    Within the file, rows with a UUID are told apart by it (two calls on one day are two
    visits; two farms may share a name), except lots, whose code the database keeps unique.
    """
    key = ("uuid", uuid) if uuid and not unique else identity
    if key in seen:
        first, first_cells = seen[key] >> 64, seen[key] & _HASH_BITS
        if first_cells == hash(cells) & _HASH_BITS:
            plan.problems.append(Problem(line, "", f"repeats line {first} exactly; skipped", False))
        else:
            plan.problems.append(Problem(line, "", f"{what} is also on line {first} with "
                                         "different values; keep one of the two rows"))
        return None
    seen[key] = line << 64 | hash(cells) & _HASH_BITS  # one int a row, not its cells
    existing = ctx.by_uuid.get(uuid) if uuid else None
    if existing is None and identity is not None:
        existing = ctx.by_identity.get(identity)
    if existing is None:
        return "create", None
    return plan.on_duplicate, existing


def _keep(values: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: values[k] for k in keys if k in values}


def _build_producer(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    if "altitude" in values:
        lo, hi = values.pop("altitude")
        values.setdefault("altitude_min_m", lo)
        values.setdefault("altitude_max_m", hi)
    if "processes" in values:
        each = getattr(plan, "values_map", {}).get("processes") or {}
        items = [each.get(FS.fold(p), p) for p in values["processes"]]
        for p in items:
            vocab.refuse_ambiguous("process", p)
        values["processes"] = tuple(FS.parse_process(p).value if _known_process(p) else p
                                    for p in items)
    for k in ("varieties", "processes", "harvest_months"):
        if k in values:
            values[k] = _unique(values[k])
    parent = values.pop("parent", None)
    key = _pkey(values["name"], values["country"])
    found = _duplicate(plan, ctx, line, key, values.get("uuid"), seen, cells, "this producer")
    if found is None:
        return
    action, existing = found
    fields = _keep(values, "name", "kind", "country", "region", "municipality", "altitude_min_m",
                   "altitude_max_m", "total_area_ha", "coffee_area_ha", "varieties", "processes",
                   "harvest_months", "notes", "uuid")
    if action == "create":
        if "kind" not in fields:
            fields["kind"] = _kind_not_given(plan, values["name"])
        rec = Producer(**fields)
    elif action == "update":
        fields.pop("uuid", None)
        rec = replace(ctx.store.producer(existing), **fields)
    else:
        rec = None
    if rec is not None:
        ctx.producers.setdefault(key, (existing or 0, rec.uuid))
    if parent and rec is not None:  # planned once its cooperative is known (_resolve_parents)
        ctx.pending_parents.append((Planned(line, action, rec), parent, values["country"],
                                    header_of.get("parent", "Member of")))
    else:
        plan.records.append(Planned(line, action, rec))


def _resolve_parents(plan: ImportPlan, ctx: Any) -> None:
    """After every row is read: a member may come before its cooperative in the file. A member
    of a producer whose row was rejected (``ctx.refused``: key or folded name -> line) is
    rejected too, and so are its own members: a member is never written without its
    cooperative."""
    refused: dict[Any, int] = getattr(ctx, "refused", {})
    pending = list(ctx.pending_parents)
    while True:
        left = []
        for planned, parent, country, column in pending:
            key = _pkey(parent, country)
            line = None if key in ctx.producers else refused.get(key, refused.get(FS.fold(parent)))
            if line is None:
                left.append((planned, parent, country, column))
                continue
            rec = planned.record
            problem = Problem(planned.line, column, f"member of {parent!r}: its row (line "
                              f"{line}) was rejected", value=parent)
            plan.problems.append(problem)
            plan.rejected.append((planned.line, [problem]))
            own = _pkey(rec.name, rec.country)
            if ctx.producers.get(own, (0, ""))[1] == rec.uuid:
                del ctx.producers[own]  # its own members are rejected in the next round
            refused[own] = planned.line
            if rec.name in plan.kind_not_given:
                plan.kind_not_given.remove(rec.name)
        if len(left) == len(pending):
            break
        pending = left
    for planned, parent, country, column in pending:
        target = ctx.producers.get(_pkey(parent, country))
        if target is None:
            problem = Problem(planned.line, column, f"member of {parent!r}: no such producer "
                              f"in {country_name(country)} (in the database or this file)",
                              value=parent)
            plan.problems.append(problem)
            plan.rejected.append((planned.line, [problem]))
        else:
            plan.records.append(planned)
            plan.parents[planned.record.uuid] = target[1]
    plan.rejected.sort(key=lambda r: r[0])


def _known_process(text: str) -> bool:
    try:
        FS.parse_process(text)
    except ValueError:
        return False
    return True


def _build_person(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values, line, header_of)
    ident = (pid, FS.fold(values["name"])) if pid else (pkey, FS.fold(values["name"]))
    found = _duplicate(plan, ctx, line, ident, values.get("uuid"), seen, cells, "this person")
    if found is None:
        return
    action, existing = found
    fields = _keep(values, "name", "role", "phone", "email", "quote", "pseudonymised", "uuid")
    consent_keys = ("consent_given_on", "consent_scope", "consent_withdrawn_on", "consent_note")
    old = ctx.store.person(existing) if action == "update" else None
    if any(k in values for k in consent_keys):
        base = old.consent if old and old.consent else None
        given = values.get("consent_given_on", base.given_on if base else None)
        if given is None:
            raise ValueError("consent scope or withdrawal given without the date consent was given")
        scope = values.get("consent_scope", tuple(base.scope) if base else ())
        fields["consent"] = Consent(
            given_on=given, scope=frozenset(scope),
            withdrawn_on=values.get("consent_withdrawn_on", base.withdrawn_on if base else None),
            note=values.get("consent_note", base.note if base else ""),
        )
    if action == "create":
        rec: Any = Person(producer_id=pid, **fields)
    elif action == "update":
        fields.pop("uuid", None)
        rec = replace(old, **fields)
    else:
        rec = None
    plan.records.append(Planned(line, action, rec, pkey))


def _geometry(values: dict[str, Any], line: int, header_of: dict[str, str]) -> dict | None:
    if "geometry" in values:
        try:
            geom = json.loads(values["geometry"])
        except ValueError as exc:
            col = header_of.get("geometry", "Geometry")
            raise ValueError(f"{col}: not GeoJSON ({exc})") from exc
        if isinstance(geom, dict) and geom.get("type") == "Feature":
            geom = geom.get("geometry")
        return geom
    if "latitude" in values or "longitude" in values:
        if "latitude" not in values or "longitude" not in values:
            raise ValueError("a position needs both latitude and longitude")
        return {"type": "Point",
                "coordinates": [float(values["longitude"]), float(values["latitude"])]}
    return None


def _build_plot(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values, line, header_of)
    ident = (pid, FS.fold(values["name"])) if pid else (pkey, FS.fold(values["name"]))
    found = _duplicate(plan, ctx, line, ident, values.get("uuid"), seen, cells, "this plot")
    if found is None:
        return
    action, existing = found
    fields = _keep(values, "name", "area_ha", "varieties", "shade_pct", "planted_on",
                   "forest_after_2020", "uuid")
    if "shade_pct" in fields:
        if fields["shade_pct"] != int(fields["shade_pct"]):
            raise ValueError("shade cover is a whole percentage")
        fields["shade_pct"] = int(fields["shade_pct"])
    if "altitude_m" in values:
        lo, hi = values["altitude_m"]
        fields["altitude_m"] = (lo + hi) // 2  # choice: a range on one plot → its middle
    geom = _geometry(values, line, header_of)
    if geom is not None:
        fields["geometry"] = geom
        try:
            lon, lat = centroid(geom)
        except (KeyError, TypeError, IndexError, ZeroDivisionError):
            lon = lat = None  # the Plot constructor below names the problem
        if lon is not None:
            where = location_check(values["country"], lon, lat)
            col = header_of.get("geometry") or header_of.get("latitude", "")
            if where == "swapped":
                plan.problems.append(Problem(line, col, "latitude and longitude look swapped "
                                             f"for {country_name(values['country'])}", False))
            elif where == "outside":
                plan.problems.append(Problem(line, col, "the position is outside "
                                             f"{country_name(values['country'])}", False))
    try:
        if action == "create":
            rec: Any = Plot(producer_id=pid, **fields)
        elif action == "update":
            fields.pop("uuid", None)
            rec = replace(ctx.store.plot(existing), **fields)
        else:
            rec = None
    except GeometryError as exc:
        raise ValueError(f"geometry: {exc}") from exc
    plan.records.append(Planned(line, action, rec, pkey))


_LOT_SCALARS = ("code", "name", "harvest", "weight_kg", "bags", "bag_kg", "variety", "process",
                "species", "quality_score", "defects_cat1", "defects_cat2", "moisture_pct",
                "status", "contract_type", "contract_date", "futures_month", "c_cents_lb",
                "c_estimated",
                "differential_cents_lb", "fob_usd_lb", "exporter", "importer", "organic",
                "story", "uuid")
def _build_lot(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values, line, header_of)
    code = values["code"].strip()
    found = _duplicate(plan, ctx, line, code, values.get("uuid"), seen, cells, f"lot {code}",
                       unique=True)
    if found is None:
        return
    action, existing = found
    if action == "skip":
        plan.records.append(Planned(line, action, None, pkey))
        return
    fields = _keep(values, *_LOT_SCALARS)
    if "fob_usd_kg" in values and "fob_usd_lb" not in values:
        fields["fob_usd_lb"] = values["fob_usd_kg"] * LB_KG
    if "certifications" in values:
        fields["certifications_claimed"] = tuple(values["certifications"])
    if "fixations" in values:
        fields["fixations"] = tuple(Fixation(on, c, v) for on, c, v in values["fixations"])
    old = ctx.store.lot(existing) if action == "update" else None
    if old is not None:
        blank_kept(plan, line, values, old, lot_kept(_LOT_SCALARS))
    code_said(plan, ctx, line, header_of, code, action, old)
    if "costs" in values:
        fields["costs"] = values["costs"]
    facts = [tuple(getattr(x, f) for f in _PREMIUM_FACTS) for x in values.get("premiums", ())]
    if len(set(facts)) < len(facts):
        plan.problems.append(Problem(
            line, header_of.get("premiums", "Premiums"), "the same premium is written twice: "
            "both are stored and paid in the figures; delete one if it is a copy", False))
    if "premiums" in values:  # the same payments keep their identity (never a second copy)
        fields["premiums"] = _same_children(values["premiums"], old.premiums if old else (),
                                            _PREMIUM_FACTS)
    if "plots" in values:
        found = _plot_ids(plan, ctx, line, pid, values["plots"],
                          header_of.get("plots", "Plots"), values["country"])
        if found is None:
            return
        fields["plot_ids"] = found
    dds = import_dds.planned(plan, ctx, line, values, header_of, old.id if old else None)
    if dds is None:
        return
    try:
        fg = farm_gate(values, old.farm_gate if old else None, values["country"],
                       values.get("bag_kg", old.bag_kg if old else None))
    except FarmGateUnitProblem as exc:
        key = exc.key if exc.key in values else "fg_unit"
        plan.problems.append(Problem(line, header_of.get(key) or FS.spec("lots", key).label,
                                     str(exc), value=str(values.get(key, ""))))
        return
    if fg is not None:
        fields["farm_gate"] = fg
    if action == "create":
        # a fact the file does not give stays "not recorded"; fixations say which contract it
        # is (a fixed-price contract is never fixed later): read so, with a warning
        if "contract_type" not in fields:
            fields["contract_type"] = ContractType.PTBF if "fixations" in fields else None
            if "fixations" in fields:
                plan.problems.append(Problem(
                    line, header_of.get("fixations", "Fixations"), "no contract type given: "
                    "read as PTBF (price to be fixed) because the row has fixations; a "
                    "'Contract type' column says it", False))
        for key in LOT_NOT_GIVEN:
            if key not in fields:  # not recorded (never the model's default), said in the notes
                fields[key] = None
                n, first = plan.lot_not_recorded.get(key, (0, []))
                plan.lot_not_recorded[key] = (n + 1,
                                              first if len(first) >= 10 else [*first, code])
    if action == "create":
        rec: Any = Lot(producer_id=pid, **fields)
    else:
        fields.pop("uuid", None)
        fields.pop("code", None)
        rec = replace(old, producer_id=pid or old.producer_id, **fields)
        if pkey is not None or rec.producer_id != old.producer_id:
            plan.moved_from.add(old.producer_id)
    if not _fixations_fit(plan, line, header_of, rec):
        return
    plan.records.append(Planned(line, action, rec, pkey, dds or None))


def _fixations_fit(plan: ImportPlan, line: int, header_of: dict[str, str], lot: Lot) -> bool:
    """Whether the lot's fixations fit it; if not (on a fixed-price contract, or fixing more
    kg than the lot weighs), errors: the row is not imported until the file says what is
    true."""
    if not lot.fixations:
        return True
    before = len(plan.problems)
    col = header_of.get("fixations", "Fixations")
    if lot.contract_type is ContractType.FIXED:
        plan.problems.append(Problem(
            line, col, f"a fixed-price contract has no fixations ({len(lot.fixations)} "
            "given): is the contract PTBF (price to be fixed), or are the fixations another "
            "lot's?"))
    fixed = sum((f.volume_kg for f in lot.fixations if f.volume_kg is not None), Decimal(0))
    bad = PL.fixations_over_weight(fixed, lot.weight)
    if bad:
        plan.problems.append(Problem(line, col, bad))
    return len(plan.problems) == before


_PREMIUM_FACTS = ("type", "basis", "amount", "included_in_fob", "paid_to", "farmers", "voided")


def _same_children(new: tuple[Any, ...], old: tuple[Any, ...], facts: tuple[str, ...]
                   ) -> tuple[Any, ...]:
    """``new`` children (read from a cell, so without identity) given the id and uuid of the
    stored child they stand for: the one with the same facts, else the one at the same place
    among those left (a value changed in the spreadsheet changes that child)."""
    free = list(old)
    out: list[Any] = [None] * len(new)

    def facts_of(x: Any) -> tuple[Any, ...]:
        return tuple(getattr(x, f) for f in facts)

    for i, child in enumerate(new):
        match = next((o for o in free if facts_of(o) == facts_of(child)), None)
        if match is not None:
            free.remove(match)
            out[i] = replace(child, id=match.id, uuid=match.uuid)
    for i, child in enumerate(new):
        if out[i] is None:
            out[i] = replace(child, id=free[0].id, uuid=free.pop(0).uuid) if free else child
    return tuple(out)


def _plot_ids(plan: ImportPlan, ctx: Any, line: int, pid: int,
              names: tuple[tuple[str, str], ...], column: str, country: str
              ) -> tuple[int, ...] | None:
    """The ids of the plots named in the cell (the lot's producer's, or the named producer's in
    the lot's country); ``None`` (and a problem) when one is not found."""
    cache = getattr(ctx, "plots_by_producer", None)
    if cache is None:
        cache = ctx.plots_by_producer = {}
    out = []
    for name, producer in names:
        owner = ctx.producers.get(_pkey(producer, country), (0, ""))[0] if producer else pid
        if owner and owner not in cache:
            cache[owner] = {}
            for p in ctx.store.plots(owner):
                cache[owner].setdefault(FS.fold(p.name), []).append(p.id)
        ids = cache.get(owner, {}).get(FS.fold(name), [])
        if len(ids) != 1:
            whose = f"{producer}'s " if producer else ""
            why = (f"no producer {producer!r} in {country_name(country)}"
                   if producer and not owner and _pkey(producer, country) not in ctx.producers
                   else "a producer this import creates has no plots yet: import its plots "
                   "first" if not owner
                   else f"no {whose}plot of that name" if not ids
                   else f"two of {whose or 'the producer' + chr(39) + 's '}plots have that name")
            plan.problems.append(Problem(line, column, f"plot {name!r}: {why}", value=name))
            return None
        out.append(ids[0])
    return tuple(dict.fromkeys(out))


def _build_visit(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values, line, header_of)
    mode = values["mode"]  # a required field: never assumed in person
    ident = (pid or pkey, values["date"].isoformat(), mode.value)
    found = _duplicate(plan, ctx, line, ident, values.get("uuid"), seen, cells, "this visit")
    if found is None:
        return
    action, existing = found
    fields = _keep(values, "date", "mode", "notes", "uuid")
    if "participants" in values:
        fields["participants"] = tuple(values["participants"])
    if "purposes" in values:
        fields["purposes"] = tuple(values["purposes"])
    if "observations" in values:
        fields["observations"] = tuple(Observation(t, e, n, o)
                                       for t, e, n, o in values["observations"])
    old = ctx.store.visit(existing) if action == "update" else None
    if old is not None:
        blank_kept(plan, line, values, old, VISIT_KEPT)
    if "follow_ups" in values:
        fields["follow_ups"] = _same_children(values["follow_ups"], old.follow_ups if old else (),
                                              ("what", "who", "due", "done"))
    if action == "create":
        rec: Any = Visit(producer_id=pid, **fields)
    elif action == "update":
        fields.pop("uuid", None)
        rec = replace(old, **fields)
    else:
        rec = None
    plan.records.append(Planned(line, action, rec, pkey))


_BUILDERS: dict[str, Callable[..., None]] = {
    "producers": _build_producer,
    "people": _build_person,
    "plots": _build_plot,
    "lots": _build_lot,
    "visits": _build_visit,
}

