"""The price paid, payments by recipient, where the money went, prices across harvests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reportlab.platypus import (
    Flowable,
    Spacer,
)

from ..domain.model import ContractType
from ..domain.money import fmt_number, round_per_lb
from ..domain.pricing import fairtrade_missing, living_income_open, not_recorded_facts
from ..domain.units import DEFAULT_KG_PER_KG_GREEN
from . import charts
from .flow import LeadIn

if TYPE_CHECKING:
    pass

from .statement_base import StatementBase


class MoneySections(StatementBase):
    """The price paid, payments by recipient, where the money went, prices across harvests."""

    def price(self) -> list[Flowable]:
        e, t, lot = self.eco, self.tpl, self.d.lot
        muted = self.s.small
        rows: list[list[Any]] = []

        def row(label: str, value: str, note: str = "") -> None:
            rows.append([self.p(self.e(label), self.s.body), self.p(self.e(value), self.s.value_r),
                         self.p(self.e(note), muted)])

        c_note = []
        nf = e.not_fixed  # a PTBF lot's price not (wholly) fixed yet
        part = nf is not None and bool(nf.fixed_kg) and nf.unfixed_kg is not None
        if lot.fixations:
            for f in lot.fixations:
                note = f"{self.plain(f.c_cents_lb)} US¢/lb, " + t.t("c_fixed_on",
                                                                    date=f.on.isoformat())
                if part and f.volume_kg is not None:  # what each fixation fixed, and the rest
                    note += " " + t.t("c_fixed_for", kg=self.mass(f.volume_kg))
                c_note.append(note)
            if nf is not None and part and nf.unfixed_kg is not None:
                c_note.append(t.t("part_unfixed", kg=self.mass(nf.unfixed_kg)))
        elif lot.contract_type is ContractType.PTBF and lot.c_cents_lb is not None:
            # a price to be fixed has no fixation yet: the C recorded on it is not the C at
            # fixation (nothing is computed from it), said with it
            c_note.append(t.t("c_unfixed_recorded", cents=self.plain(lot.c_cents_lb)))
        elif lot.c_cents_lb is not None and not e.c_estimated:
            # "fixed on" only when a fixed-price contract fixed it on its date; an unknown
            # contract type is not said to have one
            when = ""
            if lot.contract_date is not None:
                key = "c_fixed_on" if lot.contract_type is ContractType.FIXED else "c_recorded"
                when = t.t(key, date=lot.contract_date.isoformat())
            c_note.append(f"{self.plain(lot.c_cents_lb)} US¢/lb" + (", " + when if when else ""))
        elif nf is not None:
            c_note.append(t.t("c_not_fixed"))
        if e.c_estimated and e.london_usd_t is not None:
            c_note.append(t.t("c_estimated_robusta", usd_t=self.whole(e.london_usd_t)))
        elif e.c_estimated:
            c_note.append(t.t("c_estimated"))
        if lot.futures_month:
            c_note.append(t.t("futures_month", month=lot.futures_month))
        if e.c_usd_lb is None and lot.species is None and nf is None:  # never assumed C
            c_note.append(self.why_not_recorded("species not recorded"))
        row(t.t(self.by_market("c_price")), self.usd_lb(e.c_usd_lb), "; ".join(c_note))
        # an unknown contract type prints nothing here: never "fixed price" by default
        notes = [t.term(lot.contract_type.value)] if lot.contract_type else []
        if lot.differential_cents_lb is not None:
            sign = "+" if lot.differential_cents_lb >= 0 else "−"
            notes.append(t.t("differential",
                             cents=sign + self.plain(abs(lot.differential_cents_lb))))
        fob_note = ", ".join(notes)
        why = self.not_fixed_why()
        if nf is not None and part and nf.unfixed_kg is not None and e.weight_kg is not None:
            # no FOB: what is fixed, at what price, and what is not
            kw = dict(fixed=self.mass(nf.fixed_kg), weight=self.mass(e.weight_kg))
            done = t.t("part_fixed_at", fob=self.usd_lb2(nf.fixed_fob_usd_lb), **kw) \
                if nf.fixed_fob_usd_lb is not None else t.t("part_fixed", **kw)
            fob_note = "; ".join(x for x in (
                fob_note, done, t.t("part_unfixed", kg=self.mass(nf.unfixed_kg))) if x)
        elif nf is not None and e.fob_usd_lb is not None:  # the FOB the records give
            fob_note = "; ".join(x for x in (fob_note, t.t("fob_as_recorded")) if x)
        row(t.t("fob"), self.usd_lb(e.fob_usd_lb), fob_note)
        # every figure from an estimated C says so, not only the C row (docs/domain.md)
        from_estimate = t.t(self.by_market("from_estimated_c")) if e.c_estimated else ""
        row(t.t(self.by_market("premium")), self.usd_lb(e.premium_over_c_usd_lb),
            "; ".join(x for x in (self.pct(e.premium_over_c_pct), from_estimate) if x)
            if e.premium_over_c_pct is not None else why)
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
            elif DEFAULT_KG_PER_KG_GREEN[fg.basis] != 1:  # a price of green needs no outturn
                # the conversion to green used the usual factor: said, never hidden
                fg_note += "; " + t.t("outturn_usual", basis=basis, factor=self.plain(
                    DEFAULT_KG_PER_KG_GREEN[fg.basis], 3))
        row(t.t("farm_gate"), self.usd_lb(e.farm_gate_usd_lb), fg_note)
        row(t.t("farm_gate_share_row"), self.pct(e.farm_gate_share),
            why if e.farm_gate_share is None and e.farm_gate_usd_lb is not None
            and e.fob_usd_lb is None else "")
        if any(p.reaches_producer for p in self.d.payments):
            row(t.t("reached_share"), self.pct(self.d.reached_producer_share),
                t.t("reached_note", usd=self.usd(self.d.reached_producer_usd)))
        unknown = not_recorded_facts(lot)
        if e.fairtrade is not None:
            ft = e.fairtrade
            key = "fairtrade_meets" if ft.meets else "fairtrade_below"
            floor = self.usd_lb(ft.floor_usd_lb)
            reason = self.why_not_recorded(ft.not_recorded)
            if ft.at_least:  # no C price: only a lower bound of the floor is known
                key = self.by_market("fairtrade_below_at_least")
                if why:  # the C is not fixed yet, rather than not recorded
                    key, reason = "fairtrade_below_at_least_not_fixed", why
                floor = t.t("fairtrade_at_least", floor=floor)
            elif ft.not_recorded:  # above the highest floor it could have, or below the lowest
                key += "_any"
            said = t.t(key, diff=self.usd_lb(abs(ft.difference_usd_lb)), why=reason)
            if e.fairtrade_from_estimate:  # the floor is the estimated C + premium
                said += "; " + from_estimate
            row(t.t("fairtrade"), floor, said)
        elif why:  # no FOB, or no C, until the price is fixed
            row(t.t("fairtrade"), self.nr, why)
        elif e.fob_usd_lb is not None and e.c_usd_lb is None:
            row(t.t("fairtrade"), self.nr, t.t(self.by_market("fairtrade_needs_c")))
        elif unknown and fairtrade_missing(unknown) in e.missing:
            row(t.t("fairtrade"), self.nr,
                t.t("fairtrade_unknown", why=self.why_not_recorded(unknown)))
        if e.living_income_usd_lb is not None:
            note = ""
            if e.farm_gate_vs_living_income is not None:
                note = t.t("living_income_vs", pct=self.pct(e.farm_gate_vs_living_income))
            row(t.t("living_income"), self.usd_lb(e.living_income_usd_lb), note)
        elif open_facts := living_income_open(e.missing):
            row(t.t("living_income"), self.nr, self.why_not_recorded(open_facts))
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
            (t.t(self.by_market("premium_value"))
             + (f" ({t.t('estimated')})" if e.c_estimated else ""),
             self.usd(e.premium_over_c_value_usd)),
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
            if step.usd_lb is not None and not step.subtotal:  # a step: its sign, once
                value = ("− " + self.usd_lb(-step.usd_lb) if step.usd_lb < 0
                         else "+ " + value)
            if key == "exporter_margin" and not any(s.key.startswith("exporter:")
                                                    for s in self.d.chain):
                label = t.t("chain_between_unsplit")  # no leg recorded: not all margin
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
            nf, why = e.not_fixed, t.t("money_missing")
            if nf is not None and e.fob_usd_lb is None:  # the price is not fixed yet
                why = t.t("money_not_fixed", kg=self.mass(nf.unfixed_kg)) \
                    if nf.fixed_kg and nf.unfixed_kg else t.t("money_no_fixation")
            return [*out, self.p(self.e(why), self.s.body), *self.chain()]
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
        intro = self.by_market("history_intro")  # the template's own intro for C
        out = self.heading("history", t.t(intro) if intro != "history_intro" else None)
        if not pts:
            return [*out, self.p(self.e(t.t("history_missing")), self.s.body)]
        labels = {"fob": t.t("history_fob"), "farm_gate": t.t("history_farm_gate"),
                  "c": t.t(self.by_market("history_c")), "axis": t.t("history_axis"),
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
