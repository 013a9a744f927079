"""The floor for start-up: a bare PySide6 window, in a fresh process
(``python -m benchmarks.startup_child``).

Prints one JSON line as soon as the window is shown, painted and the event loop is running,
then quits. The app side of the comparison is the real ``python -m roasterdesk --db DB`` with
``ROASTERDESK_STARTUP_PROBE=1`` (:mod:`roasterdesk.startup`), which prints the same line.
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


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    marks = {"qt": ms()}
    window = QMainWindow()
    window.resize(1280, 800)
    marks["built"] = ms()
    window.show()

    def ready() -> None:
        window.repaint()
        print(json.dumps({"inside_ms": ms(), "marks_ms": marks}), flush=True)
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
