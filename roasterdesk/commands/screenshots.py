"""``roasterdesk screenshots``: render every page of the app offscreen to PNG files.

For documentation and visual checks: overview, producer list, each tab of one producer, a new
producer, the plot dialog, visit log and editor, lot list and editor, commitments & projects and
the map. The window is rendered at a fixed size with settings kept in a temporary file (the
user's own settings are not touched). ``--scale 2`` renders at a device pixel ratio of 2 (as on
a high-density screen: the PNG has twice the pixels each way); ``--both`` renders the two
reference sizes, 1280×800 and 1920×1080 at 2×, into sub-folders.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..cli import resolve_db
from ..errors import UserError

NAME = "screenshots"
HELP = "render every page of the app offscreen to PNG files (for docs and checks)"

WIDTH, HEIGHT = 1280, 800
SIZES = ((1280, 800, 1.0), (1920, 1080, 2.0))  # the reference sizes of --both


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out-dir", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--width", type=int, default=WIDTH, help=f"window width (default {WIDTH})")
    parser.add_argument("--height", type=int, default=HEIGHT,
                        help=f"window height (default {HEIGHT})")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="device pixel ratio (2 = a high-density screen; default 1)")
    parser.add_argument("--both", action="store_true",
                        help="render 1280x800 and 1920x1080 at 2x into sub-folders of --out-dir")


def _wait_for_borders(app: Any) -> None:
    """The country borders are read on a worker thread at a map's first paint."""
    import time

    from ..ui.worldmap import borders_ready

    app.processEvents()
    deadline = time.monotonic() + 30
    while not borders_ready() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(3):
        app.processEvents()


def _pick(db, sql: str) -> int | None:  # type: ignore[no-untyped-def]
    row = db.execute(sql).fetchone()
    return int(row[0]) if row else None


def _both(path: Path, out: Path) -> int:
    """Each size in its own process: the pixel ratio is fixed when Qt starts."""
    for width, height, scale in SIZES:
        folder = out / (f"{width}x{height}" + (f"@{scale:g}x" if scale != 1 else ""))
        done = subprocess.run(
            [sys.executable, "-m", "roasterdesk", "screenshots", "--db", str(path),
             "--out-dir", str(folder), "--width", str(width), "--height", str(height),
             "--scale", f"{scale:g}"], check=False)
        if done.returncode:
            return done.returncode
    return 0


def run(args: argparse.Namespace) -> int:
    path = resolve_db(args)
    if not path.exists():
        raise UserError(f"{path}: no such database")
    if args.both:
        return _both(path, Path(args.out_dir))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    if args.scale != 1 and QApplication.instance() is None:
        os.environ["QT_SCALE_FACTOR"] = f"{args.scale:g}"

    from ..ui.context import AppContext
    from ..ui.main_window import MainWindow
    from ..ui.settings import Settings
    from ..ui.style import apply_style

    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(["roasterdesk"])
    apply_style(app)  # type: ignore[arg-type]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "settings.ini")
        ctx = AppContext.create(path, settings=settings)
        written: list[Path] = []
        try:
            window = MainWindow(ctx)
            window.resize(args.width, args.height)
            window.show()

            def shot(name: str, widget: Any = None) -> None:
                ctx.tasks.wait()
                for _ in range(3):
                    app.processEvents()
                target = out / f"{name}.png"
                if not (widget or window).grab().save(str(target)):
                    raise UserError(f"{target}: could not write the image")
                written.append(target)

            window.show_page("overview")
            shot("01-overview")
            producers = window.show_page("producer")
            shot("02-producers")
            db = ctx.store.db
            pid = _pick(db, "SELECT p.id FROM producers p WHERE p.deleted_at IS NULL ORDER BY "
                            "(SELECT count(*) FROM plots WHERE producer_id = p.id) > 0 DESC, "
                            "(SELECT count(*) FROM lots WHERE producer_id = p.id) DESC, p.id "
                            "LIMIT 1")
            if pid is not None:
                producers.open_record(pid)  # type: ignore[attr-defined]
                detail = producers.detail  # type: ignore[attr-defined]
                for n, tab in enumerate(detail.TABS):
                    if not detail.tabs.isTabVisible(n):  # e.g. Members of a farm
                        continue
                    detail.tabs.setCurrentIndex(n)
                    if tab == "Plots":
                        _wait_for_borders(app)
                    shot(f"03-producer-{n + 1}-{tab.lower()}")
                detail.tabs.setCurrentIndex(0)
                from ..ui.editors import PlotDialog

                plot = _pick(db, f"SELECT id FROM plots WHERE producer_id = {pid} AND "
                                 "deleted_at IS NULL ORDER BY geometry LIKE '%Polygon%' DESC "
                                 "LIMIT 1")
                dialog = PlotDialog(ctx, ctx.store.plot(plot) if plot else None,
                                    window, producer_id=pid)
                dialog.show()
                _wait_for_borders(app)
                shot("03-producer-plot-dialog", dialog)
                dialog.reject()
                producers.new_record()  # type: ignore[attr-defined]
                shot("03-producer-new")  # untouched: leaving it asks nothing
            visits = window.show_page("visit")
            shot("04-visits")
            vid = _pick(db, "SELECT v.id FROM visits v WHERE v.deleted_at IS NULL ORDER BY "
                            "(SELECT count(*) FROM follow_ups WHERE visit_id = v.id) DESC, "
                            "length(v.observations) DESC, v.date DESC LIMIT 1")
            if vid is not None:
                window.open_record("visit", vid)
                shot("05-visit-editor")
            del visits
            window.show_page("lot")
            shot("06-lots")
            lid = _pick(db, "SELECT l.id FROM lots l JOIN lot_metrics m ON m.lot_id = l.id "
                            "WHERE l.status IS NOT 'cancelled' ORDER BY m.answered DESC, "
                            "l.harvest DESC LIMIT 1")
            if lid is not None:
                window.open_record("lot", lid)
                shot("07-lot-editor")
            window.show_page("commitment")
            shot("08-commitments")
            window.show_page("map")
            _wait_for_borders(app)
            shot("09-map")
            window.close()
        finally:
            ctx.close()
    for p in written:
        print(p)
    return 0
