"""A second floor for start-up: a *furnished* PySide6 window with no RoasterDesk code
(``python -m benchmarks.startup_furnished DB``).

What any window like the app's must do before its first paint: the app's stylesheet, a sidebar
list, four menus of eight actions with shortcuts, a status bar, and four list cards filled from
one SQLite query. The gap between this and the bare window is the cost of the window's content
in PySide6; the gap between this and the app is the cost of the app's own code. Prints the same
JSON line as :mod:`benchmarks.startup_child`.
"""

from __future__ import annotations

import json
import sys
import time

T0 = time.perf_counter()

QUERY = ("SELECT p.name, c.scheme, c.valid_to FROM certifications c "
         "JOIN producers p ON p.id = c.producer_id ORDER BY c.valid_to DESC LIMIT 100")


def main(db: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication([sys.argv[0]])
    import sqlite3

    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

    from roasterdesk.ui.style import STYLESHEET

    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = conn.execute(QUERY).fetchall()
    window = QMainWindow()
    window.resize(1280, 800)
    for title in ("&File", "&Edit", "&Go", "&Help"):
        menu = window.menuBar().addMenu(title)
        for n in range(8):
            action = QAction(f"Action {n}", window)
            action.setShortcut(QKeySequence(f"Ctrl+Shift+{n}"))
            menu.addAction(action)
    central = QWidget()
    row = QHBoxLayout(central)
    nav = QListWidget()
    nav.setObjectName("nav")
    nav.addItems(["Overview", "Producers", "Visits", "Lots", "Commitments & projects"])
    row.addWidget(nav)
    page = QWidget()
    column = QVBoxLayout(page)
    heading = QLabel("Overview")
    heading.setObjectName("h1")
    column.addWidget(heading)
    for n in range(4):
        column.addWidget(QLabel(f"Card {n + 1}"))
        items = QListWidget()
        items.setObjectName("items")
        items.addItems([" — ".join(str(v) for v in r) for r in rows])
        column.addWidget(items)
    row.addWidget(page, 1)
    window.setCentralWidget(central)
    window.statusBar().showMessage(f"Database: {db}")
    window.show()

    def ready() -> None:
        window.repaint()
        print(json.dumps({"inside_ms": (time.perf_counter() - T0) * 1000}), flush=True)
        conn.close()
        app.quit()

    QTimer.singleShot(0, ready)
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
