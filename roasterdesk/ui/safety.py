"""Opening a database in the app, safely: one writer, damaged files, unsafe places.

:func:`open_guarded` is what the start-up code and "Open database" use:

1. the database is locked for this app (:class:`roasterdesk.ui.lock.AppLock`); a second
   RoasterDesk on it gets "already open in RoasterDesk on this computer";
2. a damaged file (``quick_check`` fails) is reported, and with the user's agreement moved aside
   and replaced by the newest verified backup (:func:`roasterdesk.ui.dialogs.backup.
   offer_recovery`). With ``check_later=True`` (the app's start-up) the file is opened without
   that check, and :func:`check_in_background` runs it on a worker thread once the window is
   shown; if it fails, the main window closes the database and opens it again through this
   function, so the user gets the same message and recovery offer as here;
3. a database on a network share or in a cloud-sync folder gets a warning
   (:func:`roasterdesk.services.places.location_warning`), shown once the window is up;
4. an encrypted database is unlocked first (:func:`unlock`): its key from the OS keyring, else
   the user types the passphrase or the recovery key; the key is then remembered for this
   process, so worker connections and backups open it like a plain file.

The lock is released when the context is closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from ..services.places import location_warning
from ..store.errors import DamagedDatabaseError
from ..store.seal import write_seal
from .lock import AppLock

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .context import AppContext


def hold_lock(ctx: AppContext, lock: AppLock) -> None:
    """Release ``lock`` after ``ctx.close()``."""
    close = ctx.close

    def close_and_unlock() -> None:
        try:
            close()
            if not ctx.damaged:
                write_seal(ctx.db_path)  # closed cleanly: checksum for the next open
        finally:
            lock.release()

    ctx.close = close_and_unlock  # type: ignore[method-assign]
    ctx.lock = lock  # type: ignore[attr-defined]


def _ask_secret(parent: QWidget | None, text: str) -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    value, ok = QInputDialog.getText(parent, "Encrypted database", text,
                                     QLineEdit.EchoMode.Password)
    return value if ok else None


def unlock(path: Path, parent: QWidget | None = None, *,
           ask_secret: Callable[[QWidget | None, str], str | None] = _ask_secret) -> bool:
    """Find and remember the key of an encrypted database; False if it is not encrypted."""
    from ..errors import UserError
    from ..store import cipher

    if not path.is_file() or path.stat().st_size == 0 or cipher.is_plain_sqlite(path):
        return False
    from ..services import encryption as E

    if not cipher.available():
        raise UserError(f"{path} is encrypted or damaged; to open an encrypted database, "
                        f"{cipher.INSTALL_HINT}")
    if cipher.known_key(path) is not None:
        return True
    key = E.key_from_keyring(path)
    note = ""
    while key is None:
        answer = ask_secret(parent, f"{note}{path.name} is encrypted (or damaged). Enter its "
                                    "passphrase, or the recovery key you printed:")
        if answer is None:
            raise UserError(f"{path} cannot be opened: it is encrypted and no passphrase or "
                            "recovery key was given (or it is not a RoasterDesk database).")
        try:
            try:
                candidate = E.parse_recovery_key(answer)
            except UserError:
                candidate = E.key_from_file(path, answer)
            cipher.raw_connect(path, candidate, readonly=True).close()
            key = candidate
        except UserError as exc:  # WrongKeyError is a StoreError, caught below
            note = f"{exc}.\n\n"
        except cipher.WrongKeyError:
            note = "That passphrase or recovery key does not open it.\n\n"
    cipher.remember_key(path, key)
    return True


def open_guarded(path: Path, create: Callable[[Path], AppContext],
                 parent: QWidget | None = None, *, ask: Any = None,
                 ask_secret: Callable[[QWidget | None, str], str | None] = _ask_secret,
                 check_later: bool = False) -> AppContext:
    """``check_later``: ``create`` is called as ``create(path, check=False)``."""
    path = Path(path)
    lock = AppLock(path).acquire()
    try:
        from ..services.recovery import recover_at_start

        notes = recover_at_start(path, locked=True)  # what an interrupted command left
        unlock(path, parent, ask_secret=ask_secret)
        try:
            ctx = create(path, check=False) if check_later else create(path)
        except DamagedDatabaseError as exc:
            from .dialogs.backup import offer_recovery

            if not offer_recovery(parent, path, exc, ask=ask):
                raise
            ctx = create(path)
    except BaseException:
        lock.release()
        raise
    hold_lock(ctx, lock)
    warning = location_warning(path)
    for text in [*notes, warning] if warning else notes:
        QTimer.singleShot(0, lambda text=text: ctx.messages.warning.emit(text))
    return ctx


def pending_figures_in_background(ctx: AppContext) -> None:
    """Lot figures left pending by a schema step run at this open (rules that changed) or by an
    encrypted file's stopped import or sync (the start-up check computed a plain file's before
    it was opened): computed on a worker with its own connection once the window is on screen,
    then every list shows them."""
    def work(_progress: Any, _cancelled: Any) -> int:
        from ..services.parallel_figures import refresh_pending
        from .context import open_worker_store

        with open_worker_store(ctx.db_path, check=False) as store:
            return refresh_pending(store)  # 0 when nothing is pending

    def done(n: int) -> None:
        if n:
            ctx.messages.info.emit(f"Computed again the figures of {n:,} lots (their rules "
                                   "changed, or an import or sync was stopped before them)")
            ctx.messages.data_changed.emit("*")

    def failed(exc: BaseException) -> None:  # the next start tries again
        log.warning("pending lot figures not computed: %s", exc)

    ctx.tasks.run(work, on_done=done, on_error=failed)


def check_in_background(ctx: AppContext,
                        on_damaged: Callable[[AppContext, DamagedDatabaseError], None]) -> None:
    """Run the ``quick_check`` (and seal check) that ``open_guarded(check_later=True)`` left
    out, on a worker thread with its own read-only connection; ``on_damaged(ctx, error)`` is
    called on the GUI thread if the file is damaged. Worker connections opened meanwhile wait
    for this one check (:func:`roasterdesk.store.db.quick_check`)."""
    from ..store.db import quick_check

    if not ctx.unchecked or ctx.checking:
        return
    ctx.checking = True
    path = Path(ctx.db_path)

    def passed(_result: object) -> None:
        ctx.unchecked = ctx.checking = False

    def failed(exc: BaseException) -> None:
        ctx.checking = False
        if isinstance(exc, DamagedDatabaseError):
            ctx.damaged = True
            on_damaged(ctx, exc)
        elif isinstance(exc, OSError):  # moved or deleted meanwhile: the next open checks it
            ctx.messages.warning.emit(f"{path} could not be checked: {exc}")
        else:
            raise exc

    ctx.tasks.run(lambda _progress, _cancelled: quick_check(path), on_done=passed,
                  on_error=failed)


def full_check_in_background(ctx: AppContext,
                             on_damaged: Callable[[AppContext, DamagedDatabaseError], None],
                             *, on_finished: Callable[[], None] | None = None,
                             visible: bool = False) -> object | None:
    """Run SQLite's full ``integrity_check`` (:mod:`roasterdesk.store.integrity`) on a worker
    thread with its own read-only connection, and record when it passed. Quiet when started by
    the app (after an unclean close, weekly); with ``visible`` (the user asked) a progress
    dialog with Cancel, and the result in a message. ``on_damaged(ctx, error)`` is called on
    the GUI thread if the file is damaged; ``on_finished()`` after any outcome."""
    from ..store.integrity import CheckCancelled, full_check

    if ctx.full_checking or ctx.damaged:
        return None
    ctx.full_checking = True
    path = Path(ctx.db_path)

    def finished() -> None:
        ctx.full_checking = False
        if on_finished is not None:
            on_finished()

    def passed(_result: object) -> None:
        ctx.unclean_close = False
        finished()
        if visible:
            ctx.messages.info.emit(f"{path.name} passed the full check")

    def failed(exc: BaseException) -> None:
        finished()
        if isinstance(exc, CheckCancelled):
            ctx.messages.info.emit("Full check stopped; it runs again later")
        elif isinstance(exc, DamagedDatabaseError):
            ctx.damaged = True
            on_damaged(ctx, exc)
        elif isinstance(exc, OSError):  # moved or deleted meanwhile
            ctx.messages.warning.emit(f"{path} could not be checked: {exc}")
        else:
            ctx.tasks.report(exc)

    return ctx.tasks.run(lambda _progress, cancelled: full_check(path, cancelled=cancelled),
                         on_done=passed, on_error=failed,
                         label="Checking every page and index of the database…" if visible
                         else "", cancellable=visible)
