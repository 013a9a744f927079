"""Data in and out in the window: import, list export, EUDR GeoJSON, Pledge, reference prices.

- :class:`ImportDialog` — file → kind → column mapping (auto-mapped columns preselected) →
  preview with every problem by line and column → Import (disabled while there are errors).
  Reading, checking and importing run in the background (``ctx.tasks``) with progress and
  Cancel; a worker opens its own ``Store`` on ``ctx.db_path``. The import re-checks the file in
  its own transaction, so what is written is what was previewed, all or nothing.
- :func:`export_list` — the current list (producers, people, plots, lots, visits) to CSV/XLSX.
- :class:`GeoJsonDialog` — the EUDR validation report for a harvest or lots, then the file.
- :class:`PledgeDialog` — the Transparency Pledge view of a period and its CSV.
- :class:`ReferencePricesDialog` (in :mod:`.reference_prices`) — the C price series,
  Fairtrade terms, living-income reference prices.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.money import fmt_pct, round_per_lb
from ...domain.words import plural
from ...errors import KNOWN_ERRORS
from ...services import fields as FS

if TYPE_CHECKING:
    from ...services.importing import ImportPlan
    from ...services.tabular import Table
    from ..context import AppContext

KIND_LABELS = {"producers": "Producers", "people": "People", "plots": "Plots", "lots": "Lots",
               "visits": "Visits"}
PAGE_KINDS = {"producer": "producers", "overview": "producers", "lot": "lots",
              "visit": "visits", "people": "people", "plot": "plots"}
IGNORE = "(ignore)"
OPEN_FILTER = "Spreadsheets and maps (*.csv *.tsv *.txt *.xlsx *.geojson *.json *.kml)"


def _table(headers: list[str], parent: QWidget | None = None) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(t: QTableWidget, rows: list[list[str]]) -> None:
    t.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            t.setItem(r, c, QTableWidgetItem(text))
    t.resizeColumnsToContents()
    for c in range(t.columnCount()):
        t.setColumnWidth(c, min(t.columnWidth(c), 320))


class ImportDialog(QDialog):
    """File → kind → mapping → preview → Import."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Import")
        self.resize(900, 640)
        self.path: Path | None = None
        self.table: Table | None = None
        self.plan: ImportPlan | None = None
        self.result: Any = None
        self._generation = 0
        self._busy = False

        self.file_label = QLabel("No file chosen")
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self.choose_file)
        self.kind = QComboBox()
        for key, label in KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(list(KIND_LABELS).index("lots"))
        self.kind.currentIndexChanged.connect(self._reload)
        self.on_duplicate = QComboBox()
        self.on_duplicate.addItem("Skip rows already in the database", "skip")
        self.on_duplicate.addItem("Update records already in the database", "update")
        self.on_duplicate.currentIndexChanged.connect(self.refresh_preview)

        top = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        top.addRow("File", row)
        top.addRow("Rows are", self.kind)
        top.addRow("Already there", self.on_duplicate)

        self.mapping = _table(["Column in the file", "First value", "Imported as"])
        self.mapping.setMinimumHeight(180)
        self.summary = QLabel("Choose a CSV, XLSX, GeoJSON or KML file.")
        self.summary.setWordWrap(True)
        self.problems = _table(["Line", "Column", "Problem", ""])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton("Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(QLabel("Columns (recognised headers are mapped already; change any):"))
        lay.addWidget(self.mapping, 2)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems, 3)
        lay.addWidget(self.buttons)

    # -- steps -----------------------------------------------------------------------------
    @property
    def kind_key(self) -> str:
        return str(self.kind.currentData())

    def choose_file(self) -> None:
        from ..files import open_path

        chosen = open_path(self, self.ctx.settings, "Import from", OPEN_FILTER)
        if chosen is not None:
            self.load_file(chosen)

    def load_file(self, path: Path, kind: str | None = None) -> None:
        self.path = Path(path)
        self.file_label.setText(str(self.path))
        if kind is not None:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(list(KIND_LABELS).index(kind))
            self.kind.blockSignals(False)
        elif self.path.suffix.lower() in (".geojson", ".kml"):
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(list(KIND_LABELS).index("plots"))
            self.kind.blockSignals(False)
        self._reload()

    def _reload(self) -> None:
        if self.path is None:
            return
        from ...services.importing import read_source

        path, kind = self.path, self.kind_key
        self._set_waiting("Reading the file…")
        self.ctx.tasks.run(lambda _p, _c: read_source(path, kind),
                           on_done=self._table_read, on_error=self._failed)

    def _table_read(self, table: Table) -> None:
        self.table = table
        auto = FS.auto_mapping(self.kind_key, table.headers)
        specs = FS.KINDS[self.kind_key]
        self.mapping.blockSignals(True)
        self.mapping.setRowCount(len(table.headers))
        first = table.rows[0][1] if table.rows else []
        for i, header in enumerate(table.headers):
            self.mapping.setItem(i, 0, QTableWidgetItem(header or f"(column {i + 1})"))
            self.mapping.setItem(i, 1, QTableWidgetItem(first[i] if i < len(first) else ""))
            combo = QComboBox()
            combo.addItem(IGNORE, None)
            for s in specs:
                combo.addItem(s.label + (" *" if s.required else ""), s.key)
            if i in auto:
                combo.setCurrentIndex(combo.findData(auto[i]))
                combo.setToolTip("recognised from the header")
            combo.currentIndexChanged.connect(self.refresh_preview)
            self.mapping.setCellWidget(i, 2, combo)
        self.mapping.blockSignals(False)
        self.mapping.resizeColumnsToContents()
        self.refresh_preview()

    def current_mapping(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for i in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(i, 2)
            key = combo.currentData() if isinstance(combo, QComboBox) else None
            if key:
                out[i] = key
        return out

    def set_mapping(self, column: int, key: str | None) -> None:
        combo = self.mapping.cellWidget(column, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(key) if key else 0)

    def refresh_preview(self) -> None:
        if self.table is None:
            return
        from ...services.importing import plan_import
        from ..context import open_worker_store

        self._generation += 1
        gen = self._generation
        table, kind, mapping = self.table, self.kind_key, self.current_mapping()
        dup, db_path = str(self.on_duplicate.currentData()), self.ctx.db_path
        dupes = [k for k in set(mapping.values()) if list(mapping.values()).count(k) > 1]
        if dupes:
            self.plan = None
            self.import_button.setEnabled(False)
            labels = ", ".join(FS.spec(kind, k).label for k in dupes)
            self.summary.setText(f"Two columns are mapped to the same field: {labels}.")
            return

        def work(progress: Any, cancelled: Any) -> ImportPlan:
            with open_worker_store(db_path) as store:
                return plan_import(store, table, kind, mapping, on_duplicate=dup,
                                   progress=progress, cancelled=cancelled)

        self._set_waiting("Checking every row…")
        self.ctx.tasks.run(work, on_done=lambda plan: self._previewed(gen, plan),
                           on_error=self._failed, label="Checking the file", cancellable=True)

    def _previewed(self, gen: int, plan: ImportPlan) -> None:
        if gen != self._generation:
            return  # a newer check is running
        self.plan = plan
        new = f"; {len(plan.new_producers):,} new producers" if plan.new_producers else ""
        head = (f"{len(plan.table.rows):,} rows (header on line {plan.table.header_line}"
                + (f"; {'; '.join(plan.table.notes)}" if plan.table.notes else "") + "). "
                f"Will create {plan.count('create'):,}, update {plan.count('update'):,}, "
                f"skip {plan.count('skip'):,}{new}. ")
        errors, warnings = len(plan.errors), len(plan.warnings)
        tail = (f"{errors:,} errors must be fixed before importing (nothing has been written)."
                if errors else "No errors: nothing is written until you press Import.")
        if warnings:
            tail += f" {warnings:,} warnings."
        self.summary.setText(head + tail)
        rows = [[str(p.line), p.column, p.reason, "error" if p.error else "warning"]
                for p in sorted(plan.problems, key=lambda p: (p.line, not p.error))]
        _fill(self.problems, rows)
        self.import_button.setEnabled(plan.ok and bool(plan.count("create")
                                                        + plan.count("update")))

    def _set_waiting(self, text: str) -> None:
        self.import_button.setEnabled(False)
        self.summary.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self.plan = None
        self.import_button.setEnabled(False)
        if isinstance(exc, KNOWN_ERRORS):
            self.summary.setText(str(exc))
        else:
            self.ctx.tasks.report(exc)

    def start_import(self) -> None:
        if self.plan is None or not self.plan.ok or self.table is None:
            return
        from ...services.importing import commit_import, plan_import
        from ..context import open_worker_store

        table, kind, mapping = self.table, self.kind_key, self.current_mapping()
        dup, db_path = str(self.on_duplicate.currentData()), self.ctx.db_path

        def work(progress: Any, cancelled: Any) -> Any:
            with open_worker_store(db_path) as store:
                plan = plan_import(store, table, kind, mapping, on_duplicate=dup,
                                   cancelled=cancelled)
                return commit_import(store, plan, progress=progress, cancelled=cancelled)

        self.import_button.setEnabled(False)
        self.summary.setText("Importing…")
        self.ctx.tasks.run(work, on_done=self._imported, on_error=self._import_failed,
                           label=f"Importing {kind}", cancellable=True)

    def _imported(self, result: Any) -> None:
        self.result = result
        self.summary.setText(str(result).capitalize() + ".")
        self.ctx.messages.info.emit(str(result).capitalize())
        self.ctx.messages.data_changed.emit("*")
        self.plan = None

    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, KNOWN_ERRORS):
            self.summary.setText(f"{exc} Nothing was imported.")
            self.import_button.setEnabled(self.plan is not None and self.plan.ok)
        else:
            self.ctx.tasks.report(exc)


