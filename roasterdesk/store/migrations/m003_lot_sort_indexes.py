"""Schema step ``m003_lot_sort_indexes`` (released: never edited; the order is in
:mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m003_lot_sort_indexes(db: Database) -> None:
    """Every lot-table column sorts through an index, so a click on a header reads one page
    instead of every lot (80 ms → under 1 ms on 200,000 lots). The expressions match the lot
    table's ORDER BY terms exactly (``roasterdesk.ui.views.lots.LOT_COLUMNS``).

    The lot_metrics indexes only help when the lot table joins lot_metrics as an inner join,
    which must then never hide a lot: a trigger gives every new lot its lot_metrics row at
    once (the store replaces it with the computed figures in the same transaction), and lots
    without one get one here."""
    db.executescript(
        """
        CREATE INDEX lots_process ON lots(process);
        CREATE INDEX lots_status ON lots(status);
        CREATE INDEX lots_weight
            ON lots(COALESCE(CAST(weight_kg AS REAL), bags * CAST(bag_kg AS REAL)));
        CREATE INDEX lots_score ON lots(CAST(quality_score AS REAL));
        CREATE INDEX lot_metrics_fob ON lot_metrics(fob_usd_lb);
        CREATE INDEX lot_metrics_premium_pct ON lot_metrics(premium_pct);
        CREATE INDEX lot_metrics_answered_share ON lot_metrics(answered * 1.0 / applicable);
        INSERT INTO lot_metrics (lot_id, answered, applicable)
            SELECT id, 0, 0 FROM lots WHERE id NOT IN (SELECT lot_id FROM lot_metrics);
        CREATE TRIGGER lots_have_metrics AFTER INSERT ON lots
        BEGIN
            INSERT OR IGNORE INTO lot_metrics (lot_id, answered, applicable)
            VALUES (new.id, 0, 0);
        END;
        """
    )
