"""Start the desktop app: pick the database, open it, show the main window.

Which database: ``--demo`` → the demo database (built on first use, in the background with a
progress dialog); else ``--db`` / ``ROASTERDESK_DB``; else the database opened last; else the
default file in the user's data folder. On an empty database the first start offers the demo
data or an empty start.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from .. import startup
from ..errors import KNOWN_ERRORS
from .context import AppContext
from .errors import ErrorHandler, install_excepthook, setup_logging, user_text
from .settings import Settings
from .style import apply_style
from .tasks import TaskManager

if TYPE_CHECKING:
    import argparse

log = logging.getLogger(__name__)

DEMO = "demo"
EMPTY = "empty"


def choose_db(args: argparse.Namespace, settings: Settings) -> Path:
    """``--db``, then ``ROASTERDESK_DB``, then the last database, then the default."""
    from ..launch import resolve_db

    if getattr(args, "db", None) is not None or os.environ.get("ROASTERDESK_DB"):
        return resolve_db(args)
    last = settings.last_db
    if last is not None and last.exists():
        return last
    return resolve_db(args)


def ask_first_start(parent: QWidget | None, path: Path) -> str:
    """Ask what to do with an empty database: open the demo data or start empty."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setWindowTitle("Welcome to RoasterDesk")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText("<b>Your database is empty.</b>")
    box.setInformativeText(
        "Explore RoasterDesk with demo data (made-up producers, visits and lots, kept in a "
        f"separate file), or start with an empty database:\n{path}")
    demo = box.addButton("Open the demo data", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Start empty", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(demo)
    box.exec()
    return DEMO if box.clickedButton() is demo else EMPTY


def build_demo_database(parent: QWidget | None = None) -> Path:
    """Build (or find) the demo database in a worker thread, with a progress dialog."""
    from ..services.demo import demo_db_path, ensure_demo

    target = demo_db_path()
    tasks = TaskManager(dialog_parent=parent)
    result: dict[str, object] = {}
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()

    def done(path: object) -> None:
        result["path"] = path
        loop.quit()

    def failed(exc: BaseException) -> None:
        result["error"] = exc
        loop.quit()

    tasks.run(lambda progress, _cancelled: ensure_demo(target, progress=progress),
              on_done=done, on_error=failed, label="Creating the demo database…")
    loop.exec()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return Path(result["path"])  # type: ignore[arg-type]


def open_context(path: Path, settings: Settings, check_later: bool = False) -> AppContext:
    """Locked for this app, a damaged file recovered on request, unsafe places warned about
    (:mod:`roasterdesk.ui.safety`). ``check_later``: the file's ``quick_check`` runs in the
    background once the window is shown (start-up only; "Open database" checks first)."""
    from .safety import open_guarded

    ctx = open_guarded(path, lambda p, **kw: AppContext.create(p, settings=settings, **kw),
                       check_later=check_later)
    if check_later:  # start-up: background work waits for the window's first paint
        ctx.tasks.hold()
    settings.add_recent(path)
    return ctx


def start(args: argparse.Namespace, settings: Settings | None = None,
          ask: Callable[[QWidget | None, Path], str] = ask_first_start,
          make_demo: Callable[[QWidget | None], Path] = build_demo_database):
    """Build the main window for ``args`` (without running the event loop)."""
    from .main_window import MainWindow

    settings = settings or Settings()
    if getattr(args, "demo", False):
        path = make_demo(None)
    else:
        path = choose_db(args, settings)
    ctx = open_context(path, settings, check_later=True)
    from ..store.db import is_empty

    if is_empty(ctx.db) and not getattr(args, "demo", False) \
            and not settings.started_empty(path):
        if ask(None, path) == DEMO:
            demo_path = make_demo(None)
            ctx.close()
            ctx = open_context(demo_path, settings, check_later=True)
        else:
            settings.mark_started_empty(path)
    return MainWindow(ctx, open_context=lambda p: open_context(p, settings))


def run_app(args: argparse.Namespace) -> int:
    startup.mark("imports")
    log_path = setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from . import wheel

    wheel.install(app)
    app.setApplicationName("RoasterDesk")
    app.setOrganizationName("RoasterDesk")
    apply_style(app)  # type: ignore[arg-type]
    startup.mark("qt")
    handler = ErrorHandler(lambda: QApplication.activeWindow())
    install_excepthook(handler)
    log.info("starting; log file %s", log_path)
    try:
        window = start(args)
    except KNOWN_ERRORS as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "RoasterDesk", user_text(exc))
        return 2
    startup.mark("built")
    window.show()
    QTimer.singleShot(0, lambda: _started(window, app))
    code = app.exec()
    window.ctx.close()
    return int(code)


def _started(window: Any, app: QApplication) -> None:
    """The window is on screen and the event loop runs: log how long that took, and again
    when its first page has its data. With the benchmark's probe
    (:mod:`roasterdesk.startup`) each is also printed as a JSON line, then the app quits."""
    window.repaint()
    startup.mark("painted")
    log.info("window ready %.0f ms after start (%s)", startup.MARKS["painted"],
             ", ".join(f"{k} {v:.0f}" for k, v in startup.MARKS.items()))
    probe = bool(os.environ.get(startup.PROBE_ENV))
    if probe:
        ours = sorted(m for m in sys.modules if m.startswith("roasterdesk"))
        _say({"inside_ms": startup.MARKS["painted"], "marks_ms": startup.MARKS,
              "rss_mb": startup.rss_mb(), "modules": ours})

    def filled() -> None:
        startup.mark("filled")
        log.info("first page filled %.0f ms after start", startup.MARKS["filled"])
        if probe:
            _say({"filled_ms": startup.MARKS["filled"]})
            app.quit()

    page = window.current_page()  # its first data: the Overview's quick lists, say
    signal = getattr(page, "quick_loaded", None) or getattr(page, "loaded", None)
    if getattr(page, "loading", False) and signal is not None:
        signal.connect(filled, Qt.ConnectionType.SingleShotConnection)
    else:
        filled()


def _say(report: dict[str, Any]) -> None:
    import json

    if sys.stdout is not None:  # a windowed build on Windows has no standard output
        print(json.dumps(report), flush=True)
