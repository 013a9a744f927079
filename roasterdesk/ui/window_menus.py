"""The main window's menus and the actions behind them (files, databases, help). A mixin of
:class:`roasterdesk.ui.main_window.MainWindow`, which holds the pages and the state."""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMenu,
)

from .. import __version__
from ..errors import KNOWN_ERRORS
from .context import AppContext
from .errors import open_log_folder, user_text

if TYPE_CHECKING:
    pass  # its type costs 1.5 ms to set up at start

log = logging.getLogger(__name__)


# (key, sidebar label, module, class) — the record kinds each page opens
PAGES: list[tuple[str, str, str, str]] = [
    ("overview", "Overview", "roasterdesk.ui.views.overview", "OverviewPage"),
    ("producer", "Producers", "roasterdesk.ui.views.producers", "ProducersPage"),
    ("visit", "Visits", "roasterdesk.ui.views.visits", "VisitsPage"),
    ("lot", "Lots", "roasterdesk.ui.views.lots", "LotsPage"),
    ("commitment", "Commitments & projects", "roasterdesk.ui.views.commitments",
     "CommitmentsPage"),
    ("map", "Map", "roasterdesk.ui.views.map_page", "MapPage"),
    ("conflict", "Conflicts", "roasterdesk.ui.views.conflicts", "ConflictsPage"),
]
KIND_TO_PAGE = {"overview": "overview", "producer": "producer", "visit": "visit", "lot": "lot",
                "commitment": "commitment", "project": "commitment"}


def optional(module: str, name: str) -> Any | None:
    """``module.name`` if that part of the app is installed, else None."""
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        if exc.name and not module.startswith(exc.name) and exc.name != module:
            raise  # a real bug inside the module, not a missing module
        return None
    except AttributeError:
        return None


