"""Schema step ``m011_open_organic`` (the order is in :mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._shared import relax_in_place

if TYPE_CHECKING:
    from sqlite_utils import Database

_OLD = "organic INTEGER NOT NULL DEFAULT 0"
_RELAXED = "organic INTEGER"


def m011_open_organic(db: Database) -> None:
    """A lot's organic status may be "not recorded" (NULL): a file without an Organic column,
    or with an empty cell, no longer stores "conventional", and the Fairtrade floor is no
    longer computed without the organic differential on a guess. The NOT NULL and the DEFAULT 0
    of ``lots.organic`` go; the reference tables' ``organic`` (living-income references) stays
    required: a reference is published for one or the other.

    Stored 0 and 1 are kept as they are: they were stored before this step, and a typed "no"
    cannot be told from the default an import or the editor gave; a buyer who knows it was
    never recorded sets it back to "not recorded".

    As in ``m010_open_facts``: the table's definition is rewritten in place (removing a
    constraint or a default does not change how rows are stored), the replacement checked to
    match exactly once, and the schema version bumped so every connection reads it."""
    relax_in_place(db.conn, "m011_open_organic", {"lots": ((_OLD, _RELAXED),)})
