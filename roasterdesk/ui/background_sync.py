"""Team sync from the window: on demand (Sync now, with progress and Cancel) and every few
minutes in the background while the database has a hub (:mod:`roasterdesk.services.sync`).

A background round shows no dialog: it reports in the status bar, and an unreachable hub is
"offline", never an error (working offline is normal). A hub that answers and refuses (a wrong
password, a hub of another version) is said once, and the status bar keeps "sync refused". One
round at a time; a round runs on a worker thread with its own connection, so the window never
waits for the hub.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from .context import AppContext

EVERY_MS = 5 * 60 * 1000
"""A background round every five minutes by default (``Settings.sync_every_minutes``)."""


class BackgroundSync(QObject):
    """Sync rounds for one open database. ``finished(str)`` carries the state of the round that
    ended: "offline", "refused" (:attr:`refused` says why) or ""."""

    finished = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None,
                 every_ms: int = EVERY_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.running = False
        self.offline = False
        self.refused = ""  # the hub's last refusal (a wrong password, another version)
        self.timer = QTimer(self)
        self.timer.setInterval(every_ms)
        self.timer.timeout.connect(lambda: self.run(visible=False))
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def has_hub(self) -> bool:
        from ..services.sync import hub_url_of

        try:
            return hub_url_of(self.ctx.store) is not None
        except Exception:  # a database being recovered or closed: no round now
            return False

    def run(self, visible: bool = True) -> bool:
        """Start a round (push, then pull); False if one is running or there is no hub.
        ``visible``: a progress dialog with Cancel, and the outcome as a message."""
        if self.running or self.ctx.damaged or (not visible and not self.has_hub()):
            return False
        from ..services import sync
        from .context import open_worker_store
        from .tasks import Cancelled

        path, ctx = self.ctx.db_path, self.ctx

        def work(progress: Any, cancelled: Any) -> Any:
            def step(stage: str, done: int, total: int) -> None:
                if cancelled():
                    raise Cancelled()
                progress(done, max(total, 1))

            with open_worker_store(path, check=False) as store:
                return sync.sync(store, progress=step)

        def done(result: Any) -> None:
            self.running, self.offline, self.refused = False, False, ""
            if visible or result.pulled:
                ctx.messages.info.emit(
                    f"Synced: pushed {result.pushed}, pulled {result.pulled}, "
                    f"{result.open_conflicts} open conflict(s)")
            if result.pulled or visible:
                ctx.messages.data_changed.emit("*")
            self.finished.emit("")

        def failed(exc: BaseException) -> None:
            self.running = False
            state = ""
            if isinstance(exc, Cancelled):
                ctx.messages.info.emit("Sync cancelled: what was sent is kept")
            elif isinstance(exc, sync.HubUnreachable):  # offline is normal, not an error
                self.offline, state = True, "offline"
                if visible:
                    ctx.messages.info.emit(str(exc))
            elif isinstance(exc, sync.HubError):  # refused: a person must act, never "offline"
                self.offline, state = False, "refused"
                if visible or str(exc) != self.refused:  # a timed round says a new one once
                    ctx.messages.warning.emit(f"Team sync: {exc}")
                self.refused = str(exc)
            else:
                ctx.tasks.report(exc)
            if visible:
                ctx.messages.data_changed.emit("*")
            self.finished.emit(state)

        self.running = True
        ctx.tasks.run(work, on_done=done, on_error=failed,
                      label="Syncing with the team hub" if visible else "",
                      cancellable=visible)
        return True
