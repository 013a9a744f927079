"""Errors whose text is meant for the user (environment or input), as opposed to bugs."""

from __future__ import annotations

from .store.errors import StoreError


class UserError(Exception):
    """Bad input or a missing file: shown as a one-line message, never a traceback."""


KNOWN_ERRORS: tuple[type[BaseException], ...] = (UserError, StoreError, OSError)
