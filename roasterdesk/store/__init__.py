"""SQLite storage through sqlite-utils: opening, migrations, repositories."""

from .errors import (
    NewerDatabaseError,
    NotADatabaseError,
    RecordNotFound,
    StoreError,
    ValidationError,
)
from .store import LotAnalysis, SearchHit, Store, current_harvest

__all__ = [
    "LotAnalysis", "NewerDatabaseError", "NotADatabaseError", "RecordNotFound", "SearchHit",
    "Store", "StoreError", "ValidationError", "current_harvest",
]
