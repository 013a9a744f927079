"""Visits, certifications, projects, the checklist, the link and the methodology."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from ..domain.transparency import Answer
from . import charts
from .flow import LeadIn

if TYPE_CHECKING:
    pass

from .statement_base import StatementBase
from .styles import FONT


class RecordSections(StatementBase):
    """Visits, certifications, projects, the checklist, the link and the methodology."""

    def visits(self) -> list[Flowable]:
        t = self.tpl
        out = self.heading("visits")
        shown = self.d.visits[: t.max_visits]
        if not shown:
            return [*out, self.p(self.e(t.t("visits_none")), self.s.body)]

        def cell(items: tuple[tuple[str, str], ...], outcomes: tuple[str, ...] = ()
                 ) -> Paragraph:
            if not items:
                return self.p("–", self.s.small)
            bits = []
            for n, (topic, note) in enumerate(items):
                text = self.e(t.term(topic))
                if n < len(outcomes):  # checked in person: what it showed, or "not recorded"
                    colour = t.colours["accent"] if outcomes[n] == "issue" else t.colours["muted"]
                    text += f' <font color="{colour}">— {self.e(t.t("outcome_" + outcomes[n]))}' \
                            '</font>'
                if note.strip():
                    short = note.strip() if len(note) <= 90 else note.strip()[:87] + "…"
                    text += f' <font color="{t.colours["muted"]}">({self.e(short)})</font>'
                bits.append(text)
            return self.p(" · ".join(bits), self.s.body)

        head = [self.p("", self.s.label), self.p(self.e(t.t("observed")), self.s.label),
                self.p(self.e(t.t("reported")), self.s.label)]
        rows = [[self.p(f"<b>{v.date.isoformat()}</b>", self.s.body), cell(v.observed, v.outcomes),
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
        if self.robusta:
            text += " " + t.t("london_method")
        lir = self.eco.living_income
        if lir is not None:
            text += " " + t.t("lir_source", source=lir.source)
        return [Spacer(1, 4), self.p(f"<b>{self.e(t.heading('methodology'))}.</b> "
                                     f"{self.e(text)}", self.s.method)]
