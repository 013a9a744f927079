"""Turning Python values into SQLite cells and back.

Money and quantities are stored as TEXT so that ``Decimal`` survives exactly; dates as ISO text;
lists and small structures as JSON text.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ..domain.text import clean_text


def d2s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def s2d(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def date2s(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def s2date(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def j(value: Any) -> str:
    """JSON text of ``value``, its strings cleaned of control characters first (JSON would
    otherwise carry them as ``\\u0007`` escapes past the store's cleaning)."""
    return json.dumps(_cleaned(value), ensure_ascii=False, separators=(",", ":"))


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    return value


def unj(value: str | None, default: Any = None) -> Any:
    if value is None or value == "":
        return default
    return json.loads(value)


def b2i(value: bool | None) -> int | None:
    return None if value is None else int(value)


def i2b(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
