"""One start-up, in a fresh process: ``python -m benchmarks.startup_child bare|app DB INI``.

Prints one JSON line as soon as the window is shown, painted and the event loop is running,
then quits; ``marks_ms`` in it says when each phase ended (QApplication made, app modules
imported, window built — for the app that includes opening the database), for the breakdown. The parent measures the wall time from spawning this process to that line, so
interpreter start and imports count for both the bare window and the app.
"""

from __future__ import annotations

import json
import os
import sys
import time

T0 = time.perf_counter()


def ms() -> float:
    """Milliseconds since this module started (after the interpreter's own start)."""
    return (time.perf_counter() - T0) * 1000


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def main(argv: list[str]) -> int:
    mode, db, ini = argv[0], argv[1], argv[2]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    marks = {"qt": ms()}
    if mode == "bare":
        window = QMainWindow()
        window.resize(1280, 800)
    else:
        import argparse
        from pathlib import Path

        from roasterdesk.ui.app import start
        from roasterdesk.ui.errors import setup_logging
        from roasterdesk.ui.settings import Settings
        from roasterdesk.ui.style import apply_style

        marks["imports"] = ms()
        setup_logging(Path(ini).parent)
        apply_style(app)
        window = start(argparse.Namespace(db=db, demo=False), settings=Settings(Path(ini)))
    marks["built"] = ms()
    window.show()

    def ready() -> None:
        window.repaint()
        print(json.dumps({"mode": mode, "inside_ms": ms(), "marks_ms": marks,
                          "rss_mb": rss_mb()}), flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()
    if mode != "bare":
        window.ctx.close()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
