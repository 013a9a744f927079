"""Impact-statement speed: one statement, its overhead over reportlab alone, batch speed-up.

- ``pdf_ms``: one statement of a lot of the ``roaster`` demo, warm (fonts registered), from the
  open database to PDF bytes (load the records + lay out + write), median of several runs.
- ``pdf_floor_ratio``: our rendering from the loaded statement data, divided by reportlab alone
  building a document of the same content — the very same paragraphs, tables and drawings
  already constructed, with the same page template — measured interleaved in the same run.
  The floor leaves out constructing the flowables (paragraph parsing included), so the ratio
  is, if anything, stricter than needed.
- ``batch_speedup``: every (not cancelled) lot of one harvest of the ``roaster`` demo exported
  with one process (in-process) vs two worker processes (spawned, each opening its own read-only
  store; their start-up is included). The harvest is the one whose lot count is nearest 200.

The ``roaster`` demo is ``/tmp/demo-roaster.sqlite`` when it exists, else it is built in a
temporary folder. ``db_path`` (the harness's large demo) is not needed here.
"""

from __future__ import annotations

import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROASTER_DB = Path(tempfile.gettempdir()) / "demo-roaster.sqlite"
REPEATS = 7
BATCH_TARGET_LOTS = 200


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def roaster_db(work: Path) -> Path:
    if ROASTER_DB.exists() and ROASTER_DB.stat().st_size > 0:
        # a private copy: the shared file may be rebuilt while we measure
        copy = work / "roaster.sqlite"
        shutil.copy2(ROASTER_DB, copy)
        return copy
    from roasterdesk.services.demo import build_demo

    path = work / "roaster.sqlite"
    log(f"building the roaster demo at {path}…")
    build_demo(path, "roaster")
    return path


def measure_statement(db: Path) -> dict[str, Any]:
    from roasterdesk.pdf import load_template, render_statement
    from roasterdesk.pdf import render as R
    from roasterdesk.services.statement import load_statement, open_read_only
    from roasterdesk.services.statement_batch import count_pages

    store = open_read_only(db)
    try:
        harvest = max(store.harvests())
        lots = store.lots_where("harvest = ? AND status != 'cancelled'", [harvest])
        lot = lots[len(lots) // 2]
        tpl = load_template()
        data = load_statement(store, lot.id)
        pdf = render_statement(data, tpl)  # warm: fonts, imports
        full, ours, floor = [], [], []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            render_statement(load_statement(store, lot.id), tpl)
            t1 = time.perf_counter()
            render_statement(data, tpl)
            t2 = time.perf_counter()
            story = R.build_story(data, tpl)  # constructed outside the timed floor
            t3 = time.perf_counter()
            R.make_doc(io.BytesIO(), data, tpl).build(story)
            t4 = time.perf_counter()
            full.append(t1 - t0)
            ours.append(t2 - t1)
            floor.append(t4 - t3)
    finally:
        store.close()
    return {
        "pdf_ms": round(statistics.median(full) * 1000, 1),
        "pdf_floor_ratio": round(statistics.median(ours) / statistics.median(floor), 2),
        "pdf_render_ms": round(statistics.median(ours) * 1000, 1),
        "pdf_floor_ms": round(statistics.median(floor) * 1000, 1),
        "pdf_pages": count_pages(pdf),
        "pdf_lot": lot.code,
    }


def measure_batch(db: Path, work: Path) -> dict[str, Any]:
    from roasterdesk.services.statement import open_read_only
    from roasterdesk.services.statement_batch import export_batch

    store = open_read_only(db)
    try:
        counts = dict(store.db.execute(
            "SELECT harvest, count(*) FROM lots WHERE status != 'cancelled' GROUP BY harvest"
        ).fetchall())
        harvest = min(counts, key=lambda h: abs(counts[h] - BATCH_TARGET_LOTS))
        lots = [(x.id, x.code) for x in store.lots_where(
            "harvest = ? AND status != 'cancelled'", [harvest])]
    finally:
        store.close()
    times = {}
    for n in (1, 2):
        out = work / f"batch-{n}"
        t0 = time.perf_counter()
        done = export_batch(db, lots, out, processes=n)
        times[n] = time.perf_counter() - t0
        assert len(done) == len(lots)
        shutil.rmtree(out)
    return {
        "batch_speedup": round(times[1] / times[2], 2),
        "batch_lots": len(lots),
        "batch_harvest": harvest,
        "batch_1_s": round(times[1], 1),
        "batch_2_s": round(times[2], 1),
    }


def run(db_path: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        work = Path(tmp)
        db = roaster_db(work)
        result = measure_statement(db)
        result.update(measure_batch(db, work))
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run()))