# -- export --------------------------------------------------------------------------------------
def export_list(ctx: AppContext, kind: str, parent: QWidget | None = None,
                path: Path | None = None) -> None:
    """Export the list of ``kind`` (a page key like "lot" or a kind like "lots")."""
    from ...services.exporting import export_list as write
    from ..context import open_worker_store

    kinds = PAGE_KINDS.get(kind, kind)
    if kinds not in FS.KINDS:
        ctx.messages.warning.emit("This page has no list to export; open Producers, Lots or "
                                  "Visits first.")
        return
    from ..files import save_path, show_saved

    if path is None:
        path = save_path(parent, ctx.settings, f"Export {kinds}", f"{kinds}.xlsx",
                         "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path is None:
            return
    db_path = ctx.db_path
    target = path

    def done(n: int) -> None:
        ctx.messages.info.emit(f"Exported {n:,} {kinds} to {target}")
        show_saved(parent, target, f"Exported {n:,} {kinds}.")

    def work(_p: Any, _c: Any) -> int:
        with open_worker_store(db_path) as store:
            return write(store, kinds, path)

    ctx.tasks.run(work, label=f"Exporting {kinds}", on_done=done)


# -- EUDR ------------------------------------------------------------------------------------------
class GeoJsonDialog(QDialog):
    """Validation report of the plots behind a harvest (or lots), then the GeoJSON file."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("EUDR geolocation file")
        self.resize(860, 560)
        self.report: Any = None
        self.harvest = QComboBox()
        for h in reversed(ctx.store.harvests()):
            self.harvest.addItem(str(h), h)
        self.codes = QLineEdit()
        self.codes.setPlaceholderText("or lot codes, separated by spaces")
        check = QPushButton("Check")
        check.clicked.connect(self.validate)
        form = QHBoxLayout()
        form.addWidget(QLabel("Harvest"))
        form.addWidget(self.harvest)
        form.addWidget(self.codes, 1)
        form.addWidget(check)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = _table(["Problem", "Producer", "Plot", "Lots", "Detail"])
        self.force = QCheckBox("Write the valid plots only (the others are left out)")
        self.save = QPushButton("Save GeoJSON…")
        self.save.setEnabled(False)
        self.save.clicked.connect(self.save_file)
        self.force.toggled.connect(self._update_save)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        close.addButton(self.save, QDialogButtonBox.ButtonRole.ActionRole)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems, 1)
        lay.addWidget(self.force)
        lay.addWidget(close)
        if self.harvest.count():
            self.validate()

    def _selection(self) -> dict[str, Any]:
        codes = self.codes.text().split()
        return {"codes": codes} if codes else {"harvest": self.harvest.currentData()}

    def validate(self) -> None:
        from ...services import eudr

        try:
            self.report = eudr.validate(self.ctx.store, **self._selection())
        except KNOWN_ERRORS as exc:
            self.report = None
            self.summary.setText(str(exc))
            self.problems.setRowCount(0)
            self._update_save()
            return
        r = self.report
        counts = ", ".join(f"{cat}: {n}" for cat, n in r.counts().items())
        self.summary.setText(
            f"{plural(len(r.lots), 'lot')}, {plural(r.plots_checked, 'plot')} checked, "
            f"{len(r.features)} ready. {counts}."
            + (f" Country not checked for {plural(len(r.notes), 'plot')} (no bounding box)."
                            if r.notes else "")
            + (" The country check is a rectangle around each country: it catches swapped or "
               "mistyped coordinates, not a plot just across a border."))
        rows = [[p.category, p.producer, p.plot, ", ".join(p.lots), p.detail]
                for p in [*r.problems, *r.notes]]
        _fill(self.problems, rows)
        self._update_save()

    def _update_save(self) -> None:
        r = self.report
        self.force.setEnabled(bool(r and r.problems and r.features))
        self.save.setEnabled(bool(r and r.features and (r.ok or self.force.isChecked())))

    def save_file(self, path: Path | None = None) -> bool:
        from ...services.eudr import export_geojson
        from ..files import save_path, show_saved

        if not path:
            path = save_path(self, self.ctx.settings, "Save geolocation", "geolocation.geojson",
                             "GeoJSON (*.geojson)")
            if path is None:
                return False
        report, written = export_geojson(self.ctx.store, path, force=self.force.isChecked(),
                                         **self._selection())
        if written:
            wrote = plural(len(report.features), "plot")
            self.ctx.messages.info.emit(f"Wrote {wrote} to {path}")
            show_saved(self, path, f"Wrote {wrote}.")
        return written


# -- Transparency Pledge --------------------------------------------------------------------------
class PledgeDialog(QDialog):
    """The five data points per lot of a period, the share reported, and the CSV."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Transparency Pledge")
        self.resize(980, 600)
        year = date.today().year
        self.start = QDateEdit(QDate(year - 1, 1, 1))
        self.end = QDateEdit(QDate(year - 1, 12, 31))
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.dateChanged.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel("Lots contracted from"))
        top.addWidget(self.start)
        top.addWidget(QLabel("to"))
        top.addWidget(self.end)
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = _table(["Lot", "Producer or organisation", "FOB (USD/lb)", "Quality",
                             "Lot size (kg)", "Relationship", "All five", "Not yet recorded"])
        export = QPushButton("Export CSV…")
        export.clicked.connect(lambda: self.export())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(export, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.summary)
        lay.addWidget(self.table, 1)
        lay.addWidget(buttons)
        self.rows: list[Any] = []
        self.refresh()

    def _period(self) -> tuple[date, date]:
        return self.start.date().toPython(), self.end.date().toPython()  # type: ignore[return-value]

    def refresh(self) -> None:
        from ...domain.pledge import summarise
        from ...services.pledge import pledge_rows

        try:
            self.rows = pledge_rows(self.ctx.store, *self._period())
        except KNOWN_ERRORS as exc:
            self.rows = []
            self.summary.setText(str(exc))
            self.table.setRowCount(0)
            return
        s = summarise(self.rows)
        self.summary.setText(
            f"{plural(s.lots, 'lot')}; {s.reported_lots} with all five data points. Share of "
            "volume "
            f"reported: {fmt_pct(s.share_reported, 'no lot has a weight')} "
            f"({s.reported_kg:,f} of {s.total_kg:,f} kg)"
            + (f"; {plural(s.lots_without_weight, 'lot')} without a weight are not in the "
               "share."
               if s.lots_without_weight else "."))
        _fill(self.table, [[
            r.lot_code, r.producer,
            "" if r.fob_usd_lb is None else f"{round_per_lb(r.fob_usd_lb)}",
            "" if r.quality is None else str(r.quality),
            "" if r.weight_kg is None else f"{r.weight_kg:,f}",
            "" if r.first_harvest is None else f"{plural(r.relationship_harvests, 'harvest')} "
                                               f"(since {r.first_harvest})",
            "yes" if r.reported else "no", "; ".join(r.missing)] for r in self.rows])

    def export(self, path: Path | None = None) -> bool:
        from ...services.pledge import export_pledge
        from ..files import save_path

        if path is None:
            path = save_path(self, self.ctx.settings, "Export Pledge data",
                             "transparency-pledge.csv", "CSV (*.csv)")
            if path is None:
                return False
        try:
            rows, _s = export_pledge(self.ctx.store, *self._period(), path)
        except KNOWN_ERRORS as exc:
            self.ctx.messages.error.emit(str(exc))
            return False
        self.ctx.messages.info.emit(f"Wrote {plural(len(rows), 'lot')} to {path}")
        from ..files import show_saved

        show_saved(self, path, f"Wrote {plural(len(rows), 'lot')}.")
        return True


def __getattr__(name: str) -> Any:
    """The reference-prices dialog lives in its own module; it is still reachable from here."""
    if name == "ReferencePricesDialog":
        from .reference_prices import ReferencePricesDialog

        return ReferencePricesDialog
    raise AttributeError(name)
