"""One background-task helper: long work off the GUI thread, results back on it.

``ctx.tasks.run(fn, on_done=..., on_error=..., label="...", cancellable=True)`` calls
``fn(progress, cancelled)`` in a worker thread of a ``QThreadPool``:

- ``progress(done, total)`` may be called from the worker as often as it likes; it is
  forwarded (throttled) to the GUI thread, where a progress dialog (if ``label`` is given and
  the work takes longer than a moment) or the status bar shows it.
- ``cancelled()`` returns True once the user pressed Cancel; ``fn`` should then stop early
  (it may raise :class:`Cancelled`).
- ``on_done(result)`` or ``on_error(exc)`` runs on the GUI thread. Without ``on_error`` a known
  error (UserError, StoreError, OSError) becomes ``ctx.messages.error`` and a bug goes to the
  crash dialog.

Database work in ``fn`` uses its own connection, ``context.open_worker_store(ctx.db_path)``,
never ``ctx.store`` (sqlite3 connections belong to one thread).

While the app starts, ``hold()`` queues tasks (and ``soon(call)`` queues quick GUI-thread
reads) until ``release()``, which the main window calls right after its first paint;
``shut_down()`` (when a context closes) cancels, waits, and delivers no late result.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]


class Cancelled(Exception):
    """Raised by task functions that stop because the user cancelled."""


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """One unit of work; lives until its result has been delivered."""

    def __init__(self, fn: Callable[[Progress, IsCancelled], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()
        self._cancel = threading.Event()
        self._last_progress = 0.0
        self.finished = False

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last_progress > 0.05:
            self._last_progress = now
            self.signals.progress.emit(int(done), int(total))

    def run(self) -> None:  # worker thread
        try:
            result = self.fn(self._progress, self.is_cancelled)
        except BaseException as exc:  # delivered to the GUI thread, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class TaskManager(QObject):
    """Runs tasks in a thread pool and reports on the GUI thread.

    ``status(str)`` carries short progress text for the status bar; ``busy(bool)`` tells whether
    any task is running.
    """

    status = Signal(str)
    busy = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, dialog_parent: QWidget | None = None,
                 on_bug: Callable[[BaseException], None] | None = None,
                 on_known_error: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.dialog_parent = dialog_parent
        self.on_bug = on_bug
        self.on_known_error = on_known_error
        self._running: list[Task] = []
        self._held: list[Task] | None = None
        self._held_calls: list[Callable[[], Any]] = []
        self._shut = False

    def hold(self) -> None:
        """Queue new tasks instead of starting them, until :meth:`release`. The app holds them
        while it starts, so work a page asks for at once does not compete with the first paint
        of the window."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Make the calls :meth:`soon` queued (before any worker competes with them), then
        start the tasks queued since :meth:`hold` (those not cancelled meanwhile)."""
        held, self._held = self._held, None
        calls, self._held_calls = self._held_calls, []
        for call in calls:
            try:
                call()
            except Exception as exc:  # noqa: BLE001  (reported; the held tasks still start)
                self.report(exc)
        for task in held or ():
            if task.is_cancelled():
                task.signals.failed.emit(Cancelled())
            else:
                self.pool.start(task)

    def soon(self, call: Callable[[], Any]) -> None:
        """Call ``call`` on the GUI thread: at :meth:`release` while held (quick reads a page
        shows, made once the window is on screen), else at once."""
        if self._held is not None:
            self._held_calls.append(call)
        else:
            call()

    @property
    def running(self) -> int:
        return len(self._running)

    def run(self, fn: Callable[[Progress, IsCancelled], Any], *,
            on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None,
            label: str = "", cancellable: bool = False) -> Task:
        task = Task(fn)
        dialog: QProgressDialog | None = None
        if label:
            dialog = QProgressDialog(label, "Cancel" if cancellable else "", 0, 0,
                                     self.dialog_parent)
            dialog.setWindowTitle("RoasterDesk")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(task.cancel)
            # QProgressDialog only pops up after minimumDuration once setValue is called.
            QTimer.singleShot(0, lambda: dialog and not task.finished and dialog.setValue(0))

        def on_progress(done: int, total: int) -> None:
            if dialog is not None:
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
            if label:
                pct = f" {100 * done // total} %" if total else ""
                self.status.emit(f"{label}{pct}")

        def finish() -> None:
            task.finished = True
            if task in self._running:
                self._running.remove(task)
            if dialog is not None:
                dialog.canceled.disconnect(task.cancel)
                dialog.close()
                dialog.deleteLater()
            if label:
                self.status.emit("")
            if not self._running:
                self.busy.emit(False)

        def done(result: Any) -> None:
            finish()
            if on_done is not None and not self._shut and _alive(on_done):
                on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            if self._shut:
                return  # its context is closed: nobody waits for this any more
            if on_error is not None and _alive(on_error):
                on_error(exc)
            else:
                self.report(exc)

        task.signals.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
        task.signals.done.connect(done, Qt.ConnectionType.QueuedConnection)
        task.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._running.append(task)
        self.busy.emit(True)
        if self._held is not None:
            self._held.append(task)
        else:
            self.pool.start(task)
        return task

    def report(self, exc: BaseException) -> None:
        """Default error handling: known errors as a message, bugs to the crash dialog."""
        from ..errors import KNOWN_ERRORS

        if isinstance(exc, Cancelled):
            self.status.emit("Cancelled")
            return
        if isinstance(exc, KNOWN_ERRORS):
            if self.on_known_error is not None:
                self.on_known_error(str(exc))
            else:
                log.warning("%s", exc)
            return
        log.error("background task failed", exc_info=(type(exc), exc, exc.__traceback__))
        if self.on_bug is not None:
            self.on_bug(exc)
        else:  # the application's crash dialog (sys.excepthook), on the GUI thread
            sys.excepthook(type(exc), exc, exc.__traceback__)

    def shut_down(self) -> None:
        """Cancel every task, wait for them, and deliver no result after this (the context
        they worked for is closing, and the pages that asked may be gone)."""
        self._shut = True
        self._held, self._held_calls = None, []
        self.cancel_all()
        self.wait()

    def cancel_all(self) -> None:
        for task in list(self._running):
            task.cancel()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every task finished (used on shutdown and in tests)."""
        return self.pool.waitForDone(msecs)


def _alive(callback: Callable[..., Any]) -> bool:
    """Whether a callback may still run: a method of a widget closed (and deleted) while its
    work ran, a statement preview closed while it rendered, is not called on the dead widget
    ("Internal C++ object already deleted"); the work's result is let go."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