def available(module: str) -> bool:
    """Whether ``module`` is installed, without importing it (start-up stays fast)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # its parent package is missing
        return False


def menu_text(label: str) -> str:
    """A label shown as it is in a menu: a literal & is written && (one & is a mnemonic)."""
    return label.replace("&", "&&")


class MenuActions:
    """Menu building and menu actions of the main window."""

    ctx: AppContext

    def _action(self, menu: QMenu, text: str, slot: Callable[[], Any],
                shortcut: Any = None, enabled: bool = True) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, list):
                act.setShortcuts(shortcut)
            else:
                act.setShortcut(shortcut)
        act.triggered.connect(lambda _checked=False: slot())
        act.setEnabled(enabled)
        menu.addAction(act)
        return act

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self._action(f, "&New database…", self.new_database, QKeySequence("Ctrl+Shift+N"))
        self._action(f, "&Open database…", self.choose_database, QKeySequence.StandardKey.Open)
        self.recent_menu = f.addMenu("Open &recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        f.addSeparator()
        data_io = "roasterdesk.ui.dialogs.data_io"
        statement = "roasterdesk.ui.dialogs.statement"
        backup = "roasterdesk.ui.dialogs.backup"
        self.act_import = self._action(f, "&Import…", self.import_data,
                                       enabled=available(data_io))
        self.act_export = self._action(f, "&Export this list…", self.export_list,
                                       QKeySequence("Ctrl+E"),
                                       enabled=available(data_io))
        f.addSeparator()
        self.act_statement = self._action(
            f, "Impact &statement for this lot…", self.statement_preview,
            enabled=available(statement))
        self.act_statements = self._action(
            f, "Impact statements for many lots…", self.batch_statements,
            enabled=available(statement))
        self.act_eudr_packs = self._action(
            f, "EUDR packs for a harvest…", self.eudr_packs,
            enabled=available("roasterdesk.ui.dialogs.eudr_packs"))
        f.addSeparator()
        self.act_backup = self._action(f, "&Back up now", self.backup_now,
                                       enabled=available(backup))
        self.act_restore = self._action(f, "Restore from a backup…", self.restore,
                                        enabled=available(backup))
        self.act_full_check = self._action(f, "Check the database now",
                                           lambda: self.full_check(visible=True))
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        e = mb.addMenu("&Edit")
        self.edit_menu = e
        e.addSeparator()
        self._action(e, "&New record", lambda: self._call(self.current_page(), "new_record"),
                     QKeySequence.StandardKey.New)
        self._action(e, "&Save", lambda: self._call(self.current_page(), "save"),
                     QKeySequence.StandardKey.Save)
        self._action(e, "&Find…", self.find, QKeySequence.StandardKey.Find)
        e.addSeparator()
        self._action(e, "Previous record", lambda: self._step(-1),
                     [QKeySequence("Alt+Up"), QKeySequence("Ctrl+PgUp")])
        self._action(e, "Next record", lambda: self._step(1),
                     [QKeySequence("Alt+Down"), QKeySequence("Ctrl+PgDown")])

        v = mb.addMenu("&Go")
        for n, (key, label, _m, _c) in enumerate(PAGES, 1):
            self._action(v, menu_text(label), lambda key=key: self.show_page(key),
                         QKeySequence(f"Ctrl+{n}"))

        h = mb.addMenu("&Help")
        self._action(h, "&Keyboard shortcuts", self.shortcuts)
        self._action(h, "&About RoasterDesk", self.about)
        self._action(h, "Open the &log folder", open_log_folder)

    def _install_undo_actions(self) -> None:
        e = self.edit_menu
        for act in getattr(self, "_undo_actions", []):
            e.removeAction(act)
        undo = self.ctx.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.ctx.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        first = e.actions()[0] if e.actions() else None
        e.insertAction(first, undo)
        e.insertAction(first, redo)
        self._undo_actions = [undo, redo]
        self.undo_action, self.redo_action = undo, redo

    def _step(self, delta: int) -> None:
        self._call(self.current_page(), "step_record", delta)

    def find(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_find"):
            page.focus_find()
        else:  # pages without a search box: search producers
            self.show_page("producer")
            self._call(self.page("producer"), "focus_find")

    # -- dialogs from other parts of the app -------------------------------------------------
    def import_data(self) -> None:
        cls = optional("roasterdesk.ui.dialogs.data_io", "ImportDialog")
        if cls is not None:
            cls(self.ctx, self).exec()
            self.ctx.messages.data_changed.emit("*")

    def export_list(self) -> None:
        fn = optional("roasterdesk.ui.dialogs.data_io", "export_list")
        if fn is not None:
            kind = self.current_key()
            fn(self.ctx, "producer" if kind == "overview" else kind, self)

    def _current_lot_id(self) -> int | None:
        page = self.pages.get("lot")
        for attr in ("current_lot_id", "current_id"):
            fn = getattr(page, attr, None)
            if fn is not None:
                return fn()
        lot = getattr(getattr(page, "editor", None), "lot", None)  # the lot in the editor
        return getattr(lot, "id", None)

    def statement_preview(self) -> None:
        fn = optional("roasterdesk.ui.dialogs.statement", "show_statement_preview")
        if fn is None:
            return
        lot_id = self._current_lot_id() if self.current_key() == "lot" else None
        if lot_id is None:
            self.show_message("Open a lot first (Lots), then ask for its impact statement.")
            return
        fn(self.ctx, lot_id, self)

    def batch_statements(self) -> None:
        cls = optional("roasterdesk.ui.dialogs.statement", "BatchExportDialog")
        if cls is not None:
            cls(self.ctx, self).exec()

    def eudr_packs(self) -> None:
        fn = optional("roasterdesk.ui.dialogs.eudr_packs", "write_harvest_packs_dialog")
        if fn is not None:
            fn(self.ctx, self)

    def backup_now(self) -> None:
        fn = optional("roasterdesk.ui.dialogs.backup", "backup_now")
        if fn is not None:
            fn(self.ctx, self)

    def restore(self) -> None:
        cls = optional("roasterdesk.ui.dialogs.backup", "RestoreDialog")
        if cls is not None:
            cls(self.ctx, self).exec()

    def shortcuts(self) -> None:
        rows = [("Ctrl+N", "new record on this page"), ("Ctrl+S", "save"),
                ("Ctrl+F", "find"), ("Ctrl+Z", "undo"), ("Ctrl+Shift+Z / Ctrl+Y", "redo"),
                ("Alt+Up / Ctrl+PgUp", "previous record"),
                ("Alt+Down / Ctrl+PgDown", "next record"),
                (f"Ctrl+1 … Ctrl+{len(PAGES)}", "pages"),
                ("Ctrl+E", "export this list"), ("Ctrl+O", "open a database")]
        table = "".join(f"<tr><td><b>{k}</b></td><td>&nbsp;&nbsp;{v}</td></tr>" for k, v in rows)
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          f"<table>{table}</table>", QMessageBox.StandardButton.Close, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self, "About RoasterDesk",
            f"<h3>RoasterDesk {__version__}</h3><p>Producers, visits, lots and the price chain "
            f"of green coffee, kept offline.</p><p>Database: {self.ctx.db_path}</p>")

    # -- databases ---------------------------------------------------------------------------
    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = [p for p in self.ctx.settings.recent_dbs if p != Path(self.ctx.db_path)]
        for p in recent:
            act = self.recent_menu.addAction(str(p))
            act.triggered.connect(lambda _c=False, p=p: self.switch_database(p))
        if not recent:
            act = self.recent_menu.addAction("No other recent database")
            act.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self.ctx.settings.clear_recent)

    def new_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, "New database",
                                              str(Path(self.ctx.db_path).parent),
                                              "RoasterDesk database (*.sqlite)")
        if path:
            p = Path(path)
            if p.suffix == "":
                p = p.with_suffix(".sqlite")
            if p.exists():
                self.show_message(f"{p} already exists; choose Open to use it.")
                return
            self.switch_database(p)

    def choose_database(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, "Open database",
                                              str(Path(self.ctx.db_path).parent),
                                              "RoasterDesk database (*.sqlite *.db);;All files (*)")
        if path:
            self.switch_database(Path(path))

    def switch_database(self, path: Path) -> bool:
        """Open another database in this window; the current one stays open if that fails."""
        if Path(path).resolve() == Path(self.ctx.db_path).resolve():
            return True
        if not self._may_leave(self.current_page()):
            return False
        try:
            new_ctx = self.open_context(Path(path))
        except KNOWN_ERRORS as exc:
            self.show_message(user_text(exc))
            return False
        old = self.ctx
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self._stale.clear()
        self.ctx = new_ctx
        self._connect_context()
        old.close()
        self.ctx.settings.add_recent(Path(path))
        key = self.current_key()
        self.stack.setCurrentWidget(self.page(key))
        self.statusBar().showMessage(f"Opened {path}", 6000)
        return True
