"""Formatting and building blocks shared by the statement's sections."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Table,
    TableStyle,
)

from ..domain.model import Species
from ..domain.money import fmt_number, fmt_pct, fmt_usd, fmt_usd_lb
from .fonts import REGULAR
from .template import Template

if TYPE_CHECKING:
    from .data import StatementData

from .styles import HEAD_ROOM, Styles


class StatementBase:
    """One rendering's state (template, data, styles) with its formatting and building
    blocks; the sections are mixins over it (pdf/sections_*.py)."""

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

    def mass(self, v: Decimal | int) -> str:
        """A weight in kg as recorded, to at most 2 decimals: a weight typed in pounds is kept
        exactly (660 lb = 299.3709642 kg) and printed 299.37."""
        d = v if isinstance(v, Decimal) else Decimal(v)
        if d.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
            d = d.quantize(Decimal("0.01"))
        return self.whole(d)

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
        # a kind not recorded is "a producer", never "a farm"
        word = self.tpl.term(kind.value, kind.label) if kind else self.tpl.term("producer")
        return self.tpl.t("producer_anonymous", kind=word, region=self.region())

    def day(self, v: date | None) -> str:
        return v.isoformat() if v else self.nr

    @property
    def robusta(self) -> bool:
        """A robusta lot: its market is ICE London, never C (docs/domain.md)."""
        return self.d.lot.species is Species.ROBUSTA

    def why_not_recorded(self, facts: str) -> str:
        """``species not recorded`` and the like (:func:`~roasterdesk.domain.pricing.
        not_recorded_facts`) in the template's language."""
        words = ("species", "process", "organic")
        return self.tpl.t("_".join(["why", *(w for w in words if w in facts)]))

    def not_fixed_why(self) -> str:
        """Why a PTBF lot's C (and what derives from it) is not recorded, in the template's
        language: "price of 1,400 kg not fixed yet", "C not fixed yet"; "" when its price is
        fixed (:func:`~roasterdesk.domain.pricing.not_fixed`)."""
        nf = self.eco.not_fixed
        if nf is None:
            return ""
        if nf.fixed_kg and nf.unfixed_kg:
            return self.tpl.t("price_unfixed", kg=self.mass(nf.unfixed_kg))
        return self.tpl.t(self.by_market("not_fixed_c"))

    def by_market(self, key: str) -> str:
        """The wording of ``key`` for the lot's market: ``<key>_robusta`` (ICE London) for a
        robusta lot."""
        if self.robusta:
            return key + "_robusta"
        # species not recorded and no C of its own: no market is named (never C by default)
        if self.d.lot.species is None and self.d.analysis.economics.c_usd_lb is None:
            return key + "_unknown"
        return key

    def p(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return Paragraph(text, style or self.s.body)

    def e(self, text: str) -> str:
        return escape(text)

    def missing(self, text: str) -> str:
        return f'<font color="{self.tpl.colours["muted"]}">{escape(text)}</font>'

    # -- building blocks ---------------------------------------------------------------------
    def heading(self, section: str, intro: str | None = None) -> list[Flowable]:
        """A section's heading and intro (the template's unless ``intro`` is given), never at
        the foot of a page: a new page unless ``HEAD_ROOM`` is left, and the heading kept with
        its intro (what follows splits)."""
        head: list[Flowable] = [self.p(self.e(self.tpl.heading(section)), self.s.h2)]
        intro = self.tpl.intro(section) if intro is None else intro
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
