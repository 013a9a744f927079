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

Writes go through the store's bulk API (:meth:`Store.add_records`, :meth:`Store.update_records`,
:meth:`Store.update_many`: a few statements per batch, every change in the change log); the
derived lot metrics of every touched producer are refreshed once, at the end, in the same
transaction, a batch of producers at a time (:mod:`roasterdesk.store.bulk_metrics`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..store.bulk_metrics import refresh_from_memory, refresh_producers
from ..store.codec import now
from . import fields as FS
from . import import_checks as CH
from . import parsing as P
from .import_builders import _BUILDERS, _is_totals_row, _pkey, _resolve_parents
from .import_checks import Problem
from .import_plan import ImportCancelled, ImportPlan, ImportResult, Planned
from .tabular import Table, read_table

log = logging.getLogger(__name__)

__all__ = ["ColumnMap", "ImportCancelled", "ImportPlan", "ImportResult", "Planned", "Problem",
           "commit_import", "import_file", "load_mapping", "mapping_document", "plan_import",
           "read_source", "save_mapping"]

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
ON_DUPLICATE = ("update", "skip")
BATCH = 1000


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


class ColumnMap(dict[int, str]):
    """Column index → field key, in priority order (several columns may feed one field: the
    first non-empty counts), with the decimal marks and value mappings the user stated."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.decimal: dict[int, str] = {}
        self.dates: dict[int, str] = {}  # column -> "dmy" | "mdy"
        self.value_map: dict[str, dict[str, str]] = {}


def load_mapping(path: Path | str, kind: str, headers: list[str]) -> ColumnMap:
    """A mapping file: JSON ``{"column header": "field key or label" | null}``.

    Columns it names replace the automatic choice (``null`` ignores a column); others keep it.
    Several headers naming one field are read in the file's order, first non-empty first.
    Optional entries: ``"_decimal": {"column header": "comma" | "point"}`` states a column's
    decimal mark; ``"_dates": {"column header": "dmy" | "mdy"}`` its day/month order;
    ``"_values": {"field": {"value in the file": "value meant"}}`` maps values once
    ("Washed / Wet" → "washed").
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError(f"mapping file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise UserError(f"mapping file {path}: expected an object of header → field")
    auto = FS.auto_mapping(kind, headers)
    by_label = {FS.fold(s.label): s.key for s in FS.KINDS[kind]}
    keys = {s.key for s in FS.KINDS[kind]}
    folded = [FS.fold(h) for h in headers]

    def column(header: str) -> int:
        if FS.fold(header) not in folded:
            raise UserError(f"mapping file {path}: the file has no column {header!r}")
        return folded.index(FS.fold(header))

    chosen = ColumnMap()
    ignored: set[int] = set()
    for header, target in data.items():
        if header in ("_decimal", "_dates", "_values"):
            continue
        col = column(header)
        if target is None or target == "":
            ignored.add(col)
            continue
        key = target if target in keys else by_label.get(FS.fold(str(target)))
        if key is None:
            raise UserError(f"mapping file {path}: {target!r} is not a {kind} field "
                            f"({', '.join(sorted(keys))})")
        chosen[col] = key
    named = set(chosen.values())
    for col, key in auto.items():
        if col not in chosen and col not in ignored and key not in named:
            chosen[col] = key
    for header, mark in dict(data.get("_decimal") or {}).items():
        word = CH.MARK_WORDS.get(str(mark).strip().lower())
        if word is None:
            raise UserError(f"mapping file {path}: decimal mark of {header!r} is 'point' or "
                            f"'comma', not {mark!r}")
        chosen.decimal[column(header)] = word
    for header, order in dict(data.get("_dates") or {}).items():
        word = P.DATE_WORDS.get(str(order).strip().lower())
        if word is None:
            raise UserError(f"mapping file {path}: the date order of {header!r} is 'dmy' (day "
                            f"first) or 'mdy' (month first), not {order!r}")
        chosen.dates[column(header)] = word
    for key, pairs in dict(data.get("_values") or {}).items():
        key = key if key in keys else by_label.get(FS.fold(key), key)
        chosen.value_map[key] = {FS.fold(k): str(v) for k, v in dict(pairs).items()}
    return chosen


def mapping_document(headers: list[str], mapping: dict[int, str],
                     decimal: dict[int, str] | None = None,
                     values: dict[str, dict[str, str]] | None = None,
                     dates: dict[int, str] | None = None) -> dict[str, Any]:
    """The mapping file :func:`load_mapping` reads back: every column (its field, or ``null``
    for ignored), the decimal marks and date orders stated, and the values mapped once."""
    doc: dict[str, Any] = {}
    for i, header in enumerate(headers):
        if header and header not in doc:
            doc[header] = mapping.get(i)
    marks = {headers[i]: ("comma" if m == "," else "point")
             for i, m in (decimal or {}).items() if i < len(headers) and headers[i]}
    if marks:
        doc["_decimal"] = marks
    orders = {headers[i]: o for i, o in (dates or {}).items() if i < len(headers) and headers[i]}
    if orders:
        doc["_dates"] = orders
    kept = {k: dict(v) for k, v in (values or {}).items() if v}
    if kept:
        doc["_values"] = kept
    return doc


def save_mapping(path: Path | str, doc: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# -- planning -------------------------------------------------------------------------------
ALIVE = " WHERE deleted_at IS NULL"  # deleted records (tombstones) are not matched


class _Context:
    """What the planner looks records up in: the database, read once."""

    def __init__(self, store: Any, kind: str) -> None:
        self.store = store
        q = store.db.execute
        self.producers: dict[tuple[str, str], tuple[int, str]] = {}
        self.producer_uuids: dict[str, int] = {}
        for id_, uuid, name, country in q("SELECT id, uuid, name, country FROM producers" + ALIVE):
            self.producers.setdefault(_pkey(name, country), (id_, uuid))
            self.producer_uuids[uuid] = id_
        self.by_uuid: dict[str, int] = {}
        self.by_identity: dict[Any, int] = {}
        self.pending_parents: list[tuple[int, str, str, str]] = []
        if kind == "lots":
            for id_, uuid, code in q("SELECT id, uuid, code FROM lots"):
                self.by_uuid[uuid], self.by_identity[code.strip()] = id_, id_
        elif kind == "people":
            for id_, uuid, pid, name in q("SELECT id, uuid, producer_id, name FROM people" + ALIVE):
                self.by_uuid[uuid], self.by_identity[(pid, FS.fold(name))] = id_, id_
        elif kind == "plots":
            for id_, uuid, pid, name in q("SELECT id, uuid, producer_id, name FROM plots" + ALIVE):
                self.by_uuid[uuid], self.by_identity[(pid, FS.fold(name))] = id_, id_
        elif kind == "visits":
            sql = "SELECT id, uuid, producer_id, date, mode FROM visits" + ALIVE
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
    decimal: dict[int, str] | None = None,
    values_map: dict[str, dict[str, str]] | None = None,
    dates: dict[int, str] | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> ImportPlan:
    """Check every row and decide what a commit would do. Writes nothing.

    ``defaults`` fill a field for rows whose cell is empty or whose column is missing (e.g. the
    producer for a KML file of one farm's plots).
    """
    if on_duplicate not in ON_DUPLICATE:
        raise UserError(f"on duplicate: 'update' or 'skip', not {on_duplicate!r}")
    given = FS.auto_mapping(kind, table.headers) if mapping is None else mapping
    decimal = {**getattr(given, "decimal", {}), **(decimal or {})}
    values_map = {**getattr(given, "value_map", {}), **(values_map or {})}
    dates = {**getattr(given, "dates", {}), **(dates or {})}
    mapping = dict(given)
    plan = ImportPlan(kind, table, mapping, on_duplicate)
    mapped = set(mapping.values())
    defaults = {k: v for k, v in (defaults or {}).items() if v}
    for spec in FS.KINDS[kind]:
        if kind == "lots" and spec.key == "code":
            continue  # generated when the file has none
        if spec.required and spec.key not in mapped and spec.key not in defaults:
            plan.problems.append(Problem(table.header_line, "", f"no column for {spec.label!r} "
                                         "(map one, or add it to the file)"))
    if plan.errors:
        return plan
    ctx = _Context(store, kind)
    specs = {s.key: s for s in FS.KINDS[kind]}
    columns = [(i, key, table.headers[i] or f"#{i + 1}") for i, key in mapping.items()]
    marks = CH.column_marks(table, columns, specs, decimal or {})
    for (_i, _key, header), (mark, mixed) in marks.items():
        if mixed:
            table.notes.append(f"column {header!r} mixes decimal points and commas")
        elif mark != "?":
            table.notes.append(f"column {header!r}: {CH.MARK_NAMES[mark]}")
    orders = CH.column_date_orders(table, columns, specs, dates)
    for (_i, _key, header), (order, mixed) in orders.items():
        if mixed:
            table.notes.append(f"column {header!r} mixes day-first and month-first dates")
        elif order != "?":
            table.notes.append(f"column {header!r}: dates {P.DATE_ORDERS[order]}")
    seen: dict[Any, tuple[int, tuple[str, ...]]] = {}
    build = _BUILDERS[kind]
    total = len(table.rows)
    header_of: dict[str, str] = {}
    for _i, key, header in columns:
        header_of.setdefault(key, header)
    mapped_cols = sorted({i for i, _k, _h in columns})
    codes = CH.CodeMaker(ctx.by_identity) if kind == "lots" and "code" not in mapped else None
    for n, (line, cells) in enumerate(table.rows, 1):
        if n % BATCH == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("import cancelled; nothing was written")
            if progress is not None:
                progress(n, total)
        values, raw, row_problems, used = CH.read_row(line, cells, columns, marks, specs,
                                                      defaults, values_map or {}, orders)
        if _is_totals_row(cells, values, kind):
            plan.problems.append(Problem(line, "", "looks like a totals row; skipped", False))
            continue
        header_used = {**header_of, **used}
        if codes is not None and "code" not in raw and "country" in values and "harvest" in values:
            values["code"] = raw["code"] = codes.next(values["country"], values["harvest"])
            row_problems.append(Problem(line, "Lot code", f"no lot code: generated "
                                        f"{values['code']}", False))
        for key, spec in specs.items():
            if spec.required and key not in raw:
                row_problems.append(Problem(line, header_used.get(key, spec.label),
                                            f"{spec.label} is empty"))
        plan.problems.extend(row_problems)
        if any(p.error for p in row_problems):
            plan.rejected.append((line, cells, [p for p in row_problems if p.error]))
            continue
        before = len(plan.problems)
        try:
            build(plan, ctx, line, values, header_used, seen,
                  tuple(cells[i] if i < len(cells) else "" for i in mapped_cols))
        except ValueError as exc:
            plan.problems.append(Problem(line, "", str(exc)))
        errors = [p for p in plan.problems[before:] if p.error]
        if errors:
            plan.rejected.append((line, cells, errors))
    _resolve_parents(plan, ctx)
    if progress is not None:
        progress(total, total)
    return plan


# -- committing -----------------------------------------------------------------------------
def commit_import(
    store: Any,
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    skip_invalid: bool = False,
) -> ImportResult:
    """Write the plan in one transaction: every row or none. Refuses a plan with errors, unless
    ``skip_invalid``: then the valid rows are written (the rejected ones: :func:`write_rejects`);
    a problem of the whole file (a missing column) is still refused."""
    if plan.errors and not (skip_invalid and plan.skippable):
        raise UserError(f"{CH.plural(len(plan.errors), 'problem')} in {plan.table.source}; fix "
                        "them first (nothing was imported)")
    kind, stamp = plan.kind, now()
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
        pids = store.add_records(new_producers, stamp)
        key_ids = {k: pids[p.uuid] for k, p in plan.new_producers.items()}
        if kind == "producers":
            store.update_records([r.record for r in todo if r.action == "update"], stamp)
            if plan.parents:
                all_ids = store.ids_by_uuid("producers", [*plan.parents, *plan.parents.values()])
                store.update_many("producers", [
                    (all_ids[child], {"parent_id": all_ids[parent], "updated_at": stamp})
                    for child, parent in plan.parents.items()])
            touched.update(r.record.id for r in todo if r.action == "update")
            step(len(todo))
        else:
            creates: list[Any] = []
            overrides: list[dict[str, Any] | None] = []
            updates: list[Any] = []
            for n, r in enumerate(todo, 1):
                rec = r.record
                pid = rec.producer_id if r.producer_key is None else key_ids[r.producer_key]
                if r.action == "create":  # the new producer's id goes in the row, not a copy
                    creates.append(rec)
                    overrides.append(None if r.producer_key is None else {"producer_id": pid})
                else:
                    updates.append(rec if pid == rec.producer_id
                                   else replace(rec, producer_id=pid))
                touched.add(pid)
                if n % BATCH == 0:
                    step(n // 2)
            lot_ids: dict[str, int] = {}
            chunk = BATCH * 10
            for i in range(0, len(creates), chunk):
                lot_ids.update(store.add_records(creates[i:i + chunk], stamp,
                                                 overrides[i:i + chunk]))
                step(len(todo) // 2 + (i + chunk) // 2)
            store.update_records(updates, stamp)
            if kind == "lots":  # producers created here with all their lots: from memory
                touched -= _metrics_from_memory(store, plan, todo, key_ids, lot_ids)
        # 2. derived figures of every producer whose lots may have changed
        touched.update(plan.moved_from)
        refresh_producers(store, touched, lambda _n, _t: step(len(todo)))
        step(total)
    result = ImportResult(kind, plan.count("create"), plan.count("update"), plan.count("skip"),
                          len(plan.new_producers))
    log.info("%s (from %s)", result, plan.table.source)
    return result


def _metrics_from_memory(store: Any, plan: ImportPlan, todo: list[Planned],
                         key_ids: dict[tuple[str, str], int],
                         lot_ids: dict[str, int]) -> set[int]:
    """Lot metrics of the producers this import creates, from the lot records in memory (every
    lot of such a producer is one this import creates, unless an updated lot moves to it: then
    it is read back like the others). Returns the producer ids done."""
    groups: dict[tuple[str, str], list[Any]] = {}
    moved_in: set[tuple[str, str]] = set()
    for r in todo:
        if r.producer_key is None:
            continue
        if r.action == "create":
            groups.setdefault(r.producer_key, []).append(r.record)
        else:
            moved_in.add(r.producer_key)
    done = {k: v for k, v in groups.items() if k not in moved_in}
    refresh_from_memory(store, ((plan.new_producers[k], lots) for k, lots in done.items()),
                        lot_ids)
    return {key_ids[k] for k in done}


def rejects_path(source: Path | str) -> Path:
    """Where the rejected rows of ``source`` go: beside it, ``<name>.rejected.csv``."""
    source = Path(source)
    return source.with_name(f"{source.stem}.rejected.csv")


def write_rejects(plan: ImportPlan, path: Path | str) -> int:
    """The rejected rows as in the file, with a ``problem`` column, ready to fix and re-import.
    Rows written."""
    from .tabular import write_table

    headers = [*plan.table.headers, "problem"]
    width = len(plan.table.headers)
    rows = [[*(cells + [""] * width)[:width], "; ".join(
        (f"{p.column}: " if p.column else "") + p.reason for p in problems)]
        for _line, cells, problems in plan.rejected]
    return write_table(Path(path), headers, rows)


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
