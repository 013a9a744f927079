"""UI fixtures: a context on a small sample database, the main window, modal-dialog helpers."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

from roasterdesk.ui.context import AppContext
from roasterdesk.ui.settings import Settings

from .sample_data import build


@pytest.fixture
def settings(tmp_path):
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def sample(store):
    return build(store)


@pytest.fixture
def ctx(qapp, db_path, store, sample, settings):
    c = AppContext.create(db_path, settings=settings)
    yield c
    c.close()


@pytest.fixture
def window(qtbot, ctx, db_path, settings, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from roasterdesk.ui.main_window import MainWindow

    w = MainWindow(ctx, open_context=lambda p: AppContext.create(p, settings=settings))
    w.show()  # closed below (not by qtbot: an unsaved edit would ask first)
    w.activateWindow()  # shortcuts reach only the active window on a real X11 server
    qtbot.waitActive(w)
    yield w
    with monkeypatch.context() as m:  # an edit left unsaved by a failing test must not block
        m.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Discard)
        w.close()
    w.ctx.tasks.wait()
    w.deleteLater()
    if w.ctx is not ctx:
        w.ctx.close()


def args(**kw: Any) -> argparse.Namespace:
    return argparse.Namespace(**{"demo": False, **kw})


def with_modal(qtbot, trigger: Callable[[], Any], handle: Callable[[QWidget], Any]) -> list:
    """Press something that opens a modal dialog, then let ``handle`` work in the dialog."""
    seen: list[QWidget] = []
    left_open: list[str] = []

    def act() -> None:
        dlg = QApplication.activeModalWidget()
        if dlg is None:
            QTimer.singleShot(20, act)
            return
        seen.append(dlg)
        try:
            handle(dlg)
        finally:
            if dlg.isVisible():  # still open: the test failed inside; never hang
                left_open.append(getattr(getattr(dlg, "error", None), "text", lambda: "")())
                dlg.reject()

    QTimer.singleShot(0, act)
    trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=3000)
    assert not left_open, f"the dialog stayed open: {left_open}"
    return seen
