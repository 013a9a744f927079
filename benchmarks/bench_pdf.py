"""Impact-statement speed: one statement, its overhead over reportlab alone, batch speed-up.

- ``pdf_ms``: one statement of a lot of the ``roaster`` demo, warm (fonts registered), from the
  open database to PDF bytes (load the records + lay out + write), median of several runs.
- ``pdf_floor_ratio``: our rendering from the loaded statement data, divided by reportlab alone
  building a document of the same content, measured interleaved in the same run. The floor is
  given the statement's content as plain data (paragraph texts and styles, table cells, widths
  and style commands, the finished drawings and images) and builds it directly: it constructs
  the same Paragraphs and Tables and lays them out with the same page template. Drawings are
  handed over finished, so chart construction counts against us only.
  ``pdf_floor_build_ratio`` is the stricter variant: the floor gets the flowables already
  constructed and only lays them out.
- ``batch_speedup``: every (not cancelled) lot of one harvest of the ``roaster`` demo exported
  with one process (in-process) vs two worker processes, each opening its own read-only store
  (their start-up included), started as the command line starts them (fork).
  ``batch_speedup_app`` is the same with the workers the app uses (a fork server, already
  running as it is after the first batch of a session).
  The harvest is the one whose lot count is nearest 100; one and two processes are timed
  interleaved three times and the median of the three ratios is reported.

The ``roaster`` demo is ``/tmp/demo-roaster.sqlite`` when it exists, else it is built in a
temporary folder. ``db_path`` (the harness's large demo) is not needed here.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROASTER_DB = Path(tempfile.gettempdir()) / "demo-roaster.sqlite"
REPEATS = 7
BATCH_TARGET_LOTS = 100
BATCH_ROUNDS = 3


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


def recipe_of(story: list[Any]) -> list[Any]:
    """The story as plain data the floor can rebuild flowables from."""
    from reportlab.platypus import KeepTogether, Paragraph, Table

    def one(f: Any) -> Any:
        if isinstance(f, Paragraph):
            return ("p", f.text, f.style)
        if isinstance(f, Table):
            cells = [[one_cell(c) for c in row] for row in f._cellvalues]
            return ("t", cells, f._argW, f.hAlign, f.repeatRows, f._bench_cmds)
        if isinstance(f, KeepTogether):
            return ("k", [one(x) for x in f._content])
        return ("x", f)  # spacers, page-break conditions, drawings, images: as they are

    def one_cell(c: Any) -> Any:
        if isinstance(c, list):
            return ("l", [one(x) for x in c])
        if isinstance(c, (Paragraph, Table, KeepTogether)):
            return one(c)
        return ("x", c)

    return [one(f) for f in story]


def build_from_recipe(recipe: list[Any]) -> list[Any]:
    """What reportlab code written by hand for this content would construct."""
    from reportlab.platypus import KeepTogether, Paragraph, Table, TableStyle

    def make(r: Any) -> Any:
        kind = r[0]
        if kind == "p":
            return Paragraph(r[1], r[2])
        if kind == "t":
            t = Table([[make(c) for c in row] for row in r[1]], colWidths=r[2], hAlign=r[3],
                      repeatRows=r[4])
            t.setStyle(TableStyle(r[5]))
            return t
        if kind == "k":
            return KeepTogether([make(x) for x in r[1]])
        if kind == "l":
            return [make(x) for x in r[1]]
        return r[1]

    return [make(r) for r in recipe]


def recorded_story(data: Any, tpl: Any) -> list[Any]:
    """Our story, with each table's style commands kept for :func:`recipe_of`."""
    from reportlab.platypus import Table

    from roasterdesk.pdf import render as R

    original = Table.setStyle

    def set_style(self: Any, style: Any) -> None:
        cmds = list(style.getCommands()) if hasattr(style, "getCommands") else list(style)
        self._bench_cmds = getattr(self, "_bench_cmds", []) + cmds
        original(self, style)

    Table.setStyle = set_style  # type: ignore[method-assign]
    try:
        return R.build_story(data, tpl)
    finally:
        Table.setStyle = original  # type: ignore[method-assign]


