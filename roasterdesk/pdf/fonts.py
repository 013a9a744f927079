"""The embedded typeface: DejaVu Sans (shipped in ``resources/fonts`` with its licence).

It covers Latin Extended and Vietnamese ("Caficultores de Nariño", "Đắk Lắk"), and the ✓ ✗
marks of the checklist. Registered once per process.
"""

from __future__ import annotations

from functools import cache

from ..resources import resource_path

REGULAR = "RDSans"
BOLD = "RDSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    from reportlab.graphics import shapes

    # drawings (charts, QR code) start in our font too: no unembedded Helvetica in the file
    shapes.STATE_DEFAULTS["fontName"] = REGULAR
    return REGULAR, BOLD
