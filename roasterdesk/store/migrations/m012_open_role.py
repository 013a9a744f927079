"""Schema step ``m012_open_role`` (the order is in :mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._shared import relax_in_place

if TYPE_CHECKING:
    from sqlite_utils import Database

_OLD = "role TEXT NOT NULL,"
_RELAXED = "role TEXT,"


def m012_open_role(db: Database) -> None:
    """A person's role may be "not recorded" (NULL): a file without a Role column, and the
    person dialog left alone, no longer store an invented "owner" that a statement then prints
    beside the person's name. The NOT NULL of ``people.role`` goes.

    Stored roles are kept as they are: "owner" typed cannot be told from "owner" given by
    default; a buyer who knows it was never recorded sets it back to "not recorded".

    As in ``m010_open_facts``: the table's definition is rewritten in place, the replacement
    checked to match exactly once, and the schema version bumped so every connection reads
    it."""
    relax_in_place(db.conn, "m012_open_role", {"people": ((_OLD, _RELAXED),)})
