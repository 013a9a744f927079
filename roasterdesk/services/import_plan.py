"""What an import will do: the plan a dry run shows and a commit writes, and its report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.model import Producer
from ..errors import UserError
from . import fields as FS
from . import import_checks as CH
from .import_checks import Problem
from .tabular import Table

PROBLEMS_KEPT = 10_000  # problems a plan keeps to show; its counts are of every problem


class ImportCancelled(UserError):
    """The user cancelled; nothing was written."""


@dataclass
class Planned:
    line: int
    action: str  # "create" | "update" | "skip"
    record: Any
    producer_key: tuple[str, str] | None = None  # a producer created by this import
    dds: Any = None  # a lot's DDS records to write after it (import_dds.Planned)


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
    rejected: list[tuple[int, list[Problem]]] = field(default_factory=list)  # (line, errors)
    notes: list[str] = field(default_factory=list)  # what was inferred of the columns
    kind_not_given: list[str] = field(default_factory=list)  # new producers, kind not recorded
    # new lots whose species or process the file does not give (stored "not recorded"):
    # field -> (how many, the first lot codes)
    lot_not_recorded: dict[str, tuple[int, list[str]]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)  # action -> rows
    # how the rows are read (a commit reads them again the same way)
    decimal: dict[int, str] = field(default_factory=dict)
    values_map: dict[str, dict[str, str]] = field(default_factory=dict)
    dates: dict[int, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    keep: bool = True  # keep the planned records (else only count them)
    flushed: int = 0  # records already counted
    # problems are counted exactly; the first PROBLEMS_KEPT are kept to show
    tallied: int = 0  # problems already counted
    errors_tallied: int = 0
    warnings_tallied: int = 0
    error_lines: set[int] = field(default_factory=set)
    figures_pending: bool = False  # the lot figures come after the commit (many lots)

    def producers_mark(self) -> tuple[int, int]:
        """Where the new producers stand before a row (see :meth:`drop_producers_since`)."""
        return len(self.new_producers), len(self.kind_not_given)

    def drop_producers_since(self, mark: tuple[int, int]) -> None:
        """A rejected row writes nothing: the new producers only it would have created go (a
        later row naming one creates it again)."""
        for key in list(self.new_producers)[mark[0]:]:
            del self.new_producers[key]
        del self.kind_not_given[mark[1]:]

    def tally(self) -> None:
        """Count the problems found since the last tally, then let go of those past the first
        :data:`PROBLEMS_KEPT` (the counts stay exact)."""
        for p in self.problems[self.tallied:]:
            if p.error:
                self.errors_tallied += 1
                self.error_lines.add(p.line)
            else:
                self.warnings_tallied += 1
        del self.problems[PROBLEMS_KEPT:]
        self.tallied = len(self.problems)

    @property
    def error_count(self) -> int:
        return self.errors_tallied + sum(1 for p in self.problems[self.tallied:] if p.error)

    @property
    def warning_count(self) -> int:
        return self.warnings_tallied + sum(1 for p in self.problems[self.tallied:]
                                           if not p.error)

    @property
    def error_rows(self) -> set[int]:
        """The lines with an error (a whole-file problem counts its header line)."""
        return self.error_lines | {p.line for p in self.problems[self.tallied:] if p.error}

    def again(self) -> ImportPlan:
        """An empty plan that reads the rows as this one does (and keeps no records)."""
        return ImportPlan(self.kind, self.table, self.mapping, self.on_duplicate,
                          decimal=self.decimal, values_map=self.values_map, dates=self.dates,
                          defaults=self.defaults, keep=False)

    @property
    def errors(self) -> list[Problem]:
        """The errors kept (all of them unless there are more than :data:`PROBLEMS_KEPT`
        problems: :attr:`error_count` counts every one)."""
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.error]

    def count(self, action: str) -> int:
        return self.counts.get(action, 0)

    @property
    def skippable(self) -> bool:
        """Whether every error belongs to a rejected row (none to the file as a whole)."""
        lines = {line for line, _p in self.rejected}
        return self.error_rows <= lines

    @property
    def all_notes(self) -> list[str]:
        """How the file was read, then what was inferred of its columns."""
        return [*self.table.notes, *self.notes]

    @property
    def ok(self) -> bool:
        return not self.error_count

    def report(self, limit: int | None = 200) -> str:
        t = self.table
        lines = [
            f"{self.kind} from {t.source}: {CH.plural(len(t.rows), 'row')} (header on line "
            f"{t.header_line}" + (f"; {'; '.join(self.all_notes)}" if self.all_notes else "")
            + ")",
        ]
        by_col: dict[int, list[str]] = {}
        for i, key in self.mapping.items():
            by_col.setdefault(i, []).append(key)
        for i, h in enumerate(t.headers):
            key = self.mapping.get(i)
            if h or key:
                label = FS.spec(self.kind, key).label if key else "(ignored)"
                lines.append(f"  column {h or '#' + str(i + 1)!r} → {label}")
        missing = [s.label for s in FS.KINDS[self.kind]
                   if s.required and s.key not in self.mapping.values()
                   and not (self.kind == "lots" and s.key == "code")]
        if missing:
            lines.append("  not found: " + ", ".join(missing))
        lines.append(
            f"will create {self.count('create'):,}, update {self.count('update'):,}, "
            f"skip {self.count('skip'):,} {self.kind}"
            + (f"; new producers: {len(self.new_producers):,}" if self.new_producers else "")
        )
        errors, warnings = self.error_count, self.warning_count
        found = (f"{CH.plural(errors, 'error')} in {CH.plural(len(self.error_rows), 'row')}, "
                 f"{CH.plural(warnings, 'warning')}" if errors else
                 f"no errors, {CH.plural(warnings, 'warning')}" if warnings else "no problems")
        # the rows that pass: not rejected, not skipped as a totals row or an exact repeat
        lines.append(f"{found}; {CH.plural(sum(self.counts.values()), 'row')} can be imported")
        shown = sorted(self.problems, key=lambda p: (p.line, not p.error))
        shown = shown[:limit] if limit else shown
        for p in shown:
            lines.append(("  ERROR " if p.error else "  warning ") + str(p))
        if errors + warnings > len(shown):
            lines.append(f"  … and {errors + warnings - len(shown):,} more")
        return "\n".join(lines)


@dataclass(frozen=True)
class ImportResult:
    kind: str
    created: int
    updated: int
    skipped: int
    producers_created: int

    def __str__(self) -> str:
        extra = (f", {CH.plural(self.producers_created, 'new producer')}"
                 if self.producers_created else "")
        return (f"imported {self.kind}: {self.created:,} created, {self.updated:,} updated, "
                f"{self.skipped:,} skipped{extra}")


def rejects_path(source: Path | str) -> Path:
    """Where the rejected rows of ``source`` go: beside it, ``<name>.rejected.csv``."""
    source = Path(source)
    return source.with_name(f"{source.stem}.rejected.csv")


def write_rejects(plan: ImportPlan, path: Path | str) -> int:
    """The rejected rows as in the file (read again), with a ``problem`` column naming the
    row's line in the file and every problem of the row, ready to fix and re-import; a CSV
    keeps the file's own separator (a semicolon file with decimal commas stays one). Rows
    written."""
    from .tabular import write_table

    headers = [*plan.table.headers, "problem"]
    width = len(plan.table.headers)
    problems = {line: errors for line, errors in plan.rejected}
    rows = ([*(cells + [""] * width)[:width], f"line {line}: " + "; ".join(
        (f"{p.column}: " if p.column else "") + p.reason for p in problems[line])]
        for line, cells in plan.table.rows if line in problems)
    return write_table(Path(path), headers, rows, delimiter=plan.table.delimiter)
