"""Import producers, people, plots, lots and visits from CSV, XLSX, GeoJSON or KML.

Two steps, so that nothing is written until the user has seen what will happen:

1. :func:`plan_import` reads and checks every row against the database and returns an
   :class:`ImportPlan`: what will be created, updated or skipped, and every problem as line,
   column and reason. It writes nothing.
2. :func:`commit_import` writes the whole plan in **one transaction**: all rows or none. A plan
   with errors is refused. :func:`import_rows` does both in one reading of the file (what the
   command line and the dialog do): rows checked and written a batch at a time inside one
   transaction, rolled back when the file has errors.

Memory is bounded by the batch, not the file: a CSV or XLSX file is read from disk on each
pass (:class:`tabular.FileRows`), one pass for what is inferred per column (decimal marks, date
orders), one for the rows; a plan counts what each row does and keeps its problems (the first
10,000; counted exactly), not its records (except for small files, to show them); a commit
reads and checks the rows again and writes them :data:`WRITE_BATCH` at a time. What is kept
per row is its identity for the duplicate check (a lot code and one number).

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
from ..store.bulk_metrics import refresh_producers
from ..store.codec import now
from . import fields as FS
from . import import_checks as CH
from . import import_dds
from . import parsing as P
from .import_builders import (
    _BUILDERS,
    _is_totals_row,
    _pkey,
    _resolve_parents,
    kind_note,
)
from .import_checks import Problem
from .import_lot_checks import lot_problems
from .import_plan import (  # noqa: F401 - rejects_path, write_rejects: the import API
    ImportCancelled,
    ImportPlan,
    ImportResult,
    Planned,
    rejects_path,
    write_rejects,
)
from .import_said import lot_not_recorded_notes
from .tabular import Table, read_table

log = logging.getLogger(__name__)

__all__ = ["ColumnMap", "ImportCancelled", "ImportPlan", "ImportResult", "Planned", "Problem",
           "commit_import", "import_file", "import_rows", "load_mapping", "mapping_document",
           "plan_import", "read_source", "save_mapping"]

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
ON_DUPLICATE = ("update", "skip")
BATCH = 1000  # rows checked between two looks at cancel and progress
WRITE_BATCH = 5000  # planned records written (or let go) at a time
KEEP_RECORDS = 2000  # a plan keeps its records (to show them) for files up to this many rows


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
        self.pending_parents: list[tuple[Planned, str, str, str]] = []
        self.refused: dict[Any, int] = {}  # rejected producer rows: key / folded name -> line
        self.folded_codes: dict[str, str] = {}  # lot code in any case -> the stored code
        if kind == "lots":
            for id_, uuid, code in q("SELECT id, uuid, code FROM lots"):
                self.by_uuid[uuid], self.by_identity[code.strip()] = id_, id_
                self.folded_codes.setdefault(" ".join(code.split()).casefold(), code)
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
    producer for a KML file of one farm's plots). The plan counts what each row would do and
    keeps every problem; it keeps the planned records themselves (``records``) only for files
    of up to :data:`KEEP_RECORDS` rows: a commit checks the rows again, a batch at a time.
    """
    plan = _new_plan(table, kind, mapping, on_duplicate, defaults, decimal, values_map, dates)
    plan.keep = len(table.rows) <= KEEP_RECORDS
    if not plan.errors:
        _check_rows(store, plan, None, progress, cancelled)
    return plan


def _new_plan(table: Table, kind: str, mapping: dict[int, str] | None, on_duplicate: str,
              defaults: dict[str, str] | None, decimal: dict[int, str] | None,
              values_map: dict[str, dict[str, str]] | None,
              dates: dict[int, str] | None) -> ImportPlan:
    """An empty plan with how to read the rows, and the problems of the file as a whole (a
    required field no column gives)."""
    if on_duplicate not in ON_DUPLICATE:
        raise UserError(f"on duplicate: 'update' or 'skip', not {on_duplicate!r}")
    given = FS.auto_mapping(kind, table.headers) if mapping is None else mapping
    plan = ImportPlan(kind, table, dict(given), on_duplicate)
    plan.decimal = {**getattr(given, "decimal", {}), **(decimal or {})}
    plan.values_map = {**getattr(given, "value_map", {}), **(values_map or {})}
    plan.dates = {**getattr(given, "dates", {}), **(dates or {})}
    plan.defaults = {k: v for k, v in (defaults or {}).items() if v}
    mapped = set(plan.mapping.values())
    for spec in FS.KINDS[kind]:
        if kind == "lots" and spec.key == "code":
            continue  # generated when the file has none
        if spec.required and spec.key not in mapped and spec.key not in plan.defaults:
            plan.problems.append(Problem(table.header_line, "", f"no column for {spec.label!r} "
                                         "(map one, or add it to the file)"))
    return plan


