"""The writer lock, where services and the app have always found it (it lives in the store:
migrations take it too). See :mod:`roasterdesk.store.lock`."""

from ..store.lock import (
    DEFAULT_WAIT_S,
    WAIT_ENV,
    AlreadyOpenError,
    WriterLock,
    already_open_message,
    default_wait,
    held_here,
    lock_path_for,
    writer_lock,
)

__all__ = [
    "DEFAULT_WAIT_S", "WAIT_ENV", "AlreadyOpenError", "WriterLock", "already_open_message",
    "default_wait", "held_here", "lock_path_for", "writer_lock",
]
