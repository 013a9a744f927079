"""Schema step ``m005_statement_facts`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m005_statement_facts(db: Database) -> None:
    """The ICE London robusta series (USD per metric tonne, monthly), beside the C series: a
    robusta lot is compared with its own market, never with C (docs/domain.md). Made with the
    sync columns every user table has (uuid from the month, as m004 gave ``c_prices``)."""
    db.executescript(
        """
        CREATE TABLE london_prices (
            month TEXT PRIMARY KEY,
            usd_t TEXT NOT NULL,
            uuid TEXT,
            updated_at TEXT,
            deleted_at TEXT
        );
        CREATE UNIQUE INDEX london_prices_uuid ON london_prices(uuid);
        """
    )
