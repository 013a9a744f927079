"""Opening a database in the app, safely: one writer, damaged files, unsafe places.

:func:`open_guarded` is what the start-up code and "Open database" use:

1. the database is locked for this app (:class:`roasterdesk.ui.lock.AppLock`); a second
   RoasterDesk on it gets "already open in RoasterDesk on this computer";
2. a damaged file (``quick_check`` fails) is reported, and with the user's agreement moved aside
   and replaced by the newest verified backup (:func:`roasterdesk.ui.dialogs.backup.
   offer_recovery`);
3. a database on a network share or in a cloud-sync folder gets a warning
   (:func:`roasterdesk.services.places.location_warning`), shown once the window is up.

The lock is released when the context is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from ..services.places import location_warning
from ..store.errors import DamagedDatabaseError
from .lock import AppLock

if TYPE_CHECKING:
    from .context import AppContext


def hold_lock(ctx: AppContext, lock: AppLock) -> None:
    """Release ``lock`` after ``ctx.close()``."""
    close = ctx.close

    def close_and_unlock() -> None:
        try:
            close()
        finally:
            lock.release()

    ctx.close = close_and_unlock  # type: ignore[method-assign]
    ctx.lock = lock  # type: ignore[attr-defined]


def open_guarded(path: Path, create: Callable[[Path], AppContext],
                 parent: QWidget | None = None, *, ask: Any = None) -> AppContext:
    from .dialogs.backup import offer_recovery

    path = Path(path)
    lock = AppLock(path).acquire()
    try:
        try:
            ctx = create(path)
        except DamagedDatabaseError as exc:
            if not offer_recovery(parent, path, exc, ask=ask):
                raise
            ctx = create(path)
    except BaseException:
        lock.release()
        raise
    hold_lock(ctx, lock)
    warning = location_warning(path)
    if warning:
        QTimer.singleShot(0, lambda: ctx.messages.warning.emit(warning))
    return ctx