def measure_statement(db: Path) -> dict[str, Any]:
    from roasterdesk.pdf import load_template, render_statement
    from roasterdesk.pdf import render as R
    from roasterdesk.services.statement import load_statement, open_read_only
    from roasterdesk.services.statement_batch import count_pages

    store = open_read_only(db)
    try:
        # a lot with its whole price chain (FOB and farm gate), from the latest harvest that has
        # one, taken from the middle of that harvest's list
        tpl = load_template()
        data = None
        for harvest in sorted(store.harvests(), reverse=True):
            lots = store.lots_where("harvest = ? AND status != 'cancelled'", [harvest])
            lots = lots[len(lots) // 2:] + lots[:len(lots) // 2]
            for lot in lots:
                data = load_statement(store, lot.id)
                if data.analysis.economics.split is not None:
                    break
            if data is not None and data.analysis.economics.split is not None:
                break
        assert data is not None
        lot = data.lot
        pdf = render_statement(data, tpl)  # warm: fonts, imports
        recipe = recipe_of(recorded_story(data, tpl))
        floor_pdf = io.BytesIO()
        R.make_doc(floor_pdf, data, tpl).build(build_from_recipe(recipe))
        assert count_pages(floor_pdf.getvalue()) == count_pages(pdf), "floor differs"
        full, ours, floor, build = [], [], [], []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            render_statement(load_statement(store, lot.id), tpl)
            t1 = time.perf_counter()
            render_statement(data, tpl)
            t2 = time.perf_counter()
            R.make_doc(io.BytesIO(), data, tpl).build(build_from_recipe(recipe))
            t3 = time.perf_counter()
            story = R.build_story(data, tpl)  # constructed outside the timed build
            t4 = time.perf_counter()
            R.make_doc(io.BytesIO(), data, tpl).build(story)
            t5 = time.perf_counter()
            full.append(t1 - t0)
            ours.append(t2 - t1)
            floor.append(t3 - t2)
            build.append(t5 - t4)
    finally:
        store.close()
    return {
        "pdf_ms": round(statistics.median(full) * 1000, 1),
        "pdf_floor_ratio": round(statistics.median(ours) / statistics.median(floor), 2),
        "pdf_render_ms": round(statistics.median(ours) * 1000, 1),
        "pdf_floor_ms": round(statistics.median(floor) * 1000, 1),
        "pdf_floor_build_ratio": round(statistics.median(ours) / statistics.median(build), 2),
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
    import multiprocessing as mp

    def timed(n: int, start: str | None, tag: str) -> float:
        out = work / f"batch-{tag}"
        t0 = time.perf_counter()
        done = export_batch(db, lots, out, processes=n, start=start)
        elapsed = time.perf_counter() - t0
        assert len(done) == len(lots)
        shutil.rmtree(out)
        return elapsed

    load_before = os.getloadavg()[0]
    two_start = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    # one and two processes interleaved, ROUNDS times: other work on a shared machine moves
    # both alike; the median of the per-round ratios is reported
    ones, twos, ratios = [], [], []
    for i in range(BATCH_ROUNDS):
        one = timed(1, None, f"1-{i}")
        two = timed(2, two_start, f"2-{i}")
        ones.append(one)
        twos.append(two)
        ratios.append(one / two)
    methods = mp.get_all_start_methods()
    app_start = "forkserver" if "forkserver" in methods else "spawn"
    timed(2, app_start, "app-warm")  # the app's fork server starts once per session
    app = timed(2, app_start, "app")
    return {
        # other work on the machine (1-minute load average before the batch) caps the speed-up
        "batch_load_before": round(load_before, 2),
        "batch_speedup": round(statistics.median(ratios), 2),
        "batch_speedup_app": round(statistics.median(ones) / app, 2),
        "batch_lots": len(lots),
        "batch_harvest": harvest,
        "batch_1_s": round(statistics.median(ones), 1),
        "batch_2_s": round(statistics.median(twos), 1),
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
