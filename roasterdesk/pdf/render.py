"""Lay out a lot's impact statement with reportlab platypus.

Every figure comes from :class:`~roasterdesk.services.statement.StatementData` (computed by the
domain); this module only formats (``roasterdesk.domain.money``) and places them. A figure the
records do not hold is written as the template's "not recorded".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor, white
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.money import fmt_number, fmt_pct, fmt_usd, fmt_usd_lb, round_per_lb
from ..domain.transparency import Answer
from . import charts
from .flow import LeadIn
from .fonts import BOLD, REGULAR, register_fonts
from .template import Template

if TYPE_CHECKING:
    from .data import StatementData

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


class Statement:
    """One rendering: template + data + styles → a list of flowables."""

    def __init__(self, data: StatementData, tpl: Template, width: float,
                 compact: bool = False) -> None:
        self.d = data
        self.tpl = tpl
        self.s = Styles(tpl, compact)
        self.width = width
        self.nr = tpl.t("not_recorded")
        self.eco = data.analysis.economics

    # -- formatting (display only) ----------------------------------------------------------
    def num(self, text: str) -> str:
        """Apply the template's number style (1,234.56 → 1.234,56 for es/de)."""
        if self.tpl.number_style == "en":
            return text
        return re.sub(r"\d[\d,.]*\d", lambda m: m.group(0).translate(str.maketrans(",.", ".,")),
                      text)

    def usd_lb(self, v: Decimal | None) -> str:
        return self.num(fmt_usd_lb(v, self.nr))

    def usd(self, v: Decimal | None) -> str:
        return self.num(fmt_usd(v, self.nr))

    def usd_lb2(self, v: Decimal | None) -> str:
        """A headline price: 2 decimals (tables keep 4)."""
        if v is None:
            return self.nr
        return self.num(f"{fmt_number(v, 2)} USD/lb")

    def pct(self, v: Decimal | None) -> str:
        return self.num(fmt_pct(v, self.nr))

    def plain(self, v: Decimal, places: int = 2) -> str:
        return self.num(fmt_number(v, places))

    def whole(self, v: Decimal | int) -> str:
        d = v if isinstance(v, Decimal) else Decimal(v)
        if d == d.to_integral_value():
            return self.num(f"{int(d):,}")
        return self.plain(d.normalize(), max(0, -d.normalize().as_tuple().exponent))

    def country(self) -> str:
        """The producer's country in the template's language (``[terms]`` by ISO code)."""
        from ..domain.countries import country_name

        code = self.d.analysis.producer.country
        return self.tpl.term(code, country_name(code))

    def region(self) -> str:
        region = self.d.analysis.producer.region
        return f"{region}, {self.country()}" if region else self.country()

    def producer_label(self) -> str:
        """The farm/co-op name, or "a farm in <region>" when it may not be shown."""
        d = self.d
        if d.producer_named:
            return d.producer_label
        kind = d.analysis.producer.kind
        return self.tpl.t("producer_anonymous", kind=self.tpl.term(kind.value, kind.label),
                          region=self.region())

    def day(self, v: date | None) -> str:
        return v.isoformat() if v else self.nr

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def e(self, text: str) -> str:
        return escape(text)

    def missing(self, text: str) -> str:
        return f'<font color="{self.tpl.colours["muted"]}">{escape(text)}</font>'

    # -- building blocks ---------------------------------------------------------------------
    def heading(self, section: str) -> list[Flowable]:
        """A section's heading and intro, never at the foot of a page: a new page unless
        ``HEAD_ROOM`` is left, and the heading kept with its intro (what follows splits)."""
        head: list[Flowable] = [self.p(self.e(self.tpl.heading(section)), self.s.h2)]
        intro = self.tpl.intro(section)
        if intro:
            head.append(self.p(self.e(intro), self.s.intro))
        return [CondPageBreak(HEAD_ROOM), KeepTogether(head)]

    @staticmethod
    def together(out: list[Flowable]) -> list[Flowable]:
        """A section kept on one page: its page-break condition first, then the rest as one."""
        flat: list[Flowable] = []
        for f in out:  # a nested KeepTogether would push the section to a new page
            flat += f._content if isinstance(f, KeepTogether) else [f]
        if flat and isinstance(flat[0], CondPageBreak):
            return [flat[0], KeepTogether(flat[1:])]
        return [KeepTogether(flat)]

    def rule_table(self, rows: list[list[Any]], widths: list[float], *, header: bool = False,
                   align_right: tuple[int, ...] = (), padding: float | None = None) -> Table:
        padding = self.s.padding if padding is None else padding
        t = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
        style = [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # empty cells too: no stray Helvetica
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, self.s.c["rule"]),
        ]
        if header:
            style.append(("LINEBELOW", (0, 0), (-1, 0), 0.8, self.s.c["primary"]))
        for col in align_right:
            style.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
        t.setStyle(TableStyle(style))
        return t

    def kv(self, pairs: list[tuple[str, str]], columns: int = 2,
           label_share: float = 0.36) -> Table:
        """Label/value pairs in ``columns`` side-by-side pairs."""
        rows: list[list[Any]] = []
        per = -(-len(pairs) // columns)
        col_lists = [pairs[i * per:(i + 1) * per] for i in range(columns)]
        for r in range(per):
            row: list[Any] = []
            for col in col_lists:
                if r < len(col):
                    k, v = col[r]
                    row += [self.p(self.e(k), self.s.label), self.p(v, self.s.value)]
                else:
                    row += ["", ""]
            rows.append(row)
        unit = self.width / columns
        widths = [unit * label_share, unit * (1 - label_share)] * columns
        return self.rule_table(rows, widths)

    # -- sections ----------------------------------------------------------------------------
    def title_band(self) -> Table:
        lot = self.d.lot
        t = self.tpl
        top = " · ".join(x for x in (t.roaster, t.t("title")) if x)
        name = self.d.lot_title
        where = [self.producer_label()]
        if self.d.producer_named:  # the anonymous label already names the region
            where.append(self.region())
        sub = " · ".join(self.e(x) for x in where) + " · " \
            f"{self.e(t.t('harvest'))} {self.e(self.d.harvest_name)} · " \
            f"{self.e(t.t('lot'))} {self.e(lot.code)}"
        left = [self.p(self.e(top.upper()), self.s.band_small), Spacer(1, 3),
                self.p(self.e(name), self.s.band_title), Spacer(1, 2),
                self.p(sub, self.s.band_sub)]
        cells: list[Any] = [left]
        widths = [self.width]
        logo = self.logo()
        if logo is not None:
            cells.append(logo)
            widths = [self.width - 30 * mm, 30 * mm]
        band = Table([cells], colWidths=widths)
        band.setStyle(TableStyle([FONT,
            ("BACKGROUND", (0, 0), (-1, -1), self.s.c["primary"]),
            ("LEFTPADDING", (0, 0), (-1, -1), 14), ("RIGHTPADDING", (0, 0), (-1, -1), 14),
            ("TOPPADDING", (0, 0), (-1, -1), 13), ("BOTTOMPADDING", (0, 0), (-1, -1), 14),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("ROUNDEDCORNERS", [6, 6, 6, 6]),
        ]))
        return band

    def logo(self) -> Image | None:
        path = self.tpl.logo
        if path is None or not path.is_file():
            return None
        img = Image(str(path))
        ratio = img.imageHeight / img.imageWidth if img.imageWidth else 1
        img.drawWidth = 24 * mm
        img.drawHeight = 24 * mm * ratio
        return img

    def summary(self) -> list[Flowable]:
        e, t = self.eco, self.tpl
        ck = self.d.analysis.checklist
        prem = self.usd_lb2(e.premium_over_c_usd_lb)
        if e.premium_over_c_usd_lb is not None and e.premium_over_c_usd_lb > 0:
            prem = "+" + prem
        tiles = [
            (t.t("fob_paid"), self.usd_lb2(e.fob_usd_lb), t.t("per_lb_green")),
            (t.t("premium_over_c"), prem,
             f"{self.pct(e.premium_over_c_pct)} · {self.market()} {self.usd_lb2(e.c_usd_lb)}"
             if e.c_usd_lb is not None else self.nr),
            self.share_tile(),
            (t.t("transparency"),
             self.num(f"{ck.answered}/{ck.applicable}"),
             t.t("answered_of", answered=ck.answered, applicable=ck.applicable)),
        ]
        cells = []
        lines = max(self.label_lines(label) for label, _, _ in tiles)
        for label, big, sub in tiles:
            big_style = self.s.tile_big
            if big == self.nr:
                big_style = ParagraphStyle("tile_nr", self.s.tile_big, fontSize=10.5,
                                           textColor=self.s.c["muted"])
            big_text = self.e(big)
            for unit in (" USD/lb", " %"):
                if big != self.nr and big.endswith(unit):
                    big_text = f'{self.e(big[:-len(unit)])}<font size="7.5"> {unit.strip()}</font>'
            pad = (lines - self.label_lines(label)) * self.s.tile_label.leading
            cells.append([self.p(self.e(label.upper()), self.s.tile_label), Spacer(1, 3 + pad),
                          self.p(big_text, big_style), Spacer(1, 2),
                          self.p(self.e(sub), self.s.tile_sub)])
        tbl = Table([cells], colWidths=[self.width / 4] * 4)
        tbl.setStyle(TableStyle([FONT,
            ("BACKGROUND", (0, 0), (-1, -1), self.s.c["band"]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 11), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ("LINEAFTER", (0, 0), (-2, -1), 0.6, white),
            ("ROUNDEDCORNERS", [6, 6, 6, 6]),
        ]))
        return [Spacer(1, 8), tbl]

    def label_lines(self, label: str) -> int:
        """How many lines a key-figure card's label takes (cards align their figures)."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        width = self.width / 4 - 17
        words, lines, cur = label.upper().split(), 1, 0.0
        for w in words:
            ww = stringWidth(w + " ", BOLD, self.s.tile_label.fontSize)
            if cur and cur + ww > width:
                lines, cur = lines + 1, 0.0
            cur += ww
        return lines

    def market(self) -> str:
        """The market the lot is compared with: ICE "C" for arabica, London for robusta."""
        return "C" if self.d.lot.species.value == "arabica" else "London"

    def share_tile(self) -> tuple[str, str, str]:
        """What reached the producer as a share of FOB: farm gate plus payments on top to the
        producer or its members (as the statement data says)."""
        d, t, e = self.d, self.tpl, self.eco
        if any(p.reaches_producer for p in d.payments) and d.reached_producer_share is not None:
            return (t.t("reached_share"), self.pct(d.reached_producer_share),
                    t.t("reached_share_sub", share=self.pct(e.farm_gate_share)))
        return (t.t("farm_gate_share"), self.pct(e.farm_gate_share),
                f"{t.t('of_fob')} · {self.usd_lb2(e.farm_gate_usd_lb)}")

    def coffee(self) -> list[Flowable]:
        d, t, lot = self.d, self.tpl, self.d.lot
        prod = d.analysis.producer
        size = self.nr
        if lot.weight is not None:
            size = t.t("kg_green", kg=self.whole(lot.weight))
            if lot.bags and lot.bag_kg:
                size += " · " + t.t("bags_of", bags=lot.bags, bag_kg=self.whole(lot.bag_kg))
            if self.eco.weight_lb is not None:
                size += f" · {self.plain(self.eco.weight_lb)} lb"
        quality = self.nr
        if lot.quality_score is not None:
            quality = t.t("sca_points", score=self.plain(lot.quality_score))
        producer = self.e(self.producer_label())
        if d.producer_named:
            producer += f' <font color="{t.colours["muted"]}">' \
                        f'({self.e(t.term(prod.kind.value, prod.kind.label))})</font>'
        pairs = [
            (t.t("producer"), producer),
            (t.t("region"), self.e(prod.region or self.nr)),
            (t.t("country"), self.e(self.country())),
            (t.t("altitude"), self.e(self.num(prod.altitude_label) or self.nr)),
            (t.t("variety"), self.e(lot.variety or self.nr)),
            (t.t("process"), self.e(t.term(lot.process.value))),
            (t.t("harvest"), self.e(self.d.harvest_name)),
            (t.t("size"), self.e(size)),
            (t.t("quality"), self.e(quality)),
            (t.t("lot"), self.e(lot.code)),
        ]
        out: list[Flowable] = [*self.heading("coffee"), self.kv(pairs)]
        plots = [pl for pl in d.plots if pl.location or pl.area_ha or pl.altitude_m]
        if plots:
            rows = []
            for pl in plots[:4]:
                bits = []
                if pl.area_ha is not None:
                    bits.append(t.t("area_ha", ha=self.whole(pl.area_ha)))
                if pl.altitude_m is not None:
                    bits.append(self.num(f"{pl.altitude_m:,} masl"))
                if pl.shade_pct is not None:
                    bits.append(t.t("shade", pct=pl.shade_pct))
                if pl.varieties:
                    bits.append(", ".join(pl.varieties))
                loc = self.nr
                if pl.location is not None:
                    lon, lat = pl.location
                    places = d.coordinate_decimals
                    loc = (f"{abs(lat):.{places}f}° {'N' if lat >= 0 else 'S'}, "
                           f"{abs(lon):.{places}f}° {'E' if lon >= 0 else 'W'}")
                rows.append([self.p(self.e(pl.name), self.s.value),
                             self.p(self.e(" · ".join(bits)), self.s.body),
                             self.p(self.e(self.num(loc)), self.s.body)])
            head = [self.p(self.e(t.t("plots")), self.s.label), "",
                    self.p(self.e(t.t("location")), self.s.label)]
            out += [Spacer(1, 6), self.rule_table([head, *rows],
                                                  [self.width * 0.3, self.width * 0.42,
                                                   self.width * 0.28], header=True)]
        if d.story.strip():
            out += [Spacer(1, 8), self.p(self.e(d.story.strip()), self.s.body)]
        return out

    def relationship(self) -> list[Flowable]:
        d, t = self.d, self.tpl
        r = d.analysis.relationship
        since = str(r.first_harvest) if r.first_harvest is not None else self.nr
        bought = str(r.harvests_bought)
        if r.current_run > 1:
            bought += f" · {t.t('in_a_row', n=r.current_run)}"
        if r.commitments:
            open_ = len(r.commitments) - r.commitments_closed
            com = t.t("commitments_kept", kept=r.commitments_kept, closed=r.commitments_closed)
            if open_:
                com += " · " + t.t("commitment_open", n=open_)
        else:
            com = t.t("commitments_none")
        pairs = [
            (t.t("since"), self.e(since)),
            (t.t("harvests_bought"), self.e(bought)),
            (t.t("visits_in_person"), str(r.in_person_visits)),
            (t.t("last_visit"), self.e(self.day(r.last_in_person_visit))),
            (t.t("remote_contacts"), str(r.remote_contacts)),
            (t.t("commitments"), self.e(com)),
        ]
        out: list[Flowable] = [*self.heading("relationship"), self.kv(pairs)]
        if d.people:
            names = ", ".join(f"{self.e(p.name)} "
                              f'<font color="{t.colours["muted"]}">'
                              f"({self.e(t.term(p.role))})</font>" for p in d.people)
            out += [Spacer(1, 6), self.p(f"<b>{self.e(t.t('people'))}:</b> {names}")]
            for person in d.people:
                if person.quote.strip():
                    out += [Spacer(1, 6), self.p(
                        f"“{self.e(person.quote.strip())}”<br/>"
                        f'<font size="8" color="{t.colours["muted"]}">— '
                        f"{self.e(person.name)}</font>", self.s.quote)]
        if d.hidden_people and not d.people:
            out += [Spacer(1, 4), self.p(self.e(t.t("people_not_named")), self.s.small)]
        if not d.producer_named:
            out += [Spacer(1, 4), self.p(self.e(t.t("producer_not_named")), self.s.small)]
        if d.photos:
            out += [Spacer(1, 8), self.photos()]
        return out

    def photos(self) -> Table:
        """Up to two photos, 38 mm high, side by side with their captions."""
        cells, widths = [], []
        height = self.s.photo_height
        for ph in self.d.photos[:2]:
            w = min(height * ph.width / ph.height, (self.width - 16) / 2)
            img = Image(io.BytesIO(ph.jpeg), width=w, height=w * ph.height / ph.width)
            cells.append([img, Spacer(1, 2), self.p(self.e(ph.caption), self.s.tiny)])
            widths.append(w + 10)
        tbl = Table([cells], colWidths=widths, hAlign="LEFT")
        tbl.setStyle(TableStyle([FONT, ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                                 ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        return tbl

    def price(self) -> list[Flowable]:
        e, t, lot = self.eco, self.tpl, self.d.lot
        muted = self.s.small
        rows: list[list[Any]] = []

        def row(label: str, value: str, note: str = "") -> None:
            rows.append([self.p(self.e(label), self.s.body), self.p(self.e(value), self.s.value_r),
                         self.p(self.e(note), muted)])

        c_note = []
        if lot.fixations:
            for f in lot.fixations:
                c_note.append(f"{self.plain(f.c_cents_lb)} US¢/lb, "
                              + t.t("c_fixed_on", date=f.on.isoformat()))
        elif lot.c_cents_lb is not None and not e.c_estimated:
            c_note.append(f"{self.plain(lot.c_cents_lb)} US¢/lb"
                          + (", " + t.t("c_fixed_on", date=lot.contract_date.isoformat())
                             if lot.contract_date else ""))
        if e.c_estimated:
            c_note.append(t.t("c_estimated"))
        if lot.futures_month:
            c_note.append(t.t("futures_month", month=lot.futures_month))
        row(t.t("c_price"), self.usd_lb(e.c_usd_lb), "; ".join(c_note))
        # an unknown contract type prints nothing here: never "fixed price" by default
        notes = [t.term(lot.contract_type.value)] if lot.contract_type else []
        if lot.differential_cents_lb is not None:
            sign = "+" if lot.differential_cents_lb >= 0 else "−"
            notes.append(t.t("differential",
                             cents=sign + self.plain(abs(lot.differential_cents_lb))))
        fob_note = ", ".join(notes)
        row(t.t("fob"), self.usd_lb(e.fob_usd_lb), fob_note)
        row(t.t("premium"), self.usd_lb(e.premium_over_c_usd_lb),
            self.pct(e.premium_over_c_pct) if e.premium_over_c_pct is not None else "")
        fg = lot.farm_gate
        fg_note = ""
        if fg is not None:
            basis = t.term(fg.basis.value, fg.basis.label)
            fg_note = t.t("farm_gate_local", amount=self.whole(fg.amount), currency=fg.currency,
                          unit=fg.unit_name, basis=basis)
            fg_note += ", " + t.t("exchange_rate", fx=self.whole(fg.fx_local_per_usd),
                                  currency=fg.currency)
            if fg.fx_date:
                fg_note += f" ({fg.fx_date.isoformat()})"
            if fg.kg_per_kg_green is not None:
                fg_note += "; " + t.t("outturn", factor=self.plain(fg.kg_per_kg_green, 3),
                                      basis=basis)
        row(t.t("farm_gate"), self.usd_lb(e.farm_gate_usd_lb), fg_note)
        row(t.t("farm_gate_share_row"), self.pct(e.farm_gate_share))
        if any(p.reaches_producer for p in self.d.payments):
            row(t.t("reached_share"), self.pct(self.d.reached_producer_share),
                t.t("reached_note", usd=self.usd(self.d.reached_producer_usd)))
        if e.fairtrade is not None:
            ft = e.fairtrade
            key = "fairtrade_meets" if ft.meets else "fairtrade_below"
            row(t.t("fairtrade"), self.usd_lb(ft.floor_usd_lb),
                t.t(key, diff=self.usd_lb(abs(ft.difference_usd_lb))))
        if e.living_income_usd_lb is not None:
            note = ""
            if e.farm_gate_vs_living_income is not None:
                note = t.t("living_income_vs", pct=self.pct(e.farm_gate_vs_living_income))
            row(t.t("living_income"), self.usd_lb(e.living_income_usd_lb), note)
        else:
            row(t.t("living_income"), self.nr, t.t("living_income_none"))
        head = [self.p(self.e(t.t("unit_usd_lb")), self.s.label), "", ""]
        widths = [self.width * 0.38, self.width * 0.2, self.width * 0.42]
        # the heading starts on a page only with the first prices: never left at a page foot
        out: list[Flowable] = [LeadIn([*self.heading("price")[1:],
                                       self.rule_table([head, *rows], widths, header=True)],
                                      rows=1)]
        totals = [
            (t.t("fob_value"), self.usd(e.fob_value_usd)),
            (t.t("premium_value"), self.usd(e.premium_over_c_value_usd)),
            (t.t("farm_gate_value"), self.usd(e.farm_gate_value_usd)),
            (t.t("between_value"), self.usd(e.intermediaries_value_usd)),
        ]
        if e.premiums_on_top_usd:
            totals.append((t.t("premiums_on_top"), self.usd(e.premiums_on_top_usd)))
        if e.premiums_in_fob_usd:
            totals.append((t.t("premiums_in_fob"), self.usd(e.premiums_in_fob_usd)))
        out += [Spacer(1, 8), self.p(f"<b>{self.e(t.t('lot_totals'))}</b>", self.s.body),
                Spacer(1, 2), self.kv([(k, self.e(v)) for k, v in totals], label_share=0.52)]
        out += self.payments()
        return out

    def payments(self) -> list[Flowable]:
        """Premiums and second payments by recipient, each with its basis."""
        t = self.tpl
        if not self.d.payments:
            return []
        rows = []
        for p in self.d.payments:
            who = t.t(f"recipient_{p.recipient.replace(' ', '_')}")
            if p.recipient == "members" and p.farmers:
                who = t.t("recipient_members_n", n=p.farmers)
            elif p.paid_to and p.recipient != "members":
                who += f" ({p.paid_to})"
            if p.basis == "% of FOB":
                rate = self.num(f"{fmt_number(p.rate, 1)} % FOB")
            elif p.basis == "per kg":
                rate = self.num(f"{fmt_number(p.rate, 4)} USD/kg")
            elif p.basis == "per farmer":
                rate = self.num(f"{fmt_number(p.rate, 2)} USD × {p.farmers}")
            else:
                rate = t.t("lump_sum")
            where = t.t("in_fob") if p.included_in_fob else t.t("on_top")
            rows.append([self.p(self.e(who), self.s.body),
                         self.p(self.e(f"{t.term(p.type)} · {rate} · {where}"), self.s.small),
                         self.p(self.e(self.usd(p.value_usd)), self.s.value_r)])
        head = [self.p(self.e(t.t("payments_to")), self.s.label), "", ""]
        return [Spacer(1, 6), self.rule_table(
            [head, *rows], [self.width * 0.36, self.width * 0.44, self.width * 0.2],
            header=True)]

    def chain(self) -> list[Flowable]:
        """Farm gate → recorded legs → FOB → importer legs → landed, as recorded."""
        t = self.tpl
        pairs = []
        for step in self.d.chain:
            key = step.key.split(":")[0]
            label = t.t(f"chain_{key}") if ":" not in step.key else \
                t.term(step.label, step.label).capitalize()
            value = self.usd_lb(step.usd_lb)
            if step.usd_lb is not None and not step.subtotal:
                value = "+ " + value
            pairs.append((label, self.e(value)))
        out: list[Flowable] = [Spacer(1, 4), self.p(self.e(t.t("chain_title")), self.s.label),
                               self.kv(pairs, label_share=0.5)]
        if not any(s.key.startswith("importer:") for s in self.d.chain):
            out.append(self.p(self.e(t.t("importer_missing")), self.s.small))
        return out

    def money(self) -> list[Flowable]:
        e, t = self.eco, self.tpl
        out = self.heading("money")
        if e.split is None or e.fob_usd_lb is None:
            return [*out, self.p(self.e(t.t("money_missing")), self.s.body), *self.chain()]
        labels = {"producer": t.t("seg_producer"), "exporter": t.t("seg_exporter"),
                  "importer": t.t("seg_importer"), "premium": t.t("seg_premium")}
        drawing = charts.money_split_drawing(
            self.width, e.split, e.fob_usd_lb, self.tpl.colours, labels,
            lambda v: self.num(f"{round_per_lb(v):,.4f}"),
            t.t("fob_line", fob=self.usd_lb(e.fob_usd_lb)), t.t("unit_usd_lb"))
        out.append(drawing)
        label, share, sub = self.share_tile()
        note = f"{label}: {share} {sub}."
        out.append(self.p(self.e(note), self.s.small))
        return [*self.together(out), *self.chain()]

    def history(self) -> list[Flowable]:
        t = self.tpl
        pts = tuple(p for p in self.d.history
                    if p.fob_usd_lb is not None or p.farm_gate_usd_lb is not None)
        out = self.heading("history")
        if not pts:
            return [*out, self.p(self.e(t.t("history_missing")), self.s.body)]
        labels = {"fob": t.t("history_fob"), "farm_gate": t.t("history_farm_gate"),
                  "c": t.t("history_c"), "axis": t.t("history_axis"),
                  "this_lot": t.t("this_lot")}
        fmt_axis: Callable[[float], str] = lambda v: self.num(f"{v:.2f}")  # noqa: E731
        this_lot = tuple(float(v) if v is not None else None
                         for v in (self.d.this_lot_fob_usd_lb, self.d.this_lot_farm_gate_usd_lb))
        out.append(charts.history_drawing(self.width, pts, self.d.lot.harvest,
                                          self.tpl.colours, labels, fmt_axis,
                                          this_lot,  # type: ignore[arg-type]
                                          self.d.name_of_harvest))
        out.append(self.p(self.e(t.t("history_note")), self.s.small))
        return self.together(out)

    def visits(self) -> list[Flowable]:
        t = self.tpl
        out = self.heading("visits")
        shown = self.d.visits[: t.max_visits]
        if not shown:
            return [*out, self.p(self.e(t.t("visits_none")), self.s.body)]

        def cell(items: tuple[tuple[str, str], ...]) -> Paragraph:
            if not items:
                return self.p("–", self.s.small)
            bits = []
            for topic, note in items:
                text = self.e(t.term(topic))
                if note.strip():
                    short = note.strip() if len(note) <= 90 else note.strip()[:87] + "…"
                    text += f' <font color="{t.colours["muted"]}">({self.e(short)})</font>'
                bits.append(text)
            return self.p(" · ".join(bits), self.s.body)

        head = [self.p("", self.s.label), self.p(self.e(t.t("observed")), self.s.label),
                self.p(self.e(t.t("reported")), self.s.label)]
        rows = [[self.p(f"<b>{v.date.isoformat()}</b>", self.s.body), cell(v.observed),
                 cell(v.reported)] for v in shown]
        out.append(self.rule_table([head, *rows],
                                   [self.width * 0.16, self.width * 0.46, self.width * 0.38],
                                   header=True))
        rest = len(self.d.visits) - len(shown)
        if rest > 0:
            out.append(self.p(self.e(t.t("visit_more", n=rest)), self.s.small))
        # the heading starts on a page only with its first visit: never left at a page foot
        return [LeadIn(out)]

    def certifications(self) -> list[Flowable]:
        t = self.tpl
        out = self.heading("certifications")
        if not self.d.certifications:
            return [*out, self.p(self.e(t.t("certifications_none")), self.s.body)]
        # every certificate valid on the statement date; for a scheme without one, its latest
        # (so a lapse shows); older certificates are counted, not listed
        current = [c for c in self.d.certifications if c.valid_on_lot]
        schemes = {c.scheme for c in current}
        lapsed: dict[str, Any] = {}
        for c in self.d.certifications:
            if c.scheme not in schemes and (
                c.scheme not in lapsed or (c.valid_to or date.min)
                > (lapsed[c.scheme].valid_to or date.min)
            ):
                lapsed[c.scheme] = c
        shown = current + list(lapsed.values())
        rows = []
        for c in shown:
            if c.valid_on_lot:
                status = f'<font color="{t.colours["producer"]}">✓</font> ' + self.e(
                    t.t("valid", date=self.day(c.valid_to)))
            else:
                status = f'<font color="{t.colours["accent"]}">✗</font> ' + self.e(
                    t.t("expired", date=self.d.reference_date.isoformat()))
            span = f"{self.day(c.valid_from)} – {self.day(c.valid_to)}"
            number = t.t("certificate_no", number=c.number) if c.number else ""
            rows.append([self.p(f"<b>{self.e(t.term(c.scheme))}</b>", self.s.body),
                         self.p(self.e(number), self.s.small),
                         self.p(self.e(span), self.s.small), self.p(status, self.s.body)])
        out.append(self.rule_table(rows, [self.width * 0.28, self.width * 0.24,
                                          self.width * 0.22, self.width * 0.26]))
        older = len(self.d.certifications) - len(shown)
        if older:
            out.append(self.p(self.e(t.t("certifications_older", n=older)), self.s.small))
        return out

    def projects(self) -> list[Flowable]:
        t = self.tpl
        out = self.heading("projects")
        if not self.d.projects:
            return [*out, self.p(self.e(t.t("projects_none")), self.s.body)]
        rows = [[self.p(f"<b>{p.year}</b>", self.s.body),
                 self.p(self.e(t.term(p.category)), self.s.body),
                 self.p(self.e(f"{p.currency} {self.plain(p.amount)}"), self.s.value_r),
                 self.p(self.e(p.description), self.s.small)] for p in self.d.projects[:3]]
        out.append(self.rule_table(rows, [self.width * 0.08, self.width * 0.2,
                                          self.width * 0.24, self.width * 0.48]))
        return out

    def checklist(self) -> list[Flowable]:
        t = self.tpl
        ck = self.d.analysis.checklist
        out = self.heading("checklist")
        out.append(self.p("<b>" + self.e(t.t("checklist_score", answered=ck.answered,
                                                 applicable=ck.applicable)) + "</b>"))
        out.append(Spacer(1, 4))
        marks = {
            Answer.ANSWERED: (t.colours["producer"], "✓", t.t("answered")),
            Answer.NOT_ANSWERED: (t.colours["accent"], "✗", t.t("not_answered")),
            Answer.NOT_APPLICABLE: (t.colours["muted"], "–", t.t("not_applicable")),
        }
        rows = []
        for item in ck.items:
            colour, glyph, word = marks[item.answer]
            q = f'<font color="{t.colours["muted"]}">{item.number}</font>&nbsp;&nbsp;' \
                + self.e(t.question(item.key, item.question))
            if item.pledge:
                q += f' <font size="6" color="{t.colours["muted"]}">' \
                     f'{self.e(t.t("pledge").upper())}</font>'
            rows.append([
                self.p(q, self.s.check),
                self.p(f'<font color="{colour}"><b>{glyph}</b></font> {self.e(word)}',
                       self.s.check),
            ])
        half = (len(rows) + 1) // 2
        col = (self.width - 14) / 2
        tables = [self.rule_table(part, [col * 0.68, col * 0.32], padding=2)
                  for part in (rows[:half], rows[half:])]
        both = Table([tables], colWidths=[col + 14, col], hAlign="LEFT")
        both.setStyle(TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                  ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (0, -1), 14),
                                  ("RIGHTPADDING", (1, 0), (1, -1), 0)]))
        out.append(both)
        return self.together(out)

    def link(self, with_methodology: bool = False) -> list[Flowable]:
        """The QR code and link; with the methodology note beside it when it follows."""
        t = self.tpl
        url = t.link_for(self.d.lot.code, self.d.lot.harvest)
        if not url:
            return self.methodology() if with_methodology else []
        qr = charts.qr_drawing(url, 28 * mm, t.colours["primary"])
        text: list[Flowable] = [self.p(f"<b>{self.e(t.t('link_text'))}</b>", self.s.body),
                                Spacer(1, 2), self.p(self.url_text(url), self.s.url)]
        if not with_methodology:
            tbl = Table([[qr, text]], colWidths=[30 * mm, self.width - 30 * mm], hAlign="LEFT")
            tbl.setStyle(TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                     ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
            return self.together([*self.heading("link"), tbl])
        left = Table([[qr], [text]], colWidths=[self.width * 0.24])
        left.setStyle(TableStyle([FONT, ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0)]))
        tbl = Table([[left, self.methodology()]], colWidths=[self.width * 0.26,
                                                             self.width * 0.74], hAlign="LEFT")
        tbl.setStyle(TableStyle([FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("LINEBEFORE", (1, 0), (1, 0), 0.5, self.s.c["rule"]),
                                 ("LEFTPADDING", (1, 0), (1, 0), 12)]))
        return self.together([*self.heading("link"), tbl])

    def url_text(self, url: str) -> str:
        """The link, broken only after a "/" (never inside the lot code)."""
        head, sep, code = url.rpartition("/")
        if not sep:
            return self.e(url)
        parts = [self.e(x) for x in head.split("/")]
        return "/".join(parts).replace("//", "//") + "/<br/>" + self.e(code)

    def methodology(self) -> list[Flowable]:
        t = self.tpl
        text = t.t("methodology")
        lir = self.eco.living_income
        if lir is not None:
            text += " " + t.t("lir_source", source=lir.source)
        return [Spacer(1, 4), self.p(f"<b>{self.e(t.heading('methodology'))}.</b> "
                                     f"{self.e(text)}", self.s.method)]

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