def _check_rows(store: Any, plan: ImportPlan, sink: Callable[[list[Planned]], None] | None,
                progress: Progress | None, cancelled: IsCancelled | None) -> None:
    """Read and check every row of the plan's table (one reading for the columns' decimal
    marks and date orders, one for the rows), counting what each would do; every
    :data:`WRITE_BATCH` records the planned records go to ``sink`` and are let go (unless the
    plan keeps them)."""
    kind, table, mapping, defaults = plan.kind, plan.table, plan.mapping, plan.defaults
    mapped = set(mapping.values())
    ctx = _Context(store, kind)
    specs = {s.key: s for s in FS.KINDS[kind]}
    columns = [(i, key, table.headers[i] or f"#{i + 1}") for i, key in mapping.items()]
    marks, orders = CH.column_conventions(table, columns, specs, plan.decimal, plan.dates)
    for (_i, _key, header), (mark, mixed) in marks.items():
        if mixed:
            plan.notes.append(f"column {header!r} mixes decimal points and commas")
        elif mark != "?":
            plan.notes.append(f"column {header!r}: {CH.MARK_NAMES[mark]}")
    for (_i, _key, header), (order, mixed) in orders.items():
        if mixed:
            plan.notes.append(f"column {header!r} mixes day-first and month-first dates")
        elif order != "?":
            plan.notes.append(f"column {header!r}: dates {P.DATE_ORDERS[order]}")
    seen: dict[Any, int] = {}
    build = _BUILDERS[kind]
    total = len(table.rows)
    header_of: dict[str, str] = {}
    for _i, key, header in columns:
        header_of.setdefault(key, header)
    mapped_cols = sorted({i for i, _k, _h in columns})
    codes = CH.CodeMaker(ctx.by_identity) if kind == "lots" and "code" not in mapped else None
    values_map = plan.values_map
    cells_read: CH.CellsRead = {}
    for n, (line, cells) in enumerate(table.rows, 1):
        if len(plan.records) - plan.flushed >= WRITE_BATCH:
            _flush(plan, sink)
        if n % BATCH == 0:
            if cancelled is not None and cancelled():
                raise ImportCancelled("import cancelled; nothing was written")
            if progress is not None:
                progress(n, total)
        values, raw, row_problems, used = CH.read_row(line, cells, columns, marks, specs,
                                                      defaults, values_map, orders, cells_read)
        row_problems[:0] = CH.read_faults(table, line)
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
            plan.rejected.append((line, [p for p in row_problems if p.error]))
            _refused(ctx, kind, values, line)
            continue
        before = len(plan.problems)
        producers = plan.producers_mark()
        try:
            build(plan, ctx, line, values, header_used, seen,
                  tuple(cells[i] if i < len(cells) else "" for i in mapped_cols))
        except ValueError as exc:
            plan.problems.append(Problem(line, "", str(exc)))
        last = plan.records[-1] if len(plan.records) > plan.flushed else None
        if kind == "lots" and last is not None and last.line == line and last.record:
            plan.problems.extend(lot_problems(line, last.record, values, raw, header_used))
        errors = [p for p in plan.problems[before:] if p.error]
        if errors and last is not None and last.line == line:
            plan.records.pop()  # not written: the row is rejected as a whole
        if errors:  # not even the producer it alone would create
            plan.drop_producers_since(producers)
            _refused(ctx, kind, values, line)
            plan.rejected.append((line, errors))
    _resolve_parents(plan, ctx)
    if (note := kind_note(plan)) is not None:
        plan.notes.append(note)
    plan.notes.extend(lot_not_recorded_notes(plan))
    _flush(plan, sink)
    if progress is not None:
        progress(total, total)


