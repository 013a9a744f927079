"""What every page gets: the application context, and the contract pages are written against.

Contract
========

``AppContext`` (this module) has these attributes:

- ``store``: the :class:`roasterdesk.store.Store` of the open database (GUI thread only),
  made on first use. Read it at use time (``self.ctx.store``); do not keep your own reference
  to it. ``db`` is its connection, for the plain queries of the first page on screen.
- ``undo_stack``: a ``QUndoStack``; every user edit is pushed as a command
  (:mod:`roasterdesk.ui.undo` has ready ones that save/delete through the store and restore
  the previous object on undo).
- ``tasks``: a :class:`roasterdesk.ui.tasks.TaskManager`.
  ``tasks.run(fn, *, on_done=None, on_error=None, label="", cancellable=False)`` runs
  ``fn(progress, cancelled)`` in a worker thread (QThreadPool/QRunnable); ``progress(done,
  total)`` drives a progress dialog (with Cancel when cancellable) or the status bar;
  ``on_done(result)`` / ``on_error(exc)`` are called on the GUI thread. Database writes from a
  worker must use their own connection, :func:`open_worker_store` (``ctx.db_path``), never
  ``ctx.store``.
- ``messages``: a :class:`roasterdesk.ui.messages.MessageBus` (QObject) with signals
  ``info(str)``, ``warning(str)``, ``error(str)``, ``open_record(str kind, int id)`` (kind in
  ``"producer", "visit", "lot", "commitment", "project"``), ``data_changed(str kind)``
  (``"*"`` means everything) and ``new_record(str kind, int producer_id)``.
- ``settings``: a :class:`roasterdesk.ui.settings.Settings` (typed QSettings wrapper).
- ``attachments_dir``: ``Path`` "<db file stem>-attachments" beside the database (not created
  until something is stored there).
- ``db_path``: ``Path`` of the open database.

Pages
-----
A page is a ``QWidget`` subclass ``XxxPage(ctx, parent=None)`` with ``refresh()`` (reload from
the store; called when the page is shown and on ``data_changed``) and ``open_record(id)`` (show
that record). The main window looks pages up by kind: ``"overview"``, ``"producer"``,
``"visit"`` -> ``roasterdesk.ui.views.visits.VisitsPage``, ``"lot"`` ->
``roasterdesk.ui.views.lots.LotsPage``, ``"commitment"``/``"project"``. A page that has unsaved
edits may define ``maybe_leave() -> bool`` (ask the user; False keeps the page) and ``save()``
(Ctrl+S), ``new_record()`` (Ctrl+N), ``focus_find()`` (Ctrl+F), ``step_record(delta)``
(previous/next record); the main window calls them when present.

When the user opens another database the main window builds a new ``AppContext`` and new pages.

Tests build a context with ``AppContext.create(db_path, settings=Settings(tmp_path / "s.ini"))``
and close it with ``ctx.close()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack

from .messages import MessageBus
from .settings import Settings
from .tasks import TaskManager

if TYPE_CHECKING:
    from ..store import Store
    from ..store.db import AnyDatabase


def open_worker_store(db_path: Path, *, check: bool = True, read_only: bool = False) -> Store:
    """The one way a worker (a dialog's or a page's background job) opens the window's database:
    its own connection to the same, existing file, with the key the window unlocked it with
    (remembered for the file in this process). ``check=False`` skips the file's check, which
    the window runs itself; ``read_only=True`` gives a connection that cannot write (previews).

    An encrypted file whose key this process does not hold is refused with that reason, never
    opened as "not a RoasterDesk database"."""
    from ..errors import UserError
    from ..store.cipher import known_key

    db_path = Path(db_path)
    if not db_path.is_file():
        raise UserError(f"{db_path} is no longer there: it was moved or deleted")
    if known_key(db_path) is None:
        with open(db_path, "rb") as fh:
            head = fh.read(16)
        if head and head != b"SQLite format 3\x00":
            raise UserError(f"{db_path} is encrypted and is not unlocked in this window: "
                            "open it again from File ▸ Open")
    if read_only:
        from ..services.statement import open_read_only

        return open_read_only(db_path)
    from ..store.store import Store

    return Store.open(db_path, create=False, check=check)


def attachments_dir_for(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-attachments")


@dataclass(eq=False)
class AppContext:
    db: AnyDatabase
    """The open database connection; :attr:`store` is the repository facade over it."""
    db_path: Path
    undo_stack: QUndoStack
    tasks: TaskManager
    messages: MessageBus
    settings: Settings
    unchecked: bool = False
    """The file's ``quick_check`` (and seal) has not run yet: the app runs it in the background
    once the window is shown (:func:`roasterdesk.ui.safety.check_in_background`)."""
    checking: bool = False
    """That check is running."""
    damaged: bool = False
    """That check failed: closing does not seal the file."""
    unclean_close: bool = False
    """The file had a non-empty ``-wal`` when it was opened: the session before did not close it
    cleanly, so the full ``integrity_check`` runs in the background
    (:func:`roasterdesk.ui.safety.full_check_in_background`)."""
    full_checking: bool = False
    """That full check is running."""
    background_sync: Any = None
    """The window's :class:`roasterdesk.ui.background_sync.BackgroundSync` (None without a
    window): Sync now and the timed rounds go through it, one at a time."""
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The :class:`roasterdesk.store.Store` over :attr:`db`. Made on first use: the
        window paints its first page from plain queries, so start-up does not wait for the
        facade and the domain model it imports."""
        if self._store is None:
            from ..store.store import Store

            self._store = Store(self.db, self.db_path)
        return self._store

    @property
    def attachments_dir(self) -> Path:
        return attachments_dir_for(self.db_path)

    @classmethod
    def create(cls, db_path: Path, *, settings: Settings | None = None,
               parent: QObject | None = None, store: Store | None = None,
               check: bool = True) -> AppContext:
        """Open ``db_path`` (creating it if new) and build the context around it.
        ``check=False``: the file's ``quick_check`` is left for later (``unchecked``)."""
        db_path = Path(db_path)
        from ..store.cipher import known_key, open_any
        from ..store.db import is_checked
        from ..store.integrity import closed_uncleanly

        unclean_close = closed_uncleanly(db_path)  # before this open replays and removes it
        db = store.db if store is not None else open_any(db_path, check=check)
        messages = MessageBus(parent)
        tasks = TaskManager(parent, on_known_error=messages.error.emit)
        # an encrypted database is always checked at open (SQLCipher's own check)
        unchecked = not check and known_key(db_path) is None and not is_checked(db_path)
        return cls(db=db, db_path=db_path, undo_stack=QUndoStack(parent), tasks=tasks,
                   messages=messages, settings=settings or Settings(), unchecked=unchecked,
                   unclean_close=unclean_close, _store=store)

    def reopen(self) -> None:
        """Open :attr:`db_path` again (after the file was replaced, e.g. by a restore)."""
        from ..store.cipher import open_any

        self.db = open_any(self.db_path)
        self._store = None

    def close(self) -> None:
        """Stop background work (cancel, then wait for it), then close the database."""
        if self.background_sync is not None:
            self.background_sync.stop()
        self.tasks.shut_down()
        self.undo_stack.clear()
        self.db.close()
