"""Two kinds of errors: known ones become a message, bugs open a crash dialog.

:func:`setup_logging` writes a log file in the user's log folder (platformdirs);
:func:`install_excepthook` routes uncaught exceptions (bugs) to :class:`CrashDialog`, which
shows the traceback and where the log file is.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from ..errors import KNOWN_ERRORS

log = logging.getLogger("roasterdesk")

_log_file: Path | None = None


def log_dir() -> Path:
    """The user's log folder for RoasterDesk, as platformdirs names it. On Linux it is worked
    out here (``$XDG_STATE_HOME/RoasterDesk/log``), which spares the start-up the import of
    platformdirs; a test holds the two equal."""
    if sys.platform.startswith("linux"):
        state = os.environ.get("XDG_STATE_HOME", "").strip()
        base = Path(state) if state else Path.home() / ".local" / "state"
        return base / "RoasterDesk" / "log"
    from platformdirs import user_log_path

    return user_log_path("RoasterDesk", appauthor=False)


def log_file() -> Path:
    return _log_file if _log_file is not None else log_dir() / "roasterdesk.log"


LOG_MAX_BYTES = 1_000_000
LOG_KEEP = 3


def rotate_log(path: Path, max_bytes: int = LOG_MAX_BYTES, keep: int = LOG_KEEP) -> None:
    """At start, a log over ``max_bytes`` becomes ``.1`` (``.1`` becomes ``.2`` …, the oldest
    of ``keep`` goes). Rotating once per start, not while writing, spares the start-up the
    import of ``logging.handlers``; one session seldom writes much."""
    try:
        if path.stat().st_size <= max_bytes:
            return
    except OSError:
        return  # no log yet
    try:
        for n in range(keep - 1, 0, -1):
            older = path.with_name(f"{path.name}.{n}")
            if older.exists():
                os.replace(older, path.with_name(f"{path.name}.{n + 1}"))
        os.replace(path, path.with_name(f"{path.name}.1"))
    except OSError:  # another RoasterDesk (on another database) has it open, on Windows
        return


def setup_logging(directory: Path | None = None) -> Path:
    """Log INFO and above to a rotating file; returns its path."""
    global _log_file
    directory = directory or log_dir()
    path = directory / "roasterdesk.log"
    root = logging.getLogger()
    if _log_file == path:
        return path
    try:
        directory.mkdir(parents=True, exist_ok=True)
        rotate_log(path)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:  # a read-only home must not stop the app
        print(f"roasterdesk: cannot write the log file {path}: {exc}", file=sys.stderr)
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    _log_file = path
    return path


def is_known(exc: BaseException) -> bool:
    return isinstance(exc, KNOWN_ERRORS) or isinstance(exc, ValueError)


def user_text(exc: BaseException) -> str:
    """A one-line message for a known error."""
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror or exc}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:1].upper() + text[1:]


class CrashDialog(QDialog):
    """A bug: what happened, the traceback to copy, and where the log file is."""

    def __init__(self, exc: BaseException, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QFontDatabase  # only when a bug shows: start-up is quicker
        from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit

        super().__init__(parent)
        self.setWindowTitle("RoasterDesk — unexpected error")
        self.resize(720, 460)
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.traceback_text = text
        lay = QVBoxLayout(self)
        lay.setSpacing(10)
        head = QLabel(
            "<b>Something went wrong inside RoasterDesk.</b><br>"
            "Your saved records are safe: every change is written in one piece or not at all. "
            "The details below are also in the log file; please include them when you report "
            "the problem.")
        head.setWordWrap(True)
        lay.addWidget(head)
        box = QPlainTextEdit(text)
        box.setReadOnly(True)
        box.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        lay.addWidget(box, 1)
        path = log_file()
        where = QLabel(f"Log file: <a href='{QUrl.fromLocalFile(str(path)).toString()}'>{path}</a>")
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        where.setOpenExternalLinks(True)
        where.setObjectName("logPath")
        lay.addWidget(where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay.addWidget(buttons)


class _Relay(QObject):
    bug = Signal(object)


class ErrorHandler:
    """Routes uncaught exceptions: known errors → message box, bugs → crash dialog."""

    def __init__(self, parent_widget: callable | None = None) -> None:  # type: ignore[valid-type]
        self.parent_widget = parent_widget
        self.relay = _Relay()
        self.relay.bug.connect(self.show, Qt.ConnectionType.QueuedConnection)
        self._showing = False
        self.shown: list[BaseException] = []

    def excepthook(self, etype: type[BaseException], exc: BaseException,
                   tb: TracebackType | None) -> None:
        if issubclass(etype, KeyboardInterrupt):
            QApplication.quit()
            return
        if exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        self.relay.bug.emit(exc)

    def show(self, exc: BaseException) -> None:
        self.shown.append(exc)
        parent = self.parent_widget() if self.parent_widget else None
        if is_known(exc):
            log.warning("%s", exc)
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(parent, "RoasterDesk", user_text(exc))
            return
        log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        if self._showing:  # one dialog at a time; the rest are in the log
            return
        self._showing = True
        try:
            CrashDialog(exc, parent).exec()
        finally:
            self._showing = False


def install_excepthook(handler: ErrorHandler) -> None:
    sys.excepthook = handler.excepthook


def open_log_folder() -> bool:
    folder = log_file().parent
    folder.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import QUrl

    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