def _refused(ctx: _Context, kind: str, values: dict[str, Any], line: int) -> None:
    """Remember a rejected producer row, so its members are rejected with it (by name and
    country, and by name alone when its country is what was wrong)."""
    if kind == "producers" and values.get("name"):
        ctx.refused.setdefault(FS.fold(values["name"]), line)
        if values.get("country"):
            ctx.refused.setdefault(_pkey(values["name"], values["country"]), line)


def _flush(plan: ImportPlan, sink: Callable[[list[Planned]], None] | None) -> None:
    """Count the records planned since the last flush and hand them to ``sink``."""
    batch = plan.records[plan.flushed:]
    for r in batch:
        plan.counts[r.action] = plan.counts.get(r.action, 0) + 1
    if sink is not None and batch:
        sink(batch)
    plan.tally()
    if plan.keep:
        plan.flushed = len(plan.records)
    else:
        plan.records.clear()


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
    a problem of the whole file (a missing column) is still refused.

    The rows are read and checked again and written a batch at a time (memory is bounded by
    the batch, not the file); if that second reading plans anything else than the plan does
    (the file or the database changed in between), nothing is written."""
    if plan.errors and not (skip_invalid and plan.skippable):
        raise UserError(f"{CH.plural(plan.error_count, 'problem')} in {plan.table.source}; fix "
                        "them first (nothing was imported)")
    again = plan.again()
    with store.transaction():
        writer = _write(store, again, progress, cancelled)
        if again.counts != plan.counts or len(again.new_producers) != len(plan.new_producers):
            raise UserError(f"{plan.table.source} or the database changed since the file was "
                            "checked: check it again (nothing was imported)")
        _finish(store, again, writer, progress, cancelled)
    _pending_figures(store, again)
    return _result(plan)


class _Refused(Exception):
    """Ends :func:`import_rows`'s transaction (rolled back) when the file has errors."""


