"""The statement's page constants and paragraph styles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from .fonts import BOLD, REGULAR
from .template import Template

if TYPE_CHECKING:
    pass

MARGIN = 15 * mm
HEAD_ROOM = 42 * mm
"""Room a heading needs below it (with the first lines of its section) to start a section."""
FONT = ("FONTNAME", (0, 0), (-1, -1), REGULAR)
"""Every table's own font (reportlab's default is an unembedded Helvetica)."""


class Styles:
    """The statement's paragraph styles; ``compact`` tightens leading and spacing (never the
    type size) for a statement that would otherwise need one more page."""

    def __init__(self, tpl: Template, compact: bool = False) -> None:
        c = tpl.colours
        self.c = {k: HexColor(v) for k, v in c.items()}
        self.compact = compact
        self.photo_height = (24 if compact else 30) * mm
        self.padding = 2 if compact else 3
        base = ParagraphStyle("base", fontName=REGULAR, fontSize=9,
                              leading=11.2 if compact else 12,
                              textColor=self.c["ink"], alignment=TA_LEFT)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=7.8, leading=10.4,
                                    textColor=self.c["muted"])
        self.tiny = ParagraphStyle("tiny", base, fontSize=7, leading=9.4,
                                   textColor=self.c["muted"])
        self.method = ParagraphStyle("method", base, fontSize=8, leading=10 if compact else 10.6,
                                     textColor=self.c["ink"])
        self.url = ParagraphStyle("url", base, fontSize=7.4, leading=9.6,
                                  textColor=self.c["muted"], splitLongWords=0)
        self.label = ParagraphStyle("label", base, fontSize=8, leading=10.8,
                                    textColor=self.c["muted"])
        self.check = ParagraphStyle("check", base, fontSize=8.2, leading=10.8)
        self.value = ParagraphStyle("value", base, fontName=BOLD, fontSize=9, leading=12.2)
        self.value_r = ParagraphStyle("value_r", self.value, alignment=2)
        self.body_r = ParagraphStyle("body_r", base, alignment=2)
        self.h2 = ParagraphStyle("h2", base, fontName=BOLD, fontSize=12.5, leading=16,
                                 textColor=self.c["primary"], spaceBefore=6 if compact else 10,
                                 spaceAfter=3 if compact else 4)
        self.intro = ParagraphStyle("intro", base, textColor=self.c["muted"],
                                    spaceAfter=4 if compact else 6)
        self.quote = ParagraphStyle("quote", base, fontSize=10, leading=14.5,
                                    textColor=self.c["primary"], leftIndent=10)
        self.band_small = ParagraphStyle("band_small", base, fontSize=8.5, leading=11,
                                         textColor=HexColor("#E9DCCF"))
        self.band_title = ParagraphStyle("band_title", base, fontName=BOLD, fontSize=20,
                                         leading=25, textColor=white)
        self.band_sub = ParagraphStyle("band_sub", base, fontSize=9.5, leading=13,
                                       textColor=HexColor("#F3E9DF"))
        self.tile_big = ParagraphStyle("tile_big", base, fontName=BOLD, fontSize=14,
                                       leading=18, textColor=self.c["accent"])
        self.tile_label = ParagraphStyle("tile_label", base, fontName=BOLD, fontSize=7.6,
                                         leading=10, textColor=self.c["primary"])
        self.tile_sub = ParagraphStyle("tile_sub", base, fontSize=7.4, leading=9.6,
                                       textColor=self.c["muted"])
