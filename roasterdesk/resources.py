"""One helper to find shipped files (``resources/`` and ``reports/``), from source or frozen.

In development and editable installs the folders sit beside the package; in the PyInstaller build
they are data files unpacked under ``sys._MEIPASS``. Everything that loads a font, an icon or a
report template goes through :func:`resource_path` or :func:`reports_path`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _roots() -> list[Path]:
    roots = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen))
    roots.append(Path(__file__).resolve().parent.parent)
    return roots


def _find(folder: str, *parts: str) -> Path:
    for root in _roots():
        candidate = root.joinpath(folder, *parts)
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"missing shipped file {folder}/{'/'.join(parts)}")


def resource_path(*parts: str) -> Path:
    """A file or folder under ``resources/`` (e.g. ``resource_path("fonts", "x.ttf")``)."""
    return _find("resources", *parts)


def reports_path(*parts: str) -> Path:
    """A file or folder under ``reports/`` (report templates)."""
    return _find("reports", *parts)
