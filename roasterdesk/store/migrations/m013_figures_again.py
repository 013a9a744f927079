"""Schema step ``m013_figures_again`` (the order is in :mod:`roasterdesk.store.schema`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def m013_figures_again(db: Database) -> None:
    """Every lot's figures (``lot_metrics``, what the lot list shows and sorts by) are computed
    again, because the rules behind them changed: a PTBF lot fixed in part has no FOB, a C
    recorded without a fixation is not the C at fixation, an offer is not bought, "Labour
    conditions verified" needs every labour topic. Without this a file made before would list
    the old figures until each producer's lots were saved again.

    The step only marks them pending (``sync_state`` key ``metrics_dirty`` = "all": no domain
    code runs inside a schema step); the start-up check computes them over every core
    (:mod:`roasterdesk.services.parallel_figures`), the window after unlocking an encrypted
    file, a sync otherwise. A file without lots (a new one) is not marked."""
    conn = db.conn
    if conn.execute("SELECT 1 FROM lots LIMIT 1").fetchone() is not None:
        conn.execute("INSERT OR REPLACE INTO sync_state (key, value) "
                     "VALUES ('metrics_dirty', 'all')")
