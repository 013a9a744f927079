"""Files the user picks and files the app writes.

Every file dialog starts in the folder the user last chose (Documents the first time, never the
bare home folder) and remembers the new one. After an export, :func:`show_saved` says where the
file went and offers Open and Show in folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

KEY = "files/last_folder"


def documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def start_folder(settings: Any) -> Path:
    """The folder the last file dialog ended in, if it still exists; else Documents."""
    value = settings.q.value(KEY, "") if settings is not None else ""
    folder = Path(str(value)) if value else None
    if folder is not None and folder.is_dir():
        return folder
    return documents()


def remember(settings: Any, path: Path) -> None:
    if settings is not None:
        folder = path if path.is_dir() else path.parent
        settings.q.setValue(KEY, str(folder))


def save_path(parent: QWidget | None, settings: Any, title: str, name: str,
              filters: str) -> Path | None:
    """Ask where to save ``name``; ``None`` if the user cancels."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start_folder(settings) / name),
                                            filters)
    if not chosen:
        return None
    remember(settings, Path(chosen))
    return Path(chosen)


def open_path(parent: QWidget | None, settings: Any, title: str, filters: str) -> Path | None:
    chosen, _ = QFileDialog.getOpenFileName(parent, title, str(start_folder(settings)), filters)
    if not chosen:
        return None
    remember(settings, Path(chosen))
    return Path(chosen)


def open_paths(parent: QWidget | None, settings: Any, title: str, filters: str) -> list[Path]:
    chosen, _ = QFileDialog.getOpenFileNames(parent, title, str(start_folder(settings)), filters)
    if chosen:
        remember(settings, Path(chosen[0]))
    return [Path(c) for c in chosen]


def folder_path(parent: QWidget | None, settings: Any, title: str,
                start: str | Path | None = None) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, title, str(start or start_folder(settings)))
    if not chosen:
        return None
    remember(settings, Path(chosen))
    return Path(chosen)


def open_file(path: Path) -> bool:
    """Open ``path`` with the program the desktop uses for it."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def show_in_folder(path: Path) -> bool:
    """Open the folder holding ``path`` (or ``path`` itself when it is a folder)."""
    folder = path if path.is_dir() else path.parent
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))


def show_saved(parent: QWidget | None, path: Path, text: str) -> QMessageBox | None:
    """A window-modal note of where an export went, with Open and Show in folder (none
    without a window to attach it to: the status bar says it)."""
    if parent is None:
        return None
    box = QMessageBox(QMessageBox.Icon.Information, "Saved", text,
                      QMessageBox.StandardButton.Close, parent)
    box.setInformativeText(str(path))
    if not path.is_dir():
        opener = box.addButton("Open", QMessageBox.ButtonRole.ActionRole)
        opener.clicked.connect(lambda: open_file(path))
    shower = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
    shower.clicked.connect(lambda: show_in_folder(path))
    box.setObjectName("savedNote")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
