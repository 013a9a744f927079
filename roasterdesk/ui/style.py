"""The look: one light, calm stylesheet applied to the whole application."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

ACCENT = "#6b4226"  # roasted coffee
WARN = "#b3261e"
OK = "#2e7d32"
MUTED = "#6b6b6b"
SORT_ROOM = 20  # px at a column title's right for the sort arrow: it never covers the title
INK = "#1e1611"  # text on the white fields: never the desktop theme's (light on dark) colour

STYLESHEET = f"""
QMainWindow, QDialog {{ background: #fafaf8; }}
QWidget#sidebar {{ background: #f1ede8; border-right: 1px solid #e0d9d0; }}
QListWidget#nav {{ background: transparent; border: none; font-size: 10.5pt; outline: 0; }}
QListWidget#nav::item {{ padding: 9px 14px; margin: 1px 6px; border-radius: 6px; color: #3b2f25; }}
QListWidget#nav::item:selected {{ background: {ACCENT}; color: white; }}
QListWidget#nav::item:hover:!selected {{ background: #e6ddd3; }}
QLabel#appTitle {{ font-size: 13pt; font-weight: 600; color: {ACCENT}; padding: 14px 16px 8px; }}
QLabel#h1 {{ font-size: 15pt; font-weight: 600; color: #2b2119; }}
QLabel#h2 {{ font-size: 11pt; font-weight: 600; color: #3b2f25; margin-top: 4px; }}
QLabel#muted {{ color: {MUTED}; }}
QLabel#formError {{ color: {WARN}; background: #fdecea; border: 1px solid #f5c2bd;
                   border-radius: 4px; padding: 6px 8px; }}
QLabel#placeholder {{ color: {MUTED}; font-size: 11pt; }}
QFrame#card {{ background: white; border: 1px solid #e4e0da; border-radius: 8px; }}
QFrame#rule {{ color: #e4e0da; }}
QTableView, QListWidget#items {{ background: white; alternate-background-color: #f7f5f2;
    border: 1px solid #e4e0da; border-radius: 4px; selection-background-color: #e8d9c8;
    selection-color: #1e1611; gridline-color: #eeeeee; }}
QListWidget#items::item {{ padding: 5px 6px; }}
QHeaderView::section {{ background: #f3f0ec; border: none; border-bottom: 1px solid #e0d9d0;
    padding: 5px 8px; font-weight: 600; color: #3b2f25; }}
QTableView[sortable="true"] QHeaderView::section:horizontal {{ padding-right: {SORT_ROOM}px; }}
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QSpinBox, QDoubleSpinBox {{
    background: white; color: {INK}; border: 1px solid #cfc8bf; border-radius: 4px;
    padding: 3px 5px; }}
QComboBox QAbstractItemView {{ background: white; color: {INK};
    selection-background-color: #e8d9c8; selection-color: {INK}; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus {{ border: 1px solid {ACCENT}; }}
*[invalid="true"] {{ border: 1px solid {WARN}; background: #fff6f5; }}
QPushButton {{ padding: 5px 14px; border: 1px solid #cfc8bf; border-radius: 4px;
    background: white; }}
QPushButton:hover {{ background: #f3efe9; }}
QPushButton:default, QPushButton#primary {{ background: {ACCENT}; color: white;
    border-color: {ACCENT}; }}
QPushButton:disabled, QPushButton:default:disabled, QPushButton#primary:disabled {{
    color: #aaa; background: #f4f4f4; border-color: #ddd8d0; }}
QTabWidget::pane {{ border: 1px solid #e4e0da; border-radius: 4px; background: #fafaf8;
    top: -1px; }}
QTabBar::tab {{ padding: 6px 14px; border: 1px solid transparent; color: #4a3d31; }}
QTabBar::tab:selected {{ background: #fafaf8; border: 1px solid #e4e0da;
    border-bottom-color: #fafaf8;
    border-top-left-radius: 4px; border-top-right-radius: 4px; color: #1e1611; font-weight: 600; }}
QStatusBar {{ background: #f1ede8; color: #4a3d31; }}
"""


def apply_style(app: QApplication) -> None:
    """Fusion with its own light palette: a dark desktop theme's light text would otherwise
    show on the white fields as nothing (a dropdown's current item looked blank)."""
    app.setStyle("Fusion")
    app.setPalette(app.style().standardPalette())
    f = QFont(app.font())
    if f.pointSizeF() < 10:
        f.setPointSizeF(10)
    app.setFont(f)
    app.setStyleSheet(STYLESHEET)
