"""Page one: the title band, key figures, the coffee, the relationship and photos."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import white
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Image,
    Spacer,
    Table,
    TableStyle,
)

from .fonts import BOLD

if TYPE_CHECKING:
    pass

from .statement_base import StatementBase
from .styles import FONT


class LotSections(StatementBase):
    """Page one: the title band, key figures, the coffee, the relationship and photos."""

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
        nf = e.not_fixed  # a PTBF lot's price not (wholly) fixed yet: said on the tiles
        fob_sub = t.t("per_lb_green")
        if nf is not None and e.fob_usd_lb is None and nf.fixed_kg and e.weight_kg is not None:
            fob_sub = t.t("part_fixed", fixed=self.mass(nf.fixed_kg),
                          weight=self.mass(e.weight_kg))
        elif nf is not None and e.fob_usd_lb is None:
            fob_sub = self.not_fixed_why()
        tiles = [
            (t.t("fob_paid"), self.usd_lb2(e.fob_usd_lb), fob_sub),
            (t.t(self.by_market("premium_over_c")), prem,
             f"{self.pct(e.premium_over_c_pct)} · {self.market()} {self.usd_lb2(e.c_usd_lb)}"
             + (f" ({t.t('estimated')})" if e.c_estimated else "")
             if e.c_usd_lb is not None else self.not_fixed_why() or self.nr),
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
        return "London" if self.robusta else "C"

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
            size = t.t("kg_green", kg=self.mass(lot.weight))
            if lot.bags and lot.bag_kg:
                size += " · " + t.t("bags_of", bags=lot.bags, bag_kg=self.mass(lot.bag_kg))
            if self.eco.weight_lb is not None:
                size += f" · {self.plain(self.eco.weight_lb)} lb"
        quality = self.nr
        if lot.quality_score is not None:
            quality = t.t("sca_points", score=self.plain(lot.quality_score))
        producer = self.e(self.producer_label())
        if d.producer_named and prod.kind is not None:  # a kind not recorded: none printed
            producer += f' <font color="{t.colours["muted"]}">' \
                        f'({self.e(t.term(prod.kind.value, prod.kind.label))})</font>'
        pairs = [
            (t.t("producer"), producer),
            (t.t("region"), self.e(prod.region or self.nr)),
            (t.t("country"), self.e(self.country())),
            (t.t("altitude"), self.e(self.num(prod.altitude_label) or self.nr)),
            (t.t("variety"), self.e(lot.variety or self.nr)),
            (t.t("process"), self.e(t.term(lot.process.value) if lot.process else self.nr)),
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
            # the lot names no plots: the producer's, said so (never passed off as the lot's)
            head = [self.p(self.e(t.t("plots" if d.plots_of_lot else "plots_of_producer")),
                           self.s.label), "",
                    self.p(self.e(t.t("location")), self.s.label)]
            table = self.rule_table([head, *rows], [self.width * 0.3, self.width * 0.42,
                                                    self.width * 0.28], header=True)
            table.setStyle(TableStyle([("SPAN", (0, 0), (1, 0))]))  # the label on one line
            out += [Spacer(1, 6), table]
        if d.story.strip():
            out += [Spacer(1, 8), self.p(self.e(d.story.strip()), self.s.body)]
        return out

    def relationship(self) -> list[Flowable]:
        d, t = self.d, self.tpl
        r = d.analysis.relationship
        since = d.name_of_harvest(r.first_harvest) if r.first_harvest is not None else self.nr
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
            # a count of 0 is what the records hold, not a fact about the relationship
            (t.t("visits_in_person"),
             self.e(str(r.in_person_visits) if r.in_person_visits else t.t("in_person_none"))),
            (t.t("last_visit"), self.e(self.day(r.last_in_person_visit))),
            (t.t("remote_contacts"),
             self.e(str(r.remote_contacts) if r.remote_contacts else t.t("contacts_none"))),
            (t.t("commitments"), self.e(com)),
        ]
        out: list[Flowable] = [*self.heading("relationship"), self.kv(pairs)]
        if d.people:
            names = ", ".join(f"{self.e(p.name)}" + (  # a role not recorded: the name alone
                f' <font color="{t.colours["muted"]}">({self.e(t.term(p.role))})</font>'
                if p.role else "") for p in d.people)
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
