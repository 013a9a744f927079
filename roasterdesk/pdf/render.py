"""Lay out a lot's impact statement with reportlab platypus.

Every figure comes from :class:`~roasterdesk.services.statement.StatementData` (computed by the
domain); this module only formats (``roasterdesk.domain.money``) and places them. A figure the
records do not hold is written as the template's "not recorded".
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from .fonts import REGULAR, register_fonts
from .sections_lot import LotSections
from .sections_money import MoneySections
from .sections_record import RecordSections
from .styles import FONT, HEAD_ROOM, MARGIN, Styles
from .template import Template

if TYPE_CHECKING:
    from .data import StatementData

__all__ = ["FONT", "HEAD_ROOM", "MARGIN", "PAGES", "Statement", "Styles", "build_story",
           "make_doc", "page_size", "render"]


class Statement(LotSections, MoneySections, RecordSections):
    """One rendering: template + data + styles → a list of flowables."""

    def story(self) -> list[Flowable]:
        out: list[Flowable] = [self.title_band()]
        sections = list(self.tpl.sections)
        while sections:
            section = sections.pop(0)
            if section == "link" and sections[:1] == ["methodology"]:
                sections.pop(0)
                out += self.link(with_methodology=True)
            else:
                out += getattr(self, section)()
        return out



def page_size(tpl: Template) -> tuple[float, float]:
    return A4 if tpl.paper == "A4" else LETTER


def make_doc(buf: io.BytesIO, data: StatementData, tpl: Template,
             compress: bool = True) -> BaseDocTemplate:
    """The document: metadata without personal data, a footer on every page."""
    size = page_size(tpl)
    lot = data.lot
    doc = BaseDocTemplate(
        buf, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{tpl.t('title')} — {lot.code}",
        author=tpl.roaster or "RoasterDesk",
        subject=f"{tpl.t('lot')} {lot.code}, {tpl.t('harvest')} {data.harvest_name}",
        keywords="coffee, impact statement, transparency, FOB, farm gate",
        creator="RoasterDesk",
        pageCompression=1 if compress else 0,
        lang=tpl.language,
        # the canvas starts in our font, so no unused (and unembedded) Helvetica is listed
        initialFontName=REGULAR, initialFontSize=9,
    )
    footer_left = " · ".join(x for x in (tpl.roaster, tpl.t("title"), lot.code) if x)
    footer_mid = tpl.t("statement_date", date=data.on.isoformat())
    muted = HexColor(tpl.colours["muted"])
    rule = HexColor(tpl.colours["rule"])

    def footer(canvas: Any, doc_: Any) -> None:
        canvas.saveState()
        y = MARGIN - 2 * mm
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 9, size[0] - MARGIN, y + 9)
        canvas.setFont(REGULAR, 7)
        canvas.setFillColor(muted)
        canvas.drawString(MARGIN, y, footer_left)
        canvas.drawCentredString(size[0] / 2, y, footer_mid)
        canvas.drawRightString(size[0] - MARGIN, y, tpl.t("page", n=doc_.page))
        canvas.restoreState()

    frame = Frame(MARGIN, MARGIN + 4 * mm, size[0] - 2 * MARGIN, size[1] - 2 * MARGIN - 4 * mm,
                  id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=footer)])
    return doc


PAGES = 3  # a statement aims at three pages; one that needs more is set compact first


def build_story(data: StatementData, tpl: Template, compact: bool = False) -> list[Flowable]:
    register_fonts()
    width = page_size(tpl)[0] - 2 * MARGIN
    return Statement(data, tpl, width, compact).story()


def render(data: StatementData, tpl: Template, *, compress: bool = True) -> bytes:
    """The PDF. Set as usual; when that needs more than ``PAGES`` pages, set again with
    compact spacing, and the compact one is kept when it has fewer pages."""
    register_fonts()
    best: tuple[int, bytes] | None = None
    for compact in (False, True):
        buf = io.BytesIO()
        doc = make_doc(buf, data, tpl, compress)
        doc.build(build_story(data, tpl, compact))
        if best is None or doc.page < best[0]:
            best = (doc.page, buf.getvalue())
        if doc.page <= PAGES:
            break
    assert best is not None
    return best[1]
