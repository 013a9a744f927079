"""The main window: sidebar, pages, menus and status bar. It only assembles; pages do the work.

Pages are created when first shown (start-up stays fast). Other people's pages and dialogs are
imported lazily; when one is missing the window shows a placeholder or disables the action.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..errors import KNOWN_ERRORS
from .context import AppContext
from .errors import open_log_folder, user_text

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent  # its type costs 1.5 ms to set up at start

log = logging.getLogger(__name__)

# (key, sidebar label, module, class) — the record kinds each page opens
PAGES: list[tuple[str, str, str, str]] = [
    ("overview", "Overview", "roasterdesk.ui.views.overview", "OverviewPage"),
    ("producer", "Producers", "roasterdesk.ui.views.producers", "ProducersPage"),
    ("visit", "Visits", "roasterdesk.ui.views.visits", "VisitsPage"),
    ("lot", "Lots", "roasterdesk.ui.views.lots", "LotsPage"),
    ("commitment", "Commitments & projects", "roasterdesk.ui.views.commitments",
     "CommitmentsPage"),
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


class _Title(QLabel):
    """The sidebar's title, which says when it is first painted. (Cheaper at start-up than an
    event filter: that needs the QEvent type set up from Python, 1.4 ms, and the list's
    viewport, 8 ms.)"""

    def __init__(self, text: str, first_paint: Callable[[], None]) -> None:
        super().__init__(text)
        self._first_paint: Callable[[], None] | None = first_paint

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._first_paint is not None:
            call, self._first_paint = self._first_paint, None
            call()


class Placeholder(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lab = QLabel(text or f"{title} is not available in this build.")
        lab.setWordWrap(True)
        lab.setObjectName("placeholder")
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(lab)

    def refresh(self) -> None:
        pass

    def open_record(self, id_: int) -> None:
        pass


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext,
                 open_context: Callable[[Path], AppContext] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.open_context = open_context or (lambda p: AppContext.create(
            p, settings=self.ctx.settings))
        self.setWindowTitle("RoasterDesk")
        self.setMinimumSize(QSize(900, 600))
        self.pages: dict[str, QWidget] = {}
        self._stale: set[str] = set()
        self._recovering = False
        self._painted = False
        self.auto_backup: Any = None

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        side = QWidget()
        side.setObjectName("sidebar")
        side.setFixedWidth(236)
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 10)
        # the title is always on screen: its first paint is the window's (see _painted_now)
        title = _Title("RoasterDesk", lambda: QTimer.singleShot(0, self, self._painted_now))
        title.setObjectName("appTitle")
        sl.addWidget(title)
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for n, (key, label, _m, _c) in enumerate(PAGES, 1):
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"Ctrl+{n}")
            self.nav.addItem(item)
        sl.addWidget(self.nav, 1)
        self.db_label = QLabel()
        self.db_label.setObjectName("muted")
        self.db_label.setWordWrap(True)
        self.db_label.setContentsMargins(16, 0, 12, 0)
        sl.addWidget(self.db_label)
        row.addWidget(side)
        self.stack = QStackedWidget()
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.status_path = QLabel()
        self.status_path.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.status_path)
        self._build_menus()
        self.nav.currentRowChanged.connect(self._nav_changed)
        QTimer.singleShot(2000, self, self._painted_now)  # or a window never shown, in time
        self._connect_context()
        self._restore_settings()

    # -- context -----------------------------------------------------------------------------
    def _connect_context(self) -> None:
        ctx = self.ctx
        ctx.messages.info.connect(lambda t: self.statusBar().showMessage(t, 6000))
        ctx.messages.warning.connect(lambda t: self.show_message(t, warning=True))
        ctx.messages.error.connect(lambda t: self.show_message(t, warning=False))
        ctx.messages.open_record.connect(self.open_record)
        ctx.messages.data_changed.connect(self._data_changed)
        ctx.messages.new_record.connect(self.new_record_for)
        ctx.tasks.dialog_parent = self
        ctx.tasks.status.connect(lambda t: self.statusBar().showMessage(t))
        self._install_undo_actions()
        if self.auto_backup is not None:
            self.auto_backup.on_close()  # the previous database, before it is closed
            self.auto_backup = None
        self._changes_at_open = ctx.db.conn.total_changes  # the automatic backups count from here
        if self._painted:
            self._start_background()
        path = str(ctx.db_path)
        self.status_path.setText(f"Database: {path}")
        self.db_label.setText(Path(path).name)
        self.db_label.setToolTip(path)
        self.setWindowTitle(f"RoasterDesk — {Path(path).name}")

    def show_message(self, text: str, warning: bool = True) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs load when first needed

        box = QMessageBox(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Critical,
                          "RoasterDesk", text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, does not block the event loop
        self.last_message = text

    # -- pages -------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page for ``key``, created on first use."""
        if key not in self.pages:
            spec = next(p for p in PAGES if p[0] == key)
            cls = optional(spec[2], spec[3])
            try:
                page = cls(self.ctx) if cls is not None else Placeholder(spec[1])
            except sqlite3.DatabaseError as exc:
                page = self._unreadable(spec[1], exc)
            self.pages[key] = page
            self.stack.addWidget(page)
        return self.pages[key]

    def current_key(self) -> str:
        item = self.nav.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else "overview"

    def current_page(self) -> QWidget:
        return self.page(self.current_key())

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, p in enumerate(PAGES) if p[0] == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.page(key)

    def _nav_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row][0]
        old = self.stack.currentWidget()
        page = self.page(key)
        if old is not None and old is not page and not self._may_leave(old):
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(next(i for i, p in enumerate(PAGES)
                                        if self.pages.get(p[0]) is old))
            self.nav.blockSignals(False)
            return
        self.stack.setCurrentWidget(page)
        if key in self._stale:
            self._stale.discard(key)
            self._call(page, "refresh")
        self.ctx.settings.last_page = key

    def _may_leave(self, page: QWidget) -> bool:
        fn = getattr(page, "maybe_leave", None)
        return bool(fn()) if fn is not None else True

    def open_record(self, kind: str, id_: int) -> None:
        key = KIND_TO_PAGE.get(kind)
        if key is None:
            log.warning("no page opens %r records", kind)
            return
        page = self.show_page(key)
        if self.current_key() != key:
            return  # the user chose to stay (unsaved changes)
        method = "open_project" if kind == "project" and hasattr(page, "open_project") \
            else "open_record"
        self._call(page, method, id_)

    def new_record_for(self, kind: str, producer_id: int) -> None:
        key = KIND_TO_PAGE.get(kind)
        if key is None:
            return
        page = self.show_page(key)
        if self.current_key() == key:
            self._call(page, "new_record", producer_id)

    def _data_changed(self, kind: str) -> None:
        current = self.current_key()
        for key, page in self.pages.items():
            if key == current:
                self._call(page, "refresh")
            else:
                self._stale.add(key)

    def _call(self, page: QWidget, method: str, *args: Any) -> Any:
        fn = getattr(page, method, None)
        if fn is None:
            return None
        try:
            return fn(*args)
        except KNOWN_ERRORS as exc:
            self.show_message(user_text(exc))
            return None

    # -- menus -------------------------------------------------------------------------------
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
        f.addSeparator()
        self.act_backup = self._action(f, "&Back up now", self.backup_now,
                                       enabled=available(backup))
        self.act_restore = self._action(f, "Restore from a backup…", self.restore,
                                        enabled=available(backup))
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
            self._action(v, label, lambda key=key: self.show_page(key),
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
                ("Alt+Down / Ctrl+PgDown", "next record"), ("Ctrl+1 … Ctrl+5", "pages"),
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

    def _painted_now(self) -> None:
        """The window is on screen (its title was painted, and the whole window is painted in
        that one pass; this runs just after it), or two seconds have passed."""
        if not self._painted:
            self._painted = True
            self._start_background()

    def _make_auto_backup(self) -> None:
        """Backups after changes, every few hours and on close (not of a database being
        recovered); changes made since the database was opened count."""
        from .dialogs.backup import AutoBackup

        if self.auto_backup is None and not self._recovering:
            self.auto_backup = AutoBackup(self.ctx, parent=self, since=self._changes_at_open)

    def _start_background(self) -> None:
        """Work that waits until the window is on screen (at start-up) or starts at once (for
        a database opened later): the tasks pages queued while the app started
        (:meth:`TaskManager.hold`), the file's ``quick_check`` when the open skipped it, and
        the automatic backups."""
        ctx = self.ctx
        ctx.tasks.release()  # what the page on screen asked for goes first
        self._make_auto_backup()
        if ctx.unchecked and not ctx.checking:
            from .safety import check_in_background

            check_in_background(ctx, self.database_damaged)

    def _unreadable(self, title: str, error: sqlite3.DatabaseError) -> QWidget:
        """A page could not read a database whose background check has not finished: check it
        now (or wait for the running check); damage leads to :meth:`database_damaged`."""
        from ..store.db import quick_check
        from ..store.errors import DamagedDatabaseError

        ctx = self.ctx
        if not ctx.unchecked:
            raise error
        try:
            quick_check(Path(ctx.db_path))
        except DamagedDatabaseError as damage:
            ctx.damaged = True
            QTimer.singleShot(0, self, lambda d=damage: self.database_damaged(ctx, d))
            return Placeholder(title, text=str(damage))
        raise error

    def database_damaged(self, ctx: AppContext, error: Exception) -> None:
        """The background check found the open database damaged: close it and open it again
        through the guarded open, which names the damage and offers the newest verified backup
        (exactly as when the damage is found at open). If that fails, the app quits."""
        if ctx is not self.ctx or self._recovering:
            return  # another database was opened meanwhile, or this one is being recovered
        self._recovering = True
        log.warning("background check: %s", error)
        path = Path(ctx.db_path)
        if self.auto_backup is not None:
            self.auto_backup.stop()  # never back up a damaged file
            self.auto_backup = None
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self._stale.clear()
        ctx.close()
        try:
            new_ctx = self.open_context(path)
        except KNOWN_ERRORS as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(self, "RoasterDesk", user_text(exc))
            self.hide()
            QApplication.exit(2)
            return
        finally:
            self._recovering = False
        self.ctx = new_ctx
        self._connect_context()
        self.stack.setCurrentWidget(self.page(self.current_key()))
        self.statusBar().showMessage(f"Opened {path} again", 6000)

    # -- settings ----------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = self.ctx.settings
        if s.geometry is not None:
            self.restoreGeometry(s.geometry)
        else:
            self.resize(1280, 800)
        if s.window_state is not None:
            self.restoreState(s.window_state)
        keys = [p[0] for p in PAGES]
        start = s.last_page if s.last_page in keys else "overview"
        self.nav.setCurrentRow(keys.index(start))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if not self._may_leave(self.current_page()):
            event.ignore()
            return
        s = self.ctx.settings
        s.geometry = self.saveGeometry()
        s.window_state = self.saveState()
        s.sync()
        if not self._painted and not self.ctx.damaged:
            self._make_auto_backup()  # closed before its first paint
        if self.auto_backup is not None:  # None once a damaged database was closed
            self.auto_backup.on_close()  # a verified backup if anything changed
        event.accept()
