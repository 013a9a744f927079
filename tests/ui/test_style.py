"""The look holds on a dark desktop theme: the current item of a dropdown and the text of a
field are dark on their white background, whatever the desktop's palette says."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from roasterdesk.ui.style import apply_style

pytestmark = [pytest.mark.gui]


@pytest.fixture
def dark_desktop(qapp):
    """A desktop theme of light text on dark: what the app starts with under such a theme."""
    old_palette, old_sheet, old_style = qapp.palette(), qapp.styleSheet(), qapp.style().name()
    dark = QPalette()
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        dark.setColor(role, QColor("white"))
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.Window, QPalette.ColorRole.Button):
        dark.setColor(role, QColor("#202020"))
    qapp.setPalette(dark)
    yield qapp
    qapp.setStyleSheet(old_sheet)
    qapp.setStyle(old_style)
    qapp.setPalette(old_palette)


def _dark_pixels(widget) -> int:
    image = widget.grab().toImage()
    return sum(1 for x in range(image.width()) for y in range(image.height())
               if image.pixelColor(x, y).lightness() < 90)


@pytest.mark.parametrize("text", ["not checked", "Fixed price"])
def test_a_dropdowns_current_item_shows_on_a_dark_desktop_theme(qtbot, dark_desktop, text):
    apply_style(dark_desktop)
    combo = QComboBox()
    combo.addItems([text, "other"])
    field = QLineEdit(text)
    for w in (combo, field):
        qtbot.addWidget(w)
        w.resize(160, 28)
        w.show()
    assert _dark_pixels(combo) > 40, "the dropdown's current item is not drawn dark"
    assert _dark_pixels(field) > 40, "the field's text is not drawn dark"
    assert QApplication.palette().color(QPalette.ColorRole.Text).lightness() < 90
