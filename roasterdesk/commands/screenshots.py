"""``roasterdesk screenshots``: render every page of the app offscreen to PNG files.

For documentation and visual checks: overview, producer list, each tab of one producer, visit
log and editor, lot list and editor, commitments & projects. The window is rendered at a fixed
size with settings kept in a temporary file (the user's own settings are not touched).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from ..cli import resolve_db
from ..errors import UserError

NAME = "screenshots"
HELP = "render every page of the app offscreen to PNG files (for docs and checks)"

WIDTH, HEIGHT = 1280, 800


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out-dir", type=Path, required=True, help="folder for the PNG files")
    parser.add_argument("--width", type=int, default=WIDTH, help=f"window width (default {WIDTH})")
    parser.add_argument("--height", type=int, default=HEIGHT,
                        help=f"window height (default {HEIGHT})")


def _pick(db, sql: str) -> int | None:  # type: ignore[no-untyped-def]
    row = db.execute(sql).fetchone()
    return int(row[0]) if row else None


def run(args: argparse.Namespace) -> int:
    path = resolve_db(args)
    if not path.exists():
        raise UserError(f"{path}: no such database")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

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

            def shot(name: str) -> None:
                ctx.tasks.wait()
                for _ in range(3):
                    app.processEvents()
                target = out / f"{name}.png"
                if not window.grab().save(str(target)):
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
                    shot(f"03-producer-{n + 1}-{tab.lower()}")
                detail.tabs.setCurrentIndex(0)
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
            window.close()
        finally:
            ctx.close()
    for p in written:
        print(p)
    return 0
