"""Stable record keys."""

from __future__ import annotations

import uuid as _uuid


def new_uuid() -> str:
    """A new record's uuid: the key that survives syncing between laptops."""
    return str(_uuid.uuid4())