def import_rows(
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
    skip_invalid: bool = False,
    before_commit: Callable[[ImportPlan], None] | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> tuple[ImportPlan, ImportResult | None]:
    """Check and write the rows in one reading of the file, a batch at a time, in one
    transaction: what :func:`plan_import` then :func:`commit_import` do, without reading the
    rows twice. A file with errors writes nothing (the transaction is rolled back) unless
    ``skip_invalid`` and every error is a refused row's; the plan says what was found either
    way (its result None when nothing was written). ``before_commit(plan)`` runs when the rows
    are written and before they are committed (e.g. to write the refused rows to a file: if it
    fails, nothing is imported)."""
    plan = _new_plan(table, kind, mapping, on_duplicate, defaults, decimal, values_map, dates)
    plan.keep = False
    if plan.errors:
        return plan, None
    try:
        with store.transaction():
            writer = _write(store, plan, progress, cancelled)
            if not (plan.ok or (skip_invalid and plan.skippable)):
                raise _Refused
            _finish(store, plan, writer, progress, cancelled)
            if before_commit is not None:
                before_commit(plan)
    except _Refused:
        return plan, None
    _pending_figures(store, plan)
    return plan, _result(plan)


def _write(store: Any, plan: ImportPlan, progress: Progress | None,
           cancelled: IsCancelled | None) -> _Writer:
    """Check the plan's rows and write them, a batch at a time (inside a transaction).
    Progress counts the rows checked, out of the rows and one step for the figures after."""
    writer = _Writer(store, plan, now())
    total = len(plan.table.rows)

    def write(batch: list[Planned]) -> None:
        writer.write(batch)
        _step(None, cancelled, 0, 0)

    def rows(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, total + 1)

    _check_rows(store, plan, write, rows, cancelled)
    writer.producers()  # those only skipped or refused rows name (as a plan lists them)
    return writer


def _step(progress: Progress | None, cancelled: IsCancelled | None, done: int,
          total: int) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled("import cancelled; nothing was written")
    if progress is not None:
        progress(done, total)


def _finish(store: Any, plan: ImportPlan, writer: _Writer, progress: Progress | None,
            cancelled: IsCancelled | None) -> None:
    """After the rows: members to their cooperatives, then the derived figures of every
    producer whose lots may have changed."""
    if plan.kind == "producers" and plan.parents:
        all_ids = store.ids_by_uuid("producers", [*plan.parents, *plan.parents.values()])
        store.update_many("producers", [
            (all_ids[child], {"parent_id": all_ids[parent], "updated_at": writer.stamp})
            for child, parent in plan.parents.items()])
    total = len(plan.table.rows)
    touched = writer.touched | plan.moved_from
    from .parallel_figures import after_commit, mark_pending

    if after_commit(store, touched):
        mark_pending(store, touched)  # computed over every core once the rows are committed
        plan.figures_pending = True
    else:
        refresh_producers(store, touched,
                          lambda _n, _t: _step(progress, cancelled, total, total + 1))
    _step(progress, cancelled, total + 1, total + 1)


def _pending_figures(store: Any, plan: ImportPlan) -> None:
    """The figures an import committed without (:func:`_finish`), in a transaction of their
    own; a kill before leaves them marked for the next start."""
    if plan.figures_pending:
        from .parallel_figures import finish_pending

        if (note := finish_pending(store, plan.table.source)) is not None:
            plan.notes.append(note)


def _result(plan: ImportPlan) -> ImportResult:
    result = ImportResult(plan.kind, plan.count("create"), plan.count("update"),
                          plan.count("skip"), len(plan.new_producers))
    log.info("%s (from %s)", result, plan.table.source)
    return result


class _Writer:
    """Writes a commit's planned records a batch at a time (inside the caller's transaction):
    the producers the import creates first, then the records, with a new producer's id put
    in its records' rows."""

    def __init__(self, store: Any, plan: ImportPlan, stamp: str) -> None:
        self.store, self.plan, self.stamp = store, plan, stamp
        self.key_ids: dict[tuple[str, str], int] = {}
        self.touched: set[int] = set()
        self.written = 0

    def producers(self) -> None:
        """Create the producers planned since the last call (in the plan's order)."""
        new = list(self.plan.new_producers.items())[len(self.key_ids):]
        if new:
            ids = self.store.add_records([p for _k, p in new], self.stamp)
            self.key_ids.update((k, ids[p.uuid]) for k, p in new)

    def write(self, batch: list[Planned]) -> None:
        store, stamp = self.store, self.stamp
        self.producers()
        todo = [r for r in batch if r.action in ("create", "update")]
        if self.plan.kind == "producers":
            store.add_records([r.record for r in todo if r.action == "create"], stamp)
            updates = [r.record for r in todo if r.action == "update"]
            store.update_records(updates, stamp)
            self.touched.update(rec.id for rec in updates)
        else:
            creates: list[Any] = []
            overrides: list[dict[str, Any] | None] = []
            changes: list[Any] = []
            for r in todo:
                rec = r.record
                pid = rec.producer_id if r.producer_key is None else self.key_ids[r.producer_key]
                if r.action == "create":  # the new producer's id goes in the row, not a copy
                    creates.append(rec)
                    overrides.append(None if r.producer_key is None else {"producer_id": pid})
                else:
                    changes.append(rec if pid == rec.producer_id
                                   else replace(rec, producer_id=pid))
                self.touched.add(pid)
            store.add_records(creates, stamp, overrides)
            store.update_records(changes, stamp)
            import_dds.write(store, [r for r in todo if r.dds])  # once the lots are written
        self.written += len(todo)


def import_file(store: Any, path: Path | str, kind: str, *, mapping_file: Path | None = None,
                on_duplicate: str = "skip", dry_run: bool = False,
                defaults: dict[str, str] | None = None) -> tuple[ImportPlan, ImportResult | None]:
    """Read, plan and (unless ``dry_run`` or errors) commit, in one reading of the rows."""
    table = read_source(path, kind)
    mapping = load_mapping(mapping_file, kind, table.headers) if mapping_file else None
    if dry_run:
        return plan_import(store, table, kind, mapping, on_duplicate=on_duplicate,
                           defaults=defaults), None
    return import_rows(store, table, kind, mapping, on_duplicate=on_duplicate, defaults=defaults)
