"""The impact statement in the app: a preview of one lot, and batch export.

- :func:`show_statement_preview` renders the lot's statement in a background task (its own
  read-only connection), shows it with QtPdf inside the window, lists the preflight beside it
  (what the statement calls "not recorded" or leaves out), and exports it with *Export…*.
- :class:`BatchExportDialog` writes the statements of every lot of a harvest — or of the lots
  passed in — into a folder, in the background on both cores, with progress and Cancel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ...domain.model import NOT_BOUGHT
from ...pdf.template import available_templates
from ...services.statement_batch import safe_file_name

if TYPE_CHECKING:
    from ..context import AppContext
    from ..tasks import Task

DEFAULT_TEMPLATE = "default-en"


def _template_combo(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    names = available_templates()
    box.addItems(names)
    if DEFAULT_TEMPLATE in names:
        box.setCurrentText(DEFAULT_TEMPLATE)
    return box


def render_in_worker(db_path: Path, lot_id: int, template: str) -> tuple[bytes, list[str], str]:
    """Work of the preview task: (PDF bytes, preflight items, lot code), own connection."""
    from ...pdf import load_template, render_statement
    from ...services.statement import load_statement, preflight_data
    from ..context import open_worker_store

    tpl = load_template(template)
    store = open_worker_store(db_path, read_only=True)
    try:
        data = load_statement(store, lot_id, coordinate_decimals=tpl.coordinate_decimals,
                              template=tpl)
    finally:
        store.close()
    return render_statement(data, tpl), preflight_data(data) + tpl.problems(), data.lot.code


class StatementPreview(QDialog):
    """One lot's statement, rendered off the GUI thread and shown with QtPdf."""

    def __init__(self, ctx: AppContext, lot_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lot_id = lot_id
        self.pdf: bytes = b""
        self.code = ""
        self.items: list[str] = []
        self.task: Task | None = None
        self.setWindowTitle("Impact statement")
        self.resize(1100, 820)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None

        self.template = _template_combo(self)
        self.status = QLabel("Rendering…")
        self.status.setWordWrap(True)
        self.missing_title = QLabel("<b>Missing before export</b>")
        self.missing = QListWidget(self)
        self.missing.setWordWrap(True)
        self.missing.setAlternatingRowColors(True)
        self.export_btn = QPushButton("Export…")
        self.export_btn.setEnabled(False)
        self.export_btn.setDefault(True)
        close = QPushButton("Close")

        side = QWidget(self)
        col = QVBoxLayout(side)
        form = QFormLayout()
        form.addRow("Template", self.template)
        col.addLayout(form)
        col.addWidget(self.status)
        col.addWidget(self.missing_title)
        col.addWidget(self.missing, 1)
        note = QLabel("People are named only with consent recorded for the statement date; "
                      "locations are rounded; figures that are not recorded are said so.")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        col.addWidget(note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.export_btn)
        col.addLayout(buttons)

        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([760, 320])
        outer = QVBoxLayout(self)
        outer.addWidget(split)

        self.template.currentTextChanged.connect(lambda _t: self.render())
        self.export_btn.clicked.connect(self.export)
        close.clicked.connect(self.close)

    def render(self) -> None:
        self.export_btn.setEnabled(False)
        self.status.setText("Rendering…")
        db, lot_id, template = self.ctx.db_path, self.lot_id, self.template.currentText()
        self.task = self.ctx.tasks.run(
            lambda _progress, _cancelled: render_in_worker(db, lot_id, template),
            on_done=self._shown, on_error=self._failed)

    def _shown(self, result: tuple[bytes, list[str], str]) -> None:
        self.pdf, self.items, self.code = result
        self.setWindowTitle(f"Impact statement — {self.code}")
        self.document.close()
        buf = QBuffer(self)
        buf.setData(QByteArray(self.pdf))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buf)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buf
        pages = self.document.pageCount()
        self.status.setText(f"{pages} page{'s' if pages != 1 else ''} · "
                            f"{len(self.pdf) / 1024:,.0f} KB")
        self.missing.clear()
        if self.items:
            self.missing_title.setText(f"<b>Missing before export ({len(self.items)})</b>")
            for item in self.items:
                self.missing.addItem(QListWidgetItem(item))
        else:
            self.missing_title.setText("<b>Nothing missing</b>")
        status = self.ctx.store.lot(self.lot_id).status
        if status in NOT_BOUGHT:  # shown to check, never exported: it says what was paid
            self.status.setText(f"This lot is recorded as {status.value}, not bought: it gets "
                                "no statement (set its status once it is contracted).")
            return
        self.export_btn.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(f"Could not render the statement: {exc}")
        self.ctx.tasks.report(exc)

    def export(self, _checked: bool = False, path: str | None = None) -> Path | None:
        """Ask where to save (unless ``path`` is given) and write the rendered PDF."""
        if not self.pdf:
            return None
        from ..files import save_path, show_saved

        if path is None:
            chosen = save_path(self, self.ctx.settings, "Export impact statement",
                               safe_file_name(self.code), "PDF (*.pdf)")
            if chosen is None:
                return None
            path = str(chosen)
        target = Path(path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        tmp = target.with_name(target.name + ".part")
        try:
            tmp.write_bytes(self.pdf)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            self.ctx.messages.error.emit(f"Could not write {target}: {exc.strerror or exc}")
            return None
        self.ctx.messages.info.emit(f"Impact statement saved to {target}")
        self.status.setText(f"Saved to {target}")
        show_saved(self, target, "Impact statement saved.")
        return target

    def closeEvent(self, event: Any) -> None:  # noqa: N802 (Qt)
        self.document.close()
        super().closeEvent(event)


def show_statement_preview(ctx: AppContext, lot_id: int,
                           parent: QWidget | None = None) -> StatementPreview:
    """Open the preview of ``lot_id``'s statement (non-modal) and start rendering it."""
    dlg = StatementPreview(ctx, lot_id, parent)
    dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dlg.show()
    dlg.render()
    return dlg


class BatchExportDialog(QDialog):
    """Statements of a harvest or of chosen lots, written into a folder on both cores."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 lot_ids: list[int] | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lot_ids = list(lot_ids or [])
        self.task: Task | None = None
        self.result_count = 0
        self.setWindowTitle("Export impact statements")
        self.setMinimumWidth(520)

        self.by_harvest = QRadioButton("Every lot of harvest")
        self.harvest = QComboBox(self)
        harvests = ctx.store.harvests()
        for h in reversed(harvests):
            self.harvest.addItem(str(h), h)
        self.by_selection = QRadioButton(f"The selected lots ({len(self.lot_ids)})")
        self.by_selection.setEnabled(bool(self.lot_ids))
        group = QButtonGroup(self)
        group.addButton(self.by_harvest)
        group.addButton(self.by_selection)
        (self.by_selection if self.lot_ids else self.by_harvest).setChecked(True)

        self.template = _template_combo(self)
        self.folder = QLineEdit(str(ctx.db_path.with_name("statements")))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox(self)
        self.export_btn = self.buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_btn = self.buttons.addButton("Cancel export",
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_btn.setEnabled(False)
        self.close_btn = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_btn.clicked.connect(self.start)
        self.cancel_btn.clicked.connect(self.cancel)
        self.close_btn.clicked.connect(self.reject)

        harvest_row = QHBoxLayout()
        harvest_row.addWidget(self.by_harvest)
        harvest_row.addWidget(self.harvest, 1)
        form = QFormLayout()
        form.addRow("Template", self.template)
        form.addRow("Into folder", folder_row)
        lay = QVBoxLayout(self)
        lay.addLayout(harvest_row)
        lay.addWidget(self.by_selection)
        lay.addLayout(form)
        lay.addWidget(self.progress)
        lay.addWidget(self.status)
        lay.addWidget(self.buttons)
        if not harvests and not self.lot_ids:
            self.export_btn.setEnabled(False)
            self.status.setText("There are no lots to export yet.")

    def _browse(self) -> None:
        from ..files import folder_path

        chosen = folder_path(self, self.ctx.settings, "Export statements into",
                             self.folder.text() or None)
        if chosen is not None:
            self.folder.setText(str(chosen))

    def chosen_lots(self) -> list[tuple[int, str]]:
        store = self.ctx.store
        if self.by_selection.isChecked():  # offers and cancelled lots get no statement
            lots = [x for x in (store.lot(i) for i in self.lot_ids) if x.status not in NOT_BOUGHT]
        else:
            from ...store.sql import BOUGHT_SQL

            lots = store.lots_where(f"harvest = ? AND {BOUGHT_SQL}", [self.harvest.currentData()])
        return [(x.id, x.code) for x in lots if x.id is not None]

    def start(self) -> None:
        from ...services.statement_batch import export_batch

        lots = self.chosen_lots()
        if not lots:
            self.status.setText("No lots to export (offers and cancelled lots get no "
                                "statement: it says what was paid).")
            return
        folder = Path(self.folder.text().strip()).expanduser()
        db, template = self.ctx.db_path, self.template.currentText()
        self.progress.setRange(0, len(lots))
        self.progress.setValue(0)
        self.status.setText(f"Exporting {len(lots)} statements on both cores…")
        self.export_btn.setEnabled(False)
        self.cancel_btn.setEnabled(True)
        self.close_btn.setEnabled(False)

        def work(progress: Any, cancelled: Any) -> tuple[int, int, bool]:
            done = export_batch(db, lots, folder, template=template, processes=2,
                                progress=progress, cancelled=cancelled)
            return len(done), sum(d.pages for d in done), bool(cancelled())

        self.task = self.ctx.tasks.run(work, on_done=self._done, on_error=self._failed,
                                       cancellable=True)
        self.task.signals.progress.connect(self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"{done} of {total} statements written…")

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Cancelling…")

    def _finish(self) -> None:
        self.task = None
        self.export_btn.setEnabled(True)
        self.cancel_btn.setEnabled(False)
        self.close_btn.setEnabled(True)

    def _done(self, result: tuple[int, int, bool]) -> None:
        count, pages, was_cancelled = result
        self.result_count = count
        self._finish()
        self.progress.setValue(count)
        where = self.folder.text()
        if was_cancelled:
            self.status.setText(f"Cancelled: {count} statements were written to {where}.")
        else:
            noun = "statement" if count == 1 else "statements"
            self.status.setText(f"Done: {count} {noun} ({pages} pages) in {where}.")
            self.ctx.messages.info.emit(f"{count} impact statements exported to {where}")

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.status.setText(f"Export failed: {exc}")
        self.ctx.tasks.report(exc)

    def reject(self) -> None:
        if self.task is not None:  # never leave workers behind
            self.cancel()
            return
        super().reject()
