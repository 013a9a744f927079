"""What starting RoasterDesk needs before either face exists: which database file to open.

The command line (:mod:`roasterdesk.cli`, and its commands) and the window
(:mod:`roasterdesk.ui.app`) both use it, so neither imports the other for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def resolve_db(args: Any) -> Path:
    """``--db``, else ``ROASTERDESK_DB``, else the default file in the user's data folder."""
    from .store.db import default_db_path

    db = getattr(args, "db", None)
    return Path(db).expanduser() if db is not None else default_db_path()
