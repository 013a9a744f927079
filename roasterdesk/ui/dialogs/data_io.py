"""Data in and out in the window: import, list export, EUDR GeoJSON, Pledge, reference prices.

- :class:`ImportDialog` (in :mod:`.importer`, reachable from here) — file → mapping →
  preview with every problem → Import, all or nothing or the valid rows with the rest given back.
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

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
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
    """The import and reference-prices dialogs live in their own modules; both are still
    reachable from here."""
    if name == "ImportDialog":
        from .importer import ImportDialog

        return ImportDialog
    if name == "ReferencePricesDialog":
        from .reference_prices import ReferencePricesDialog

        return ReferencePricesDialog
    raise AttributeError(name)
