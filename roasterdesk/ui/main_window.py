"""The main window: sidebar, pages, menus and status bar. It only assembles; pages do the work.

Pages are created when first shown (start-up stays fast). Other people's pages and dialogs are
imported lazily; when one is missing the window shows a placeholder or disables the action.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import KNOWN_ERRORS
from .context import AppContext
from .errors import user_text
from .window_menus import KIND_TO_PAGE, PAGES, MenuActions, available, optional  # noqa: F401

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent  # its type costs 1.5 ms to set up at start

log = logging.getLogger(__name__)

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


class MainWindow(MenuActions, QMainWindow):
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
        self.status_sync = QLabel()  # team sync: last sync, changes waiting, conflicts
        self.status_sync.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.status_sync)
        self.status_check = QLabel()  # when the file last passed its full integrity check
        self.status_check.setObjectName("muted")
        self.status_check.setToolTip(
            "SQLite's full integrity check of every page and index. It runs in the background "
            "after an unclean close and weekly; File ▸ Check the database now runs it at once.")
        self.statusBar().addPermanentWidget(self.status_check)
        self._check_timer = QTimer(self)  # weekly, also for a window left open for days
        self._check_timer.setInterval(6 * 3600 * 1000)
        self._check_timer.timeout.connect(lambda: self.full_check(visible=False))
        self._check_timer.start()
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
        ctx.messages.data_changed.connect(lambda _k: self._sync_status())
        ctx.messages.new_record.connect(self.new_record_for)
        ctx.tasks.dialog_parent = self
        ctx.tasks.status.connect(lambda t: self.statusBar().showMessage(t))
        self._show_last_check()
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
        else:
            self._sync_status()  # a file being checked is read by nothing else meanwhile
        self._show_last_check()
        from .safety import pending_figures_in_background

        pending_figures_in_background(ctx)  # rules changed by an upgrade: the lists' figures
        if ctx.background_sync is None:  # team sync every few minutes while there is a hub
            from .background_sync import BackgroundSync

            ctx.background_sync = BackgroundSync(
                ctx, self, every_ms=int(ctx.settings.sync_every_minutes * 60_000))
            ctx.background_sync.finished.connect(self._sync_round_done)
        # not at once: the pages' first lists go first (the pool has two threads)
        delay = self.CHECK_AFTER_UNCLEAN_MS if ctx.unclean_close else self.CHECK_WHEN_DUE_MS
        QTimer.singleShot(delay, self, lambda c=ctx: c is self.ctx and self.full_check(False))

    CHECK_AFTER_UNCLEAN_MS = 3_000
    CHECK_WHEN_DUE_MS = 60_000

    def full_check(self, visible: bool = True) -> None:
        """The full integrity check: at once when ``visible`` (the menu), else only when due
        (after an unclean close, or a week after the last pass)."""
        from ..store.integrity import due
        from .safety import full_check_in_background

        ctx = self.ctx
        self._show_last_check()
        if visible or due(ctx.db_path, ctx.unclean_close):
            full_check_in_background(ctx, self.database_damaged, visible=visible,
                                     on_finished=self._show_last_check)

    def _show_last_check(self) -> None:
        from ..store.integrity import describe

        self.status_check.setText(describe(self.ctx.db_path))

    def _sync_round_done(self, state: str) -> None:
        self._sync_status()
        runner = self.ctx.background_sync
        if state in ("offline", "refused") and self.status_sync.text():
            self.status_sync.setText(self.status_sync.text() + (
                " · offline" if state == "offline" else " · sync refused"))
        self.status_sync.setToolTip(runner.refused if state == "refused" and runner else "")

    def _sync_status(self) -> None:
        """The status bar's team-sync item (empty while the database has no hub)."""
        from ..services.sync import status_line
        from ..store.errors import StoreError

        if self.ctx.unchecked or self.ctx.checking or self.ctx.damaged:
            self.status_sync.setText("")
            return
        try:
            self.status_sync.setText(status_line(self.ctx.store))
        except (sqlite3.DatabaseError, StoreError):
            self.status_sync.setText("")

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
