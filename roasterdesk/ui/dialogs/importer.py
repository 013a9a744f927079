"""The import dialog: file → kind → column mapping (auto-mapped columns preselected) → preview
with every problem by line and column → Import.

- All or nothing, unless "Import the valid rows" is ticked: then the valid rows are imported and
  the refused ones are written, each with its problems, to ``<name>.rejected.csv`` beside the
  file (:func:`services.importing.write_rejects`), ready to fix and import.
- A value the file writes its own way is mapped once (:mod:`.import_values`); the mapping
  (columns, decimal marks, values) is saved to and loaded from a mapping file, the one
  ``roasterdesk import --mapping`` reads.
- Reading, checking and importing run in the background (``ctx.tasks``) with progress and
  Cancel; a cancelled import writes nothing (one transaction). A worker opens its own ``Store``
  on ``ctx.db_path`` and checks the file again, so what is written is what was previewed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...errors import KNOWN_ERRORS, UserError
from ...services import fields as FS
from ...services.import_checks import plural
from .data_io import IGNORE, KIND_LABELS, OPEN_FILTER, _fill, _table
from .import_values import ValueMapper, unknown_values

if TYPE_CHECKING:
    from ...services.importing import ImportPlan
    from ...services.tabular import Table
    from ..context import AppContext


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
        self._task: Any = None
        # what the user said beyond the columns, kept with a saved mapping
        self.decimal: dict[int, str] = {}
        self.dates: dict[int, str] = {}
        self.values: dict[str, dict[str, str]] = {}
        self.rejects: Path | None = None

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
        self.skip_invalid = QCheckBox("Import the valid rows; write the refused rows, each with "
                                      "its problems, to a file beside this one")
        self.skip_invalid.toggled.connect(self._update_import)
        top.addRow("Rows with errors", self.skip_invalid)

        self.mapping = _table(["Column in the file", "First value", "Imported as"])
        self.mapping.setMinimumHeight(180)
        self.summary = QLabel("Choose a CSV, XLSX, GeoJSON or KML file.")
        self.summary.setWordWrap(True)
        # the problem's text last, so it takes the width the dialog has (and wraps in a tooltip)
        self.problems = _table(["Line", "Column", "", "Problem"])
        self.value_mapper = ValueMapper()
        self.value_mapper.mapped.connect(self.map_value)
        load_map = QPushButton("Load mapping…")
        load_map.clicked.connect(self.choose_mapping)
        self.save_map = QPushButton("Save mapping…")
        self.save_map.clicked.connect(self.choose_save_mapping)
        self.save_map.setEnabled(False)
        maps = QHBoxLayout()
        maps.addWidget(QLabel("Columns (recognised headers are mapped already; change any):"), 1)
        maps.addWidget(load_map)
        maps.addWidget(self.save_map)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.import_button = self.buttons.addButton("Import",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(maps)
        lay.addWidget(self.mapping, 2)
        lay.addWidget(self.summary)
        lay.addWidget(self.problems, 3)
        lay.addWidget(self.value_mapper)
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
        first = next(iter(table.rows), (0, []))[1]
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
        self.save_map.setEnabled(True)
        self.refresh_preview()

    # -- the mapping: columns, decimal marks, values mapped once ----------------------------
    def values_map(self) -> dict[str, dict[str, str]]:
        return {k: {FS.fold(v): m for v, m in pairs.items()} for k, pairs in self.values.items()}

    def map_value(self, key: str, value: str, meant: str) -> None:
        """``value`` of field ``key`` means ``meant`` wherever the file writes it; check again."""
        self.values.setdefault(key, {})[value] = meant
        self.refresh_preview()

    def choose_mapping(self) -> None:
        from ..files import open_path

        chosen = open_path(self, self.ctx.settings, "Load mapping", "Mappings (*.json)")
        if chosen is not None:
            self.load_mapping(chosen)

    def load_mapping(self, path: Path) -> None:
        """Columns, decimal marks and value mappings from a saved mapping file."""
        from ...services.importing import load_mapping

        if self.table is None:
            return
        try:
            chosen = load_mapping(path, self.kind_key, self.table.headers)
        except KNOWN_ERRORS as exc:
            self.summary.setText(str(exc))
            return
        self.decimal, self.values = dict(chosen.decimal), dict(chosen.value_map)
        self.dates = dict(chosen.dates)
        for i in range(self.mapping.rowCount()):
            combo = self.mapping.cellWidget(i, 2)
            if isinstance(combo, QComboBox):
                combo.blockSignals(True)
                combo.setCurrentIndex(combo.findData(chosen[i]) if i in chosen else 0)
                combo.blockSignals(False)
        self.refresh_preview()

    def choose_save_mapping(self) -> None:
        from ..files import save_path

        name = f"{self.path.stem}.mapping.json" if self.path else "mapping.json"
        chosen = save_path(self, self.ctx.settings, "Save mapping", name, "Mappings (*.json)")
        if chosen is not None:
            self.save_mapping(chosen)

    def save_mapping(self, path: Path) -> None:
        from ...services.importing import mapping_document, save_mapping

        if self.table is None:
            return
        save_mapping(path, mapping_document(self.table.headers, self.current_mapping(),
                                            self.decimal, self.values, self.dates))
        self.ctx.messages.info.emit(f"Mapping saved to {path}")

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
        decimal, values, dates = dict(self.decimal), self.values_map(), dict(self.dates)
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
                                   decimal=decimal, values_map=values, dates=dates,
                                   progress=progress, cancelled=cancelled)

        self._set_waiting("Checking every row…")
        self.ctx.tasks.run(work, on_done=lambda plan: self._previewed(gen, plan),
                           on_error=self._failed, label="Checking the file", cancellable=True)

    def _previewed(self, gen: int, plan: ImportPlan) -> None:
        if gen != self._generation:
            return  # a newer check is running
        self.plan = plan
        new = (f"; {plural(len(plan.new_producers), 'new producer')}"
               if plan.new_producers else "")
        head = (f"{plural(len(plan.table.rows), 'row')} (header on line {plan.table.header_line}"
                + (f"; {'; '.join(plan.all_notes)}" if plan.all_notes else "") + "). "
                f"Will create {plan.count('create'):,}, update {plan.count('update'):,}, "
                f"skip {plan.count('skip'):,}{new}. ")
        errors, warnings = plan.error_count, plan.warning_count
        tail = (f"{plural(errors, 'error')} must be fixed before importing"
                if errors else "No errors: nothing is written until you press Import.")
        if errors and plan.skippable:
            tail += (f" ({plural(len(plan.rejected), 'row')}), or tick \u201cImport the valid "
                     "rows\u201d to import the others and get these back in a file")
        if errors:
            tail += " (nothing has been written)."
        if warnings:
            tail += f" {plural(warnings, 'warning')}."
        self.summary.setText(head + tail)
        rows = [[str(p.line), p.column, "error" if p.error else "warning", p.reason]
                for p in sorted(plan.problems, key=lambda p: (p.line, not p.error))]
        _fill(self.problems, rows)
        for r, cells in enumerate(rows):  # the whole text on hover, however narrow the window
            item = self.problems.item(r, 3)
            if item is not None:
                item.setToolTip(cells[3])
        self.value_mapper.show_values(self.kind_key, unknown_values(plan, self.current_mapping()))
        self._update_import()

    def _update_import(self) -> None:
        plan = self.plan
        writes = plan is not None and bool(plan.count("create") + plan.count("update"))
        allowed = plan is not None and (plan.ok or (self.skip_invalid.isChecked()
                                                    and plan.skippable))
        self.import_button.setEnabled(bool(writes and allowed and not self._busy))

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
        skip = self.skip_invalid.isChecked()
        if (self.plan is None or self.table is None or self.path is None
                or not (self.plan.ok or (skip and self.plan.skippable))):
            return
        from ...services.importing import import_rows, rejects_path, write_rejects
        from ..context import open_worker_store

        table, kind, mapping = self.table, self.kind_key, self.current_mapping()
        dup, db_path = str(self.on_duplicate.currentData()), self.ctx.db_path
        decimal, values, dates = dict(self.decimal), self.values_map(), dict(self.dates)
        out = rejects_path(self.path)

        def work(progress: Any, cancelled: Any) -> Any:
            refused: list[int] = []

            def rejects(plan: ImportPlan) -> None:  # before the commit: the rows are never lost
                if skip and plan.rejected:
                    refused.append(write_rejects(plan, out))

            with open_worker_store(db_path) as store:  # checked and written in one reading
                plan, result = import_rows(store, table, kind, mapping, on_duplicate=dup,
                                           decimal=decimal, values_map=values, dates=dates,
                                           skip_invalid=skip, before_commit=rejects,
                                           progress=progress, cancelled=cancelled)
                if result is None:
                    raise UserError(f"{plural(plan.error_count, 'problem')} in {table.source}; "
                                    "fix them first (nothing was imported)")
                return result, sum(refused)

        self._busy = True
        self.import_button.setEnabled(False)
        self.summary.setText("Importing…")
        self._task = self.ctx.tasks.run(work, on_done=self._imported,
                                        on_error=self._import_failed,
                                        label=f"Importing {kind}", cancellable=True)

    def _imported(self, done: Any) -> None:
        from ...services.importing import rejects_path

        result, refused = done
        self._busy = False
        self.result = result
        text = str(result).capitalize() + "."
        if refused and self.path is not None:
            self.rejects = rejects_path(self.path)
            text += (f" {plural(refused, 'row')} refused, written with their problems to "
                     f"{self.rejects}: fix them there and import that file.")
        self.summary.setText(text)
        self.ctx.messages.info.emit(str(result).capitalize())
        self.ctx.messages.data_changed.emit("*")
        self.plan = None
        self.value_mapper.setVisible(False)

    def _import_failed(self, exc: BaseException) -> None:
        self._busy = False
        if isinstance(exc, KNOWN_ERRORS):
            said = str(exc)
            self.summary.setText(said[:1].upper() + said[1:] + (
                "." if "nothing was" in said else ". Nothing was imported."))
            self._update_import()
        else:
            self.ctx.tasks.report(exc)


# -- export --------------------------------------------------------------------------------------
