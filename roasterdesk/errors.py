"""Errors whose text is meant for the user (environment or input), as opposed to bugs."""

from __future__ import annotations


class StoreError(Exception):
    """A known problem with the database file or a write; its text is for the user (its kinds:
    :mod:`roasterdesk.store.errors`)."""


class UserError(Exception):
    """Bad input or a missing file: shown as a one-line message, never a traceback."""


KNOWN_ERRORS: tuple[type[BaseException], ...] = (UserError, StoreError, OSError)
