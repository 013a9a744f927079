"""SQLite storage through sqlite-utils: opening, migrations, repositories.

The errors are imported at once (every command needs them to report a failure); the
:class:`Store` facade and its domain model load on first use, so starting the app or a light
command does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    NewerDatabaseError,
    NotADatabaseError,
    RecordNotFound,
    StoreError,
    ValidationError,
)

if TYPE_CHECKING:
    from .store import LotAnalysis, SearchHit, Store, current_harvest

__all__ = [
    "LotAnalysis", "NewerDatabaseError", "NotADatabaseError", "RecordNotFound", "SearchHit",
    "Store", "StoreError", "ValidationError", "current_harvest",
]
_LAZY = {"LotAnalysis", "SearchHit", "Store", "current_harvest"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
