"""List first paint, search-as-you-type and lot-editor recompute, in this process (offscreen).

- ``list_first_paint_ms``: the worst of the producer, visit and lot lists; each is model
  creation + first page fetched + the view painted (``repaint()``), median of several runs.
- ``search_p95_ms``: typing words taken from real visit notes into the Visits page search box,
  one character at a time; each keystroke is timed until the table has repainted.
- ``recompute_ms``: median time from a keystroke in the lot editor to the figures recomputed
  and the changed labels repainted (pending paint events processed).
"""

from __future__ import annotations

import gc
import random
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def _p95(values: list[float]) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def run(db_path: Path, repeats: int = 7) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.settings import Settings
    from roasterdesk.ui.style import apply_style
    from roasterdesk.ui.widgets import make_table

    app = QApplication.instance() or QApplication([])
    apply_style(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        ctx = AppContext.create(Path(db_path), settings=Settings(Path(tmp) / "s.ini"))
        try:
            out: dict[str, Any] = {}
            out.update(_first_paint(ctx, make_table, app, repeats))
            out.update(_search(ctx, app))
            out.update(_recompute(ctx, app))
            from roasterdesk.startup import rss_mb

            out["rss_after_ui_bench_mb"] = round(rss_mb(), 1)
            return out
        finally:
            ctx.close()


def _models(ctx: Any) -> dict[str, Any]:
    from roasterdesk.ui.views.lots import LotListModel
    from roasterdesk.ui.views.visits import VisitListModel

    makers: dict[str, Any] = {"visits": VisitListModel, "lots": LotListModel}
    try:
        from roasterdesk.ui.models.producers import ProducerTableModel

        makers["producers"] = ProducerTableModel
    except ImportError:
        pass
    return makers


def _first_paint(ctx: Any, make_table: Any, app: Any, repeats: int) -> dict[str, Any]:
    per: dict[str, dict[str, float]] = {}
    for name, make in _models(ctx).items():
        times = []
        for _ in range(repeats):
            gc.collect()
            t0 = time.perf_counter()
            model = make(ctx)
            view = make_table(model)
            view.resize(1200, 700)
            view.show()
            view.repaint()
            times.append(_ms(t0))
            view.close()
            view.deleteLater()
            app.processEvents()
        per[name] = {"first_ms": round(times[0], 1), "median_ms": round(statistics.median(times),
                                                                         1)}
    worst = max(v["median_ms"] for v in per.values())
    return {"list_first_paint_ms": worst, "list_first_paint": per,
            **_lot_sorts(ctx, make_table, app), **_lot_queries(ctx)}


def _lot_sorts(ctx: Any, make_table: Any, app: Any) -> dict[str, Any]:
    """Clicking a lot-table header: a new ORDER BY over every lot, first page painted."""
    from PySide6.QtCore import Qt

    from roasterdesk.ui.views.lots import LotListModel

    model = LotListModel(ctx)
    view = make_table(model)
    view.resize(1200, 700)
    view.show()
    per = {}
    for col in range(model.columnCount()):
        t0 = time.perf_counter()
        model.sort(col, Qt.SortOrder.DescendingOrder)
        view.repaint()
        per[model.headerData(col, Qt.Orientation.Horizontal)] = round(_ms(t0), 1)
    view.close()
    view.deleteLater()
    app.processEvents()
    return {"lot_sort_worst_ms": max(per.values()), "lot_sort_ms": per}


LOT_SEARCHES = ("huila", "finca", "co", "geisha", "ke 2", "sidamo", "maria", "zzzq")


def _lot_queries(ctx: Any) -> dict[str, Any]:
    """The lot table's first page under every filter the page offers (searches from rare to
    matching a third of the lots, a status, a harvest, a process, one producer, incomplete
    statements) × every sort column × both directions: the time from choosing to the rows."""
    from PySide6.QtCore import Qt

    from roasterdesk.ui.views.lots import LotListModel, lot_filter

    db = ctx.db
    producer = db.execute("SELECT producer_id FROM lots GROUP BY producer_id "
                          "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    filters: list[dict[str, Any]] = [
        {}, {"harvest": 2019}, {"status": "cancelled"}, {"status": "contracted"},
        {"process": "honey"}, {"producer_id": producer}, {"incomplete": True},
        *({"text": t} for t in LOT_SEARCHES)]
    model = LotListModel(ctx)
    times = []
    for f in filters:
        for col in range(model.columnCount()):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                t0 = time.perf_counter()
                model.query.where, model.query.params = lot_filter(**f, db=db)
                model.sort(col, order)
                times.append(_ms(t0))
    times.sort()
    return {"lot_query_worst_ms": round(times[-1], 1),
            "lot_query_p90_ms": round(times[int(len(times) * 0.9)], 1),
            "lot_query_median_ms": round(statistics.median(times), 1),
            "lot_queries": len(times)}


def _words(ctx: Any, n: int = 12) -> list[str]:
    rng = random.Random(7)
    rows = ctx.store.db.execute(
        "SELECT notes FROM visits WHERE notes != '' ORDER BY id LIMIT 2000").fetchall()
    words: list[str] = []
    for (notes,) in rng.sample(rows, min(len(rows), 200)):
        for w in re.findall(r"[^\W\d_]{5,}", notes):
            if w.lower() not in words:
                words.append(w.lower())
    rng.shuffle(words)
    return words[:n] or ["drying", "compost"]


def _search(ctx: Any, app: Any) -> dict[str, Any]:
    from roasterdesk.ui.views.visits import VisitsPage

    page = VisitsPage(ctx)
    page.resize(1400, 900)
    page.show()
    app.processEvents()
    times = []
    words = _words(ctx)
    for word in words:
        page.search.clear()
        app.processEvents()
        for i in range(1, len(word) + 1):
            t0 = time.perf_counter()
            page.search.setText(word[:i])
            page.table.repaint()
            times.append(_ms(t0))
    page.close()
    page.deleteLater()
    app.processEvents()
    return {"search_p95_ms": round(_p95(times), 1),
            "search_median_ms": round(statistics.median(times), 1),
            "search_max_ms": round(max(times), 1), "search_keystrokes": len(times),
            "search_words": words}


def _recompute(ctx: Any, app: Any, n: int = 60) -> dict[str, Any]:
    from roasterdesk.ui.views.lots import LotEditor

    row = ctx.store.db.execute(
        "SELECT id FROM lots WHERE contract_type = 'ptbf' AND fg_amount IS NOT NULL "
        "ORDER BY id LIMIT 1").fetchone() or ctx.store.db.execute(
        "SELECT id FROM lots ORDER BY id LIMIT 1").fetchone()
    editor = LotEditor(ctx)
    editor.resize(1200, 800)
    editor.show()
    t0 = time.perf_counter()
    editor.load(ctx.store.lot(row[0]))
    open_ms = _ms(t0)
    app.processEvents()
    field = editor.w["moisture_pct"]
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        field.setText(f"{10 + i % 3}.{i % 10}")  # one keystroke's worth of change
        app.processEvents()  # the changed labels repainted
        times.append(_ms(t0))
    editor.close()
    editor.deleteLater()
    app.processEvents()
    return {"recompute_ms": round(statistics.median(times), 2),
            "recompute_p95_ms": round(_p95(times), 2),
            "lot_editor_open_ms": round(open_ms, 1)}
