"""Import producers, people, plots, lots and visits from CSV, XLSX, GeoJSON or KML.

Two steps, so that nothing is written until the user has seen what will happen:

1. :func:`plan_import` reads and checks every row against the database and returns an
   :class:`ImportPlan`: what will be created, updated or skipped, and every problem as line,
   column and reason. It writes nothing.
2. :func:`commit_import` writes the whole plan in **one transaction**: all rows or none. A plan
   with errors is refused.

Matching (a re-import does not duplicate): a record is the same as a stored one when its UUID
matches, else by its identity (:data:`fields.IDENTITY`: lot code; producer name + country; …).
The user chooses what happens then: ``update`` (the file's non-empty cells replace the stored
values; empty cells keep them) or ``skip``. Rows that name a producer not in the database create
it (kind *farm*), and the plan lists those producers.

Writes are batched (``executemany``, the row format of :mod:`roasterdesk.store.rows`); the
derived lot metrics of every touched producer are refreshed once, at the end, in the same
transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..domain.countries import country_name, location_check
from ..domain.geo import GeometryError, centroid
from ..domain.model import (
    Consent,
    ContractType,
    FarmGatePrice,
    Fixation,
    Lot,
    Observation,
    Person,
    Plot,
    Producer,
    ProducerKind,
    Visit,
)
from ..domain.units import LB_KG, LOCAL_UNITS
from ..errors import UserError
from ..store import rows as R
from ..store.codec import d2s, now
from . import fields as FS
from .tabular import Table, read_table, unneutralise

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
ON_DUPLICATE = ("update", "skip")
BATCH = 1000


class ImportCancelled(UserError):
    """The user cancelled; nothing was written."""


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    reason: str
    error: bool = True

    def __str__(self) -> str:
        col = f", column {self.column!r}" if self.column else ""
        return f"line {self.line}{col}: {self.reason}"


@dataclass
class Planned:
    line: int
    action: str  # "create" | "update" | "skip"
    record: Any
    producer_key: tuple[str, str] | None = None  # a producer created by this import


@dataclass
class ImportPlan:
    kind: str
    table: Table
    mapping: dict[int, str]
    on_duplicate: str
    records: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_producers: dict[tuple[str, str], Producer] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)  # producer uuid -> parent uuid
    moved_from: set[int] = field(default_factory=set)  # producers an updated lot leaves

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    def count(self, action: str) -> int:
        return sum(1 for r in self.records if r.action == action)

    @property
    def ok(self) -> bool:
        return not self.errors

    def report(self, limit: int | None = 200) -> str:
        t = self.table
        lines = [
            f"{self.kind} from {t.source}: {len(t.rows):,} rows (header on line {t.header_line}"
            + (f"; {'; '.join(t.notes)}" if t.notes else "") + ")",
        ]
        for i, h in enumerate(t.headers):
            key = self.mapping.get(i)
            if h or key:
                label = FS.spec(self.kind, key).label if key else "(ignored)"
                lines.append(f"  column {h or '#' + str(i + 1)!r} → {label}")
        missing = [s.label for s in FS.KINDS[self.kind]
                   if s.required and s.key not in self.mapping.values()]
        if missing:
            lines.append("  not found: " + ", ".join(missing))
        lines.append(
            f"will create {self.count('create'):,}, update {self.count('update'):,}, "
            f"skip {self.count('skip'):,} {self.kind}"
            + (f"; new producers: {len(self.new_producers):,}" if self.new_producers else "")
        )
        errors, warnings = self.errors, self.warnings
        lines.append(f"{len(errors):,} errors, {len(warnings):,} warnings")
        shown = sorted(self.problems, key=lambda p: (p.line, not p.error))
        for p in shown[:limit] if limit else shown:
            lines.append(("  ERROR " if p.error else "  warning ") + str(p))
        if limit and len(shown) > limit:
            lines.append(f"  … and {len(shown) - limit:,} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    updated: int
    skipped: int
    producers_created: int

    def __str__(self) -> str:
        extra = f", {self.producers_created:,} new producers" if self.producers_created else ""
        return (f"imported {self.kind}: {self.created:,} created, {self.updated:,} updated, "
                f"{self.skipped:,} skipped{extra}")


# -- reading --------------------------------------------------------------------------------
GEO_SUFFIXES = (".geojson", ".json", ".kml")


def read_source(path: Path | str, kind: str, sheet: str | None = None) -> Table:
    """The file as a table: CSV/XLSX directly; GeoJSON/KML plots as one row per feature."""
    path = Path(path)
    if kind not in FS.KINDS:
        raise UserError(f"unknown kind {kind!r}: one of {', '.join(FS.KINDS)}")
    if path.suffix.lower() in GEO_SUFFIXES:
        if kind != "plots":
            raise UserError(f"{path.name}: GeoJSON and KML files hold plots (use --kind plots)")
        from .geofiles import read_geo_table

        return read_geo_table(path)
    return read_table(path, FS.header_score(kind), sheet)


def load_mapping(path: Path | str, kind: str, headers: list[str]) -> dict[int, str]:
    """A mapping file: JSON ``{"column header": "field key or label" | null}``.

    Columns it names replace the automatic choice (``null`` ignores a column); others keep it.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError(f"mapping file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise UserError(f"mapping file {path}: expected an object of header → field")
    mapping = FS.auto_mapping(kind, headers)
    by_label = {FS.fold(s.label): s.key for s in FS.KINDS[kind]}
    keys = {s.key for s in FS.KINDS[kind]}
    folded = [FS.fold(h) for h in headers]
    for header, target in data.items():
        if FS.fold(header) not in folded:
            raise UserError(f"mapping file {path}: the file has no column {header!r}")
        col = folded.index(FS.fold(header))
        if target is None or target == "":
            mapping.pop(col, None)
            continue
        key = target if target in keys else by_label.get(FS.fold(str(target)))
        if key is None:
            raise UserError(f"mapping file {path}: {target!r} is not a {kind} field "
                            f"({', '.join(sorted(keys))})")
        for c, k in list(mapping.items()):
            if k == key:
                del mapping[c]
        mapping[col] = key
    return mapping


# -- planning -------------------------------------------------------------------------------
def _pkey(name: str, country: str) -> tuple[str, str]:
    return (FS.fold(name), country)


class _Context:
    """What the planner looks records up in: the database, read once."""

    def __init__(self, store: Any, kind: str) -> None:
        self.store = store
        q = store.db.execute
        self.producers: dict[tuple[str, str], tuple[int, str]] = {}
        self.producer_uuids: dict[str, int] = {}
        for id_, uuid, name, country in q("SELECT id, uuid, name, country FROM producers"):
            self.producers.setdefault(_pkey(name, country), (id_, uuid))
            self.producer_uuids[uuid] = id_
        self.by_uuid: dict[str, int] = {}
        self.by_identity: dict[Any, int] = {}
        self.pending_parents: list[tuple[int, str, str, str]] = []
        if kind == "lots":
            for id_, uuid, code in q("SELECT id, uuid, code FROM lots"):
                self.by_uuid[uuid], self.by_identity[code.strip()] = id_, id_
        elif kind == "people":
            for id_, uuid, pid, name in q("SELECT id, uuid, producer_id, name FROM people"):
                self.by_uuid[uuid], self.by_identity[(pid, FS.fold(name))] = id_, id_
        elif kind == "plots":
            for id_, uuid, pid, name in q("SELECT id, uuid, producer_id, name FROM plots"):
                self.by_uuid[uuid], self.by_identity[(pid, FS.fold(name))] = id_, id_
        elif kind == "visits":
            sql = "SELECT id, uuid, producer_id, date, mode FROM visits"
            for id_, uuid, pid, d, mode in q(sql):
                self.by_uuid[uuid], self.by_identity[(pid, d, mode)] = id_, id_
        elif kind == "producers":
            for (name, country), (id_, _uuid) in self.producers.items():
                self.by_identity[(name, country)] = id_
            self.by_uuid = dict(self.producer_uuids)


def plan_import(
    store: Any,
    table: Table,
    kind: str,
    mapping: dict[int, str] | None = None,
    *,
    on_duplicate: str = "skip",
    defaults: dict[str, str] | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportPlan:
    """Check every row and decide what a commit would do. Writes nothing.

    ``defaults`` fill a field for rows whose cell is empty or whose column is missing (e.g. the
    producer for a KML file of one farm's plots).
    """
    if on_duplicate not in ON_DUPLICATE:
        raise UserError(f"on duplicate: 'update' or 'skip', not {on_duplicate!r}")
    mapping = dict(FS.auto_mapping(kind, table.headers) if mapping is None else mapping)
    plan = ImportPlan(kind, table, mapping, on_duplicate)
    mapped = set(mapping.values())
    defaults = {k: v for k, v in (defaults or {}).items() if v}
    for spec in FS.KINDS[kind]:
        if spec.required and spec.key not in mapped and spec.key not in defaults:
            plan.problems.append(Problem(table.header_line, "", f"no column for {spec.label!r} "
                                         "(map one, or add it to the file)"))
    if plan.errors:
        return plan
    ctx = _Context(store, kind)
    specs = {s.key: s for s in FS.KINDS[kind]}
    columns = [(i, key, table.headers[i] or f"#{i + 1}") for i, key in sorted(mapping.items())]
    seen: dict[Any, tuple[int, tuple[str, ...]]] = {}
    build = _BUILDERS[kind]
    total = len(table.rows)
    for n, (line, cells) in enumerate(table.rows, 1):
        if n % BATCH == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("import cancelled; nothing was written")
            if progress is not None:
                progress(n, total)
        values: dict[str, Any] = {}
        raw: dict[str, str] = {}
        row_problems: list[Problem] = []
        for i, key, header in columns:
            text = unneutralise(cells[i].strip()) if i < len(cells) else ""
            if not text:
                continue
            raw[key] = text
            try:
                values[key] = specs[key].parse(text)
            except (ValueError, ArithmeticError) as exc:
                row_problems.append(Problem(line, header, str(exc)))
        for key, text in defaults.items():
            if key not in raw and key in specs:
                raw[key] = text
                try:
                    values[key] = specs[key].parse(text)
                except (ValueError, ArithmeticError) as exc:
                    row_problems.append(Problem(line, specs[key].label, str(exc)))
        if _is_totals_row(cells, values, kind):
            plan.problems.append(Problem(line, "", "looks like a totals row; skipped", False))
            continue
        header_of = {key: header for _i, key, header in columns}
        for key, spec in specs.items():
            if spec.required and key not in raw:
                row_problems.append(Problem(line, header_of.get(key, spec.label),
                                            f"{spec.label} is empty"))
        if row_problems:
            plan.problems.extend(row_problems)
            continue
        try:
            build(plan, ctx, line, values, header_of, seen, tuple(cells))
        except ValueError as exc:
            plan.problems.append(Problem(line, "", str(exc)))
    _resolve_parents(plan, ctx)
    if progress is not None:
        progress(total, total)
    return plan


def _is_totals_row(cells: list[str], values: dict[str, Any], kind: str) -> bool:
    first = next((c for c in cells if c.strip()), "").strip().lower().rstrip(":")
    if first not in ("total", "totals", "sum", "grand total", "total general"):
        return False
    required = [s.key for s in FS.KINDS[kind] if s.required and s.key not in ("producer",
                                                                             "name", "code")]
    return not all(k in values for k in required)


def _resolve_producer(plan: ImportPlan, ctx: _Context, values: dict[str, Any]
                      ) -> tuple[int, tuple[str, str] | None]:
    """(producer id or 0, key of a producer this import creates)."""
    name, country = values["producer"], values["country"]
    key = _pkey(name, country)
    if key in ctx.producers:
        return ctx.producers[key][0], None
    if key not in plan.new_producers:
        lo, hi = values.get("producer_altitude", (None, None))
        plan.new_producers[key] = Producer(name.strip(), ProducerKind.FARM, country,
                                           region=values.get("producer_region", ""),
                                           altitude_min_m=lo, altitude_max_m=hi)
    return 0, key


def _duplicate(plan: ImportPlan, ctx: _Context, line: int, identity: Any, uuid: str | None,
               seen: dict[Any, tuple[int, tuple[str, ...]]], cells: tuple[str, ...],
               what: str, unique: bool = False) -> tuple[str, int | None] | None:
    """("create"|"update"|"skip", stored id); ``None`` when the row must be dropped.

    Within the file, rows with a UUID are told apart by it (two calls on one day are two
    visits; two farms may share a name), except lots, whose code the database keeps unique.
    """
    key = ("uuid", uuid) if uuid and not unique else identity
    if key in seen:
        first, first_cells = seen[key]
        if first_cells == cells:
            plan.problems.append(Problem(line, "", f"repeats line {first} exactly; skipped", False))
        else:
            plan.problems.append(Problem(line, "", f"{what} is also on line {first} with "
                                         "different values; keep one of the two rows"))
        return None
    seen[key] = (line, cells)
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
    for k in ("varieties", "processes", "harvest_months"):
        if k in values:
            values[k] = tuple(values[k])
    if "processes" in values:
        values["processes"] = tuple(FS.parse_process(p).value if _known_process(p) else p
                                    for p in values["processes"])
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
        fields.setdefault("kind", ProducerKind.FARM)
        rec = Producer(**fields)
    elif action == "update":
        fields.pop("uuid", None)
        rec = replace(ctx.store.producer(existing), **fields)
    else:
        rec = None
    plan.records.append(Planned(line, action, rec))
    if rec is not None:
        ctx.producers.setdefault(key, (existing or 0, rec.uuid))
    if parent and rec is not None:
        ctx.pending_parents.append((line, rec.uuid, parent, values["country"]))


def _resolve_parents(plan: ImportPlan, ctx: _Context) -> None:
    """After every row is read: a member may come before its cooperative in the file."""
    for line, uuid, parent, country in ctx.pending_parents:
        target = ctx.producers.get(_pkey(parent, country))
        if target is None:
            plan.problems.append(Problem(line, "", f"member of {parent!r}: no such producer in "
                                         f"{country_name(country)} (in the database or this "
                                         "file)"))
        else:
            plan.parents[uuid] = target[1]


def _known_process(text: str) -> bool:
    try:
        FS.parse_process(text)
    except ValueError:
        return False
    return True


def _build_person(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values)
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
    pid, pkey = _resolve_producer(plan, ctx, values)
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
_FG = ("fg_amount", "fg_currency", "fg_unit", "fg_unit_kg", "fg_basis", "fg_kg_per_kg_green",
       "fg_fx", "fg_fx_date", "fg_fx_source")


def _farm_gate(values: dict[str, Any], old: FarmGatePrice | None) -> FarmGatePrice | None:
    if not any(k in values for k in _FG):
        return old
    unit_name = values.get("fg_unit", old.unit_name if old else None)
    unit_kg = values.get("fg_unit_kg")
    if unit_kg is None and unit_name:
        match = LOCAL_UNITS.get(unit_name) or next(
            (u for n, u in LOCAL_UNITS.items() if FS.fold(n).startswith(FS.fold(unit_name))),
            None)
        unit_kg = match.kg if match else (old.unit_kg if old else None)
        if match and unit_name != match.name and old is None:
            unit_name = match.name
    if unit_kg is None and unit_name:
        try:
            from .parsing import parse_mass_kg

            unit_kg = parse_mass_kg(unit_name)
        except ValueError:
            unit_kg = None
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
        kg_per_kg_green=values.get("fg_kg_per_kg_green", old.kg_per_kg_green if old else None),
        fx_date=values.get("fg_fx_date", old.fx_date if old else None),
        fx_source=values.get("fg_fx_source", old.fx_source if old else ""),
    )


def _build_lot(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values)
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
    fg = _farm_gate(values, old.farm_gate if old else None)
    if fg is not None:
        fields["farm_gate"] = fg
    if "contract_type" not in fields and action == "create":
        ptbf = "fixations" in fields or ("differential_cents_lb" in fields
                                         and "fob_usd_lb" not in fields)
        fields["contract_type"] = ContractType.PTBF if ptbf else ContractType.FIXED
    if action == "create":
        rec: Any = Lot(producer_id=pid, **fields)
    else:
        fields.pop("uuid", None)
        fields.pop("code", None)
        rec = replace(old, producer_id=pid or old.producer_id, **fields)
        if pkey is not None or rec.producer_id != old.producer_id:
            plan.moved_from.add(old.producer_id)
    w, bags, bag_kg = rec.weight_kg, rec.bags, rec.bag_kg
    # choice: net weights differ from bags × nominal size (tare, moisture); flag beyond the
    # larger of half a bag and 2 %
    if w is not None and bags and bag_kg and abs(w - bags * bag_kg) > max(
            bag_kg / 2, bags * bag_kg / 50):
        plan.problems.append(Problem(line, header_of.get("weight_kg", ""),
                                     f"weight {w} kg differs from {bags} bags × {bag_kg} kg",
                                     False))
    plan.records.append(Planned(line, action, rec, pkey))


def _build_visit(plan, ctx, line, values, header_of, seen, cells) -> None:  # type: ignore[no-untyped-def]
    pid, pkey = _resolve_producer(plan, ctx, values)
    mode = values.get("mode", FS.VisitMode.IN_PERSON)
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
        fields["observations"] = tuple(Observation(t, e, n) for t, e, n in values["observations"])
    if action == "create":
        rec: Any = Visit(producer_id=pid, **fields)
    elif action == "update":
        fields.pop("uuid", None)
        rec = replace(ctx.store.visit(existing), **fields)
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


# -- committing -----------------------------------------------------------------------------
_TABLES = {"producers": "producers", "people": "people", "plots": "plots", "lots": "lots",
           "visits": "visits"}
_TO_ROW = {"producers": R.producer_to_row, "people": R.person_to_row, "plots": R.plot_to_row,
           "lots": R.lot_to_row, "visits": R.visit_to_row}


def _insert_many(db: Any, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    cols = list(rows[0])
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
    db.conn.executemany(sql, [[r[c] for c in cols] for r in rows])


def _update_many(db: Any, table: str, rows: list[tuple[int, dict[str, Any]]]) -> None:
    if not rows:
        return
    cols = list(rows[0][1])
    sql = f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE id = ?"
    db.conn.executemany(sql, [[r[c] for c in cols] + [id_] for id_, r in rows])


def _ids_by_uuid(db: Any, table: str, uuids: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in range(0, len(uuids), 500):
        chunk = uuids[i:i + 500]
        sql = f"SELECT uuid, id FROM {table} WHERE uuid IN ({','.join('?' * len(chunk))})"
        out.update(dict(db.execute(sql, chunk).fetchall()))
    return out


def commit_import(
    store: Any,
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportResult:
    """Write the plan in one transaction: every row or none. Refuses a plan with errors."""
    if plan.errors:
        raise UserError(f"{len(plan.errors):,} problems in {plan.table.source}; fix them first "
                        "(nothing was imported)")
    kind, db, stamp = plan.kind, store.db, now()
    table = _TABLES[kind]
    todo = [r for r in plan.records if r.action in ("create", "update")]
    total = len(todo) + 1

    def step(done: int) -> None:
        if cancelled is not None and cancelled():
            raise ImportCancelled("import cancelled; nothing was written")
        if progress is not None:
            progress(done, total)

    touched: set[int] = set()
    with store.transaction():
        # 1. producers this import creates (named by child rows, or the producers themselves)
        new_producers = list(plan.new_producers.values())
        if kind == "producers":
            new_producers += [r.record for r in todo if r.action == "create"]
        prows = []
        for p in new_producers:
            row = R.producer_to_row(p)
            row["created_at"] = row["updated_at"] = stamp
            prows.append(row)
        _insert_many(db, "producers", prows)
        pids = _ids_by_uuid(db, "producers", [p.uuid for p in new_producers])
        key_ids = {k: pids[p.uuid] for k, p in plan.new_producers.items()}
        if kind == "producers":
            _update_many(db, "producers", [
                (r.record.id, {**R.producer_to_row(r.record), "updated_at": stamp})
                for r in todo if r.action == "update"])
            if plan.parents:
                all_ids = _ids_by_uuid(db, "producers", [*plan.parents, *plan.parents.values()])
                db.conn.executemany("UPDATE producers SET parent_id = ? WHERE id = ?", [
                    (all_ids[parent], all_ids[child]) for child, parent in plan.parents.items()])
            touched.update(r.record.id for r in todo if r.action == "update")
            step(len(todo))
        else:
            creates: list[Any] = []
            updates: list[Any] = []
            for n, r in enumerate(todo, 1):
                rec = r.record
                if r.producer_key is not None:
                    rec = replace(rec, producer_id=key_ids[r.producer_key])
                (creates if r.action == "create" else updates).append(rec)
                touched.add(rec.producer_id)
                if n % BATCH == 0:
                    step(n // 2)
            to_row = _TO_ROW[kind]
            stamped = kind in ("people", "plots", "lots", "visits")
            rows = []
            for rec in creates:
                row = to_row(rec)
                if stamped:
                    row["updated_at"] = stamp
                if kind == "lots":
                    row["created_at"] = stamp
                rows.append(row)
            for i in range(0, len(rows), BATCH * 10):
                _insert_many(db, table, rows[i:i + BATCH * 10])
                step(len(todo) // 2 + (i + BATCH * 10) // 2)
            _update_many(db, table, [
                (rec.id, {**to_row(rec), **({"updated_at": stamp} if stamped else {})})
                for rec in updates])
            if kind == "lots":
                _write_fixations(db, creates, updates)
        # 2. derived figures of every producer whose lots may have changed
        touched.update(plan.moved_from)
        touched.discard(0)
        for n, pid in enumerate(sorted(touched), 1):
            store.refresh_metrics(pid)
            if n % 50 == 0:
                step(len(todo))
        step(total)
    return ImportResult(kind, plan.count("create"), plan.count("update"), plan.count("skip"),
                        len(plan.new_producers))


def _write_fixations(db: Any, creates: list[Lot], updates: list[Lot]) -> None:
    with_fix = [lot for lot in creates if lot.fixations]
    ids = _ids_by_uuid(db, "lots", [lot.uuid for lot in with_fix]) if with_fix else {}
    rows = [
        (ids[lot.uuid], f.on.isoformat(), d2s(f.c_cents_lb), d2s(f.volume_kg))
        for lot in with_fix for f in lot.fixations
    ]
    for lot in updates:
        db.execute("DELETE FROM fixations WHERE lot_id = ?", [lot.id])
        rows += [(lot.id, f.on.isoformat(), d2s(f.c_cents_lb), d2s(f.volume_kg))
                 for f in lot.fixations]
    if rows:
        db.conn.executemany(
            "INSERT INTO fixations (lot_id, on_date, c_cents_lb, volume_kg) VALUES (?, ?, ?, ?)",
            rows)


def import_file(store: Any, path: Path | str, kind: str, *, mapping_file: Path | None = None,
                on_duplicate: str = "skip", dry_run: bool = False,
                defaults: dict[str, str] | None = None) -> tuple[ImportPlan, ImportResult | None]:
    """Read, plan and (unless ``dry_run`` or errors) commit: the headless command's work."""
    table = read_source(path, kind)
    mapping = load_mapping(mapping_file, kind, table.headers) if mapping_file else None
    plan = plan_import(store, table, kind, mapping, on_duplicate=on_duplicate, defaults=defaults)
    if dry_run or not plan.ok:
        return plan, None
    return plan, commit_import(store, plan)
