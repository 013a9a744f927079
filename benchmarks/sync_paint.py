"""List first paint while the window syncs in the background, against a real local PostgreSQL:

    .venv/bin/python benchmarks/sync_paint.py [--scale roaster] [--json]

Laptop A pushes a demo to a hub and laptop B joins from it. Then A edits every lot and B every
visit; with B open in the window's context, a background sync round starts
(:class:`roasterdesk.ui.background_sync.BackgroundSync`: push B's edits, pull A's) and, while
that round runs on its worker thread, the producer, visit and lot lists are made and painted
again and again (a buyer opening lists every 50 ms). The same lists are timed
with no sync first, in the same run (the floor). Target: the worst list median ≤ 50 ms during a
sync.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_ui import _models  # noqa: E402
from roasterdesk.services import sync  # noqa: E402
from roasterdesk.services.demo import build_demo  # noqa: E402
from roasterdesk.store import Store  # noqa: E402
from tests.pg import remove, start_cluster  # noqa: E402


def _paint_round(ctx, make_table, app) -> dict[str, float]:  # type: ignore[no-untyped-def]
    out = {}
    for name, make in _models(ctx).items():
        gc.collect()
        t0 = time.perf_counter()
        view = make_table(make(ctx))
        view.resize(1200, 700)
        view.show()
        view.repaint()
        out[name] = (time.perf_counter() - t0) * 1000
        view.close()
        view.deleteLater()
        app.processEvents()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="roaster")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from roasterdesk.ui.background_sync import BackgroundSync
    from roasterdesk.ui.context import AppContext
    from roasterdesk.ui.settings import Settings
    from roasterdesk.ui.style import apply_style
    from roasterdesk.ui.widgets import make_table

    app = QApplication.instance() or QApplication([])
    apply_style(app)  # type: ignore[arg-type]
    cluster = start_cluster()
    out: dict[str, object] = {"scale": args.scale}
    try:
        url = cluster.create_database("paint")
        sync.init_hub(url)
        work = Path(tempfile.mkdtemp(prefix="rdpaint-"))
        a, b = work / "a.sqlite", work / "b.sqlite"
        build_demo(a, args.scale)
        with Store.open(a) as s:
            sync.sync(s, url)
        with Store.open(b) as s:  # B joins the team: the same lists, full
            sync.sync(s, url)
        # then both work: A edits every lot's story, B every visit's notes; B's round pushes
        # its edits and pulls A's
        with Store.open(a) as s, s.transaction("Stories"):
            for lot_id, story in s.db.execute("SELECT id, story FROM lots").fetchall():
                s.log.update("lots", lot_id, {"story": (story or "") + " (checked)"})
        with Store.open(a) as s:
            sync.sync(s, url)
        with Store.open(b) as s, s.transaction("Notes"):
            for visit_id, notes in s.db.execute("SELECT id, notes FROM visits").fetchall():
                s.log.update("visits", visit_id, {"notes": (notes or "") + " (typed up)"})
        with Store.open(b) as s:
            out["b_changes_to_push"] = sync.waiting(s)
        ctx = AppContext.create(b, settings=Settings(work / "s.ini"))
        try:
            idle = [_paint_round(ctx, make_table, app) for _ in range(7)]
            runner = BackgroundSync(ctx, every_ms=24 * 3600 * 1000)
            ended: list[str] = []
            runner.finished.connect(ended.append)
            t0 = time.perf_counter()
            assert runner.run(visible=False)
            busy = []
            while not ended:  # a buyer opening lists while the round runs
                busy.append(_paint_round(ctx, make_table, app))
                app.processEvents()
                time.sleep(0.05)
            out["sync_s"] = round(time.perf_counter() - t0, 2)
            out["rounds_during_sync"] = len(busy)
            with Store.open(b) as s:
                out["conflicts_after"] = sync.open_conflicts(s)
                out["pulled_producers"] = s.counts()["producers"]
                out["round_pulled"] = s.db.execute(
                    "SELECT count(*) FROM change_log WHERE origin = 'remote' AND table_name = "
                    "'lots' AND field = 'story'").fetchone()[0]
            ctx.tasks.wait()
        finally:
            ctx.close()
        for label, rounds in (("idle", idle), ("during_sync", busy)):
            med = {k: statistics.median(r[k] for r in rounds) for k in rounds[0]} if rounds \
                else {}
            out[f"{label}_median_ms"] = {k: round(v, 1) for k, v in med.items()}
            out[f"{label}_worst_list_ms"] = round(max(med.values()), 1) if med else None
        if busy:
            out["during_sync_p95_ms"] = round(sorted(
                max(r.values()) for r in busy)[int(0.95 * (len(busy) - 1))], 1)
    finally:
        remove(cluster)
    if args.json:
        print(json.dumps(out))
    else:
        for k, v in out.items():
            print(f"{k:<26} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
