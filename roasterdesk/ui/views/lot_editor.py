"""The lot editor: premium figures recompute live as fields change.

Every figure shown comes from :func:`roasterdesk.domain.pricing.economics`; this module only
parses what the user typed (with a message per field when it is wrong) and displays results.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidgetItem, QMessageBox, QTableWidget

from ...domain import plausibility as PL
from ...domain.analysis import figures_to_check
from ...domain.harvest import harvest_name, parse_harvest
from ...domain.model import (
    ContractType,
    CostLeg,
    Fixation,
    Lot,
    Premium,
    PremiumBasis,
)
from ...domain.money import fmt_number, fmt_pct, fmt_usd, fmt_usd_lb
from ...domain.pricing import (
    LotEconomics,
    farm_gate_usd_lb_green,
    fob_usd_lb,
    living_income_open,
)
from ...domain.words import plural
from ...services.analysis import economics_of
from ...store.errors import RecordNotFound
from ..conflict_badge import set_title
from ..widgets import FieldError, mark_invalid, parse_date, parse_decimal, parse_int, text_of
from ..widgets import parse_plausible as plausible
from .lot_farm_gate import EARLIEST, FarmGateFields, latest_date
from .lot_form import LotForm, fairtrade_text, farm_gate_how, price_texts, stored_unfixed_c

FUTURES = re.compile(r"KC[HKNUZ]\d{2}")


def _harvest_year(text: str, field: str, label: str, **kw: Any) -> int | None:
    """A harvest typed as the year it ends (2026) or as two years (2025/26)."""
    if re.search(r"\d\s*[/–-]\s*\d", text):
        try:
            text = str(parse_harvest(text))
        except ValueError as exc:
            raise FieldError(field, f"{label}: {exc}") from None
    return parse_int(text, field, label, **kw)


def lot_warnings(lot: Lot) -> list[str]:
    """What the import's plausibility rules would warn about in this lot (never an error: an
    auction lot's FOB, a net weight), and what its statement's preflight would ask to check
    (:func:`figures_to_check`: a PTBF lot's FOB typed beside fixations that price it
    otherwise): shown under the figures and asked before saving."""
    out = []
    if lot.fob_usd_lb is not None and (bad := PL.fob_price(lot.fob_usd_lb)) and not bad[1]:
        out.append(f"FOB price: {bad[0]}")
    if (weight := PL.weight_beside_bags(lot.weight_kg, lot.bags, lot.bag_kg)) is not None:
        out.append(f"Weight: {weight}")
    farm_gate = farm_gate_usd_lb_green(lot.farm_gate) if lot.farm_gate is not None else None
    return out + figures_to_check(lot, farm_gate, fob_usd_lb(lot))


class LotEditor(FarmGateFields, LotForm):
    """Edits one lot. Figures recompute on every change; Save is enabled only when valid."""

    # -- loading -----------------------------------------------------------------------------
    def _line(self, key: str) -> QLineEdit:
        return self.w[key]  # type: ignore[return-value]

    def new_lot(self, producer_id: int | None = None) -> None:
        self.load(None, producer_id=producer_id)

    def load(self, lot: Lot | None, producer_id: int | None = None) -> None:
        self._loading = True
        self._shown_once, self.lot_shown = False, lot  # figures shown: of the stored lot first
        try:
            self.lot = lot
            self.dds.load(lot.id if lot is not None else None)
            set_title(self.title, self.ctx, "New lot" if lot is None else f"Lot {lot.code}",
                      "lots", lot.uuid if lot else None)
            # a new lot's process, species, organic status, lot status and contract type start
            # "not recorded": the buyer chooses them (a contract never saved as "fixed price"
            # because no one changed the first choice)
            x = lot or Lot(code="-", producer_id=producer_id or 0, harvest=date.today().year,
                           process=None, species=None, organic=None, status=None,
                           contract_type=None)
            for key in ("name", "variety", "futures_month", "exporter", "importer"):
                self._line(key).setText(getattr(x, key))
            self._line("code").setText(lot.code if lot else "")
            self.producer.set_producer(x.producer_id or None)
            self._line("harvest").setText(str(x.harvest) if lot else "")
            for key in ("weight_kg", "bags", "bag_kg", "quality_score", "defects_cat1",
                        "defects_cat2", "moisture_pct", "c_cents_lb", "differential_cents_lb",
                        "fob_usd_lb"):
                self._line(key).setText(text_of(getattr(x, key)))
            self._line("contract_date").setText(text_of(x.contract_date))
            for key in ("process", "species", "status", "contract_type"):
                self.w[key].set_current(getattr(x, key))  # type: ignore[arg-type]
            self.w["organic"].set_current(x.organic)  # type: ignore[attr-defined]
            self.w["c_estimated"].setChecked(x.c_estimated)  # type: ignore[attr-defined]
            self.w["story"].setPlainText(x.story)  # type: ignore[attr-defined]
            for i in range(self.certs.count()):
                it = self.certs.item(i)
                on = it.data(Qt.ItemDataRole.UserRole) in x.certifications_claimed
                it.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self._load_plots(x.producer_id or None, x.plot_ids)
            self._load_farm_gate(x.farm_gate)
            for t in (self.fixations, self.costs, self.premiums):
                t.setRowCount(0)
            for fx in x.fixations:
                self.add_fixation(fx.on.isoformat(), text_of(fx.c_cents_lb),
                                  text_of(fx.volume_kg))
            for c in x.costs:
                self.add_cost(c.party, c.leg, text_of(c.usd_lb))
            for p in x.premiums:
                self.add_premium(p)
            for w in self.w.values():
                if isinstance(w, QLineEdit):
                    w.setCursorPosition(0)  # show the start of long text
        finally:
            self._loading = False
        self._set_dirty(False)
        self.recompute()

    def _load_plots(self, producer_id: int | None, checked: tuple[int, ...] = ()) -> None:
        """The producer's plots and its members' (a co-op's lot comes from members' plots),
        plus any plot the lot already names; the lot's own plots first, in their order."""
        was = self._loading
        self._loading = True
        self.plots.clear()
        rows: list[tuple[Any, ...]] = []
        if producer_id or checked:
            rows = self.ctx.store.plots_near(producer_id, checked)
        order = {pid: n for n, pid in enumerate(checked)}
        rows.sort(key=lambda r: order.get(r[0], len(order)))
        for pid, name, area, owner, owner_id in rows:
            text = name + (f" ({area} ha)" if area else "")
            if owner_id != producer_id:
                text += f" — {owner}"
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, pid)
            it.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if pid in checked
                             else Qt.CheckState.Unchecked)
            self.plots.addItem(it)
        self._loading = was

    def _producer_picked(self, pid: Any) -> None:
        if not self._loading:
            self._load_plots(pid)
            self.offer_units(self._producer_country(pid))

    def revert(self) -> None:
        self.load(self.lot, producer_id=self.producer.producer_id)

    # -- parsing -----------------------------------------------------------------------------
    def build(self) -> tuple[Lot | None, dict[str, str]]:
        """The lot the fields describe, or None and a message per bad field."""
        errors: dict[str, str] = {}
        T = self._line

        def get(key: str, fn: Any) -> Any:
            try:
                return fn()
            except FieldError as exc:
                errors.setdefault(exc.field or key, str(exc))
                return None

        code = T("code").text().strip()
        if not code:
            errors["code"] = "Code: every lot needs a code"
        pid = self.producer.producer_id
        if pid is None:
            errors["producer"] = "Producer: pick one from the list"
        this_year = date.today().year
        harvest = get("harvest", lambda: _harvest_year(
            T("harvest").text(), "harvest", "Harvest", minimum=1990, maximum=this_year + 2,
                required=True))
        weight = get("weight_kg", lambda: parse_decimal(
            T("weight_kg").text(), "weight_kg", "Weight", positive=True, maximum=Decimal(1_000_000),
            unit="kg"))
        bags = get("bags", lambda: parse_int(T("bags").text(), "bags", "Bags", minimum=1,
                                               maximum=100_000))
        bag_kg = get("bag_kg", lambda: plausible(T("bag_kg").text(), "bag_kg", "Bag size",
                                                 PL.BAG_KG.check))
        no_size = PL.bags_without_size(bags, bag_kg, weight)  # the import's rule too
        if no_size and "bag_kg" not in errors:
            errors["bag_kg"] = f"Bag size: {no_size}"
        score = get("quality_score", lambda: parse_decimal(
            T("quality_score").text(), "quality_score", "Quality score", minimum=Decimal(0),
            maximum=Decimal(100), unit="points", hint=" (SCA scale)"))
        d1 = get("defects_cat1", lambda: parse_int(
            T("defects_cat1").text(), "defects_cat1", "Category 1 defects", minimum=0,
                maximum=10_000))
        d2 = get("defects_cat2", lambda: parse_int(
            T("defects_cat2").text(), "defects_cat2", "Category 2 defects", minimum=0,
                maximum=10_000))
        moisture = get("moisture_pct", lambda: parse_decimal(
            T("moisture_pct").text(), "moisture_pct", "Moisture", minimum=Decimal(0),
            maximum=Decimal(30), unit="%", hint=" (green coffee is normally 10–12 %)"))
        contract_date = get("contract_date", lambda: parse_date(
            T("contract_date").text(), "contract_date", "Contract date",
            earliest=EARLIEST, latest=latest_date()))
        fut = T("futures_month").text().strip().upper()
        if fut and not FUTURES.fullmatch(fut):
            errors["futures_month"] = ("Futures month: an ICE code like KCK25 (H Mar, K May, "
                                       "N Jul, U Sep, Z Dec)")
        c = get("c_cents_lb", lambda: plausible(
            T("c_cents_lb").text(), "c_cents_lb", "C price", PL.c_price))
        diff = get("differential_cents_lb", lambda: parse_decimal(
            T("differential_cents_lb").text(), "differential_cents_lb", "Differential",
            minimum=Decimal(-500), maximum=Decimal(5000), unit="¢/lb",
            hint=" — in US cents per lb, e.g. +95"))
        fob = get("fob_usd_lb", lambda: parse_decimal(
            T("fob_usd_lb").text(), "fob_usd_lb", "FOB price", minimum=Decimal("0.30"),
            maximum=Decimal(500), unit="USD/lb", hint=" — FOB is in USD per lb, e.g. 4.75"))
        species = self.w["species"].current()  # type: ignore[attr-defined]
        if c is not None and (bad := PL.c_price_market(species)):
            errors["c_cents_lb"] = f"C price: {bad}"
        if c is not None and diff is not None and fob is not None and (
                bad := PL.price_sum(c, diff, fob)):
            errors["fob_usd_lb"] = f"FOB price: {bad}"  # the import's rule too
        ctype = self.w["contract_type"].current()  # type: ignore[arg-type]
        fixations = get("fixations", self._fixations)
        self.implied_fixation = None
        self.unfixed_c = stored_unfixed_c(self.lot, ctype, fixations, c)
        if ctype is ContractType.PTBF and not fixations and "fixations" not in errors \
                and c is not None and diff is not None and self.unfixed_c is None:
            # as buyers write it: C and the differential are one fixation of the whole lot,
            # on the contract date (or today when none is recorded; the panel says so)
            self.implied_fixation = Fixation(contract_date or date.today(), c, None)
            fixations = (self.implied_fixation,)
        if ctype is not ContractType.PTBF and fixations:
            errors.setdefault("fixations", "Fixations: only a PTBF contract is fixed later")
        if ctype is ContractType.PTBF and fixations and diff is None \
                and "differential_cents_lb" not in errors:
            errors["differential_cents_lb"] = "Differential: needed to price the fixations"
        lot_kg = weight if weight is not None else (
            bags * bag_kg if bags is not None and bag_kg is not None else None)
        over = PL.fixations_over_weight(sum(
            (f.volume_kg for f in fixations or () if f.volume_kg is not None), Decimal(0)), lot_kg)
        if over and "fixations" not in errors:  # the import's rule too
            errors["fixations"] = f"Fixations: {over}"
        farm_gate = self._farm_gate(errors)
        costs = get("costs", self._costs)
        premiums = get("premiums", self._premiums)
        if errors:
            return None, errors
        kw: dict[str, Any] = dict(
            code=code, producer_id=pid, harvest=harvest, weight_kg=weight, bags=bags,
            bag_kg=bag_kg, name=T("name").text().strip(), variety=T("variety").text().strip(),
            process=self.w["process"].current(),  # type: ignore[arg-type]
            species=species,
            status=self.w["status"].current(),  # type: ignore[arg-type]
            quality_score=score, defects_cat1=d1, defects_cat2=d2, moisture_pct=moisture,
            contract_type=ctype, contract_date=contract_date, futures_month=fut,
            fixations=fixations or (), c_cents_lb=c,
            c_estimated=self.w["c_estimated"].isChecked(),  # type: ignore[attr-defined]
            differential_cents_lb=diff, fob_usd_lb=fob, farm_gate=farm_gate,
            costs=costs or (), premiums=premiums or (),
            exporter=T("exporter").text().strip(), importer=T("importer").text().strip(),
            organic=self.w["organic"].current(),  # type: ignore[attr-defined]
            certifications_claimed=tuple(
                self.certs.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.certs.count())
                if self.certs.item(i).checkState() == Qt.CheckState.Checked),
            plot_ids=tuple(
                self.plots.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.plots.count())
                if self.plots.item(i).checkState() == Qt.CheckState.Checked),
            story=self.w["story"].toPlainText().strip(),  # type: ignore[attr-defined]
        )
        try:
            lot = replace(self.lot, **kw) if self.lot is not None else Lot(**kw)
        except ValueError as exc:
            return None, {"": str(exc)}
        return lot, {}

    def _cell(self, t: QTableWidget, r: int, c: int) -> str:
        it = t.item(r, c)
        return it.text().strip() if it is not None else ""

    def _fixations(self) -> tuple[Fixation, ...]:
        out = []
        t = self.fixations
        for r in range(t.rowCount()):
            texts = [self._cell(t, r, c) for c in range(3)]
            if not any(texts):
                continue
            n = f"Fixation {r + 1}"
            on = parse_date(texts[0], "fixations", f"{n} date", required=True,
                            earliest=EARLIEST, latest=latest_date())
            c = plausible(texts[1], "fixations", f"{n} C price", PL.c_price, required=True)
            vol = parse_decimal(texts[2], "fixations", f"{n} volume", positive=True, unit="kg")
            out.append(Fixation(on, c, vol))  # type: ignore[arg-type]
        return tuple(out)

    def _costs(self) -> tuple[CostLeg, ...]:
        out = []
        t = self.costs
        for r in range(t.rowCount()):
            leg, amount = self._cell(t, r, 1), self._cell(t, r, 2)
            if not leg and not amount:
                continue
            n = f"Cost leg {r + 1}"
            if not leg:
                raise FieldError("costs", f"{n}: name the leg (e.g. milling)")
            v = parse_decimal(amount, "costs", f"{n} ({leg})", minimum=Decimal(0),
                maximum=Decimal(20),
                          unit="USD/lb", required=True)
            party = t.cellWidget(r, 0).current()  # type: ignore[arg-type]
            out.append(CostLeg(party, leg, v))  # type: ignore[arg-type]
        return tuple(out)

    def _premiums(self) -> tuple[Premium, ...]:
        out = []
        t = self.premiums
        for r in range(t.rowCount()):
            n = f"Premium {r + 1}"
            kind = t.cellWidget(r, 0).current()  # type: ignore[arg-type]
            basis = t.cellWidget(r, 1).current()  # type: ignore[arg-type]
            hi = Decimal(100) if basis is PremiumBasis.PCT_OF_PRICE else None
            amount = parse_decimal(self._cell(t, r, 2), "premiums", f"{n} amount",
                minimum=Decimal(0),
                               maximum=hi, required=True)
            farmers = parse_int(self._cell(t, r, 5), "premiums", f"{n} farmers", minimum=1)
            if basis is PremiumBasis.PER_FARMER and not farmers:
                raise FieldError("premiums", f"{n}: a per-farmer premium needs the number "
                                 "of farmers")
            in_fob = t.item(r, 3).checkState() == Qt.CheckState.Checked
            voided = t.item(r, 6).checkState() == Qt.CheckState.Checked
            old: Premium | None = t.item(r, 2).data(Qt.ItemDataRole.UserRole)
            fields = dict(type=kind, basis=basis, amount=amount, included_in_fob=in_fob,
                          paid_to=self._cell(t, r, 4), farmers=farmers, voided=voided)
            out.append(replace(old, **fields) if old is not None else Premium(**fields))
        return tuple(out)

    # -- live figures ------------------------------------------------------------------------
    def _recheck(self) -> None:
        self.recompute()

    def _producer_origin(self, pid: int | None) -> tuple[str, tuple[int, ...]]:
        """The producer's country and recorded harvest months (cached per producer)."""
        if pid is None:
            return "", ()
        if pid not in self._country:
            try:
                p = self.ctx.store.producer(pid)
                self._country[pid] = (p.country, tuple(p.harvest_months))
            except RecordNotFound:
                self._country[pid] = ("", ())
        return self._country[pid]

    def _producer_country(self, pid: int | None) -> str:
        return self._producer_origin(pid)[0]

    def _show_harvest(self) -> None:
        """The harvest's name by the origin's calendar beside the field (the one label)."""
        try:
            year = _harvest_year(self._line("harvest").text(), "harvest", "Harvest")
        except FieldError:
            year = None
        country, months = self._producer_origin(self.producer.producer_id)
        self.units["harvest"].setText(
            f"= {harvest_name(year, country, months)}" if year and 1900 <= year <= 2100 else "")

    def recompute(self) -> None:
        """Parse the fields, show a message beside each bad one, and refresh the figures."""
        lot, errors = self.build()
        self.errors = errors
        self._show_harvest()
        shown = errors if self.dirty or self.lot is not None else {}  # untouched new lot: quiet
        for key, label in self.err.items():
            msg = shown.get(key, "")
            if label.text() != msg:  # re-styling every field on each keystroke is slow
                label.setText(msg)
                w = self.w.get(key)
                mark_invalid(w, bool(msg))
                if w is not None:
                    w.setToolTip(msg)
        if errors:
            n = len(errors)
            general = errors.get("", "")
            if shown:
                first = next(iter(shown.values()))
                more = f"  (+ {plural(n - 1, 'more field')} to correct)" if n > 1 else ""
                self.error.show_error(general or first + more)
            else:
                self.error.clear_error()
            self.save_btn.setEnabled(False)
        else:
            self.error.clear_error()
            self.save_btn.setEnabled(self.dirty)
        if lot is None:
            if not self._shown_once and self.lot is not None:  # the stored lot's, greyed below
                self._show(economics_of(self.ctx.store, self.lot,
                                        self._producer_country(self.lot.producer_id)))
            self.economics = None
            self._show(None)
        else:
            self.lot_shown = lot
            self.economics = economics_of(self.ctx.store, lot,
                                          self._producer_country(lot.producer_id))
            self._show(self.economics)
        self.recomputed.emit()

    def _blocking(self) -> str:
        """The field that keeps the figures from being recomputed, by its label."""
        key = next(iter(self.errors), "")
        name = self.labels.get(key, "")
        more = len(self.errors) - 1
        return (f"“{name}”" if name else "a field") + (f" and {plural(more, 'other')}"
                                                       if more > 0 else "")

    def _show(self, e: LotEconomics | None) -> None:
        f = self.fig
        if e is None:
            if self._shown_once and (self.dirty or self.lot is not None):
                # keep the last valid figures, greyed, and name what blocks them
                for lab in f.values():
                    lab.setEnabled(False)
                self.missing.setText(f"Not current: correct {self._blocking()} to update "
                                     "these figures.")
                return
            for lab in f.values():
                lab.setText("—")
            self.missing.setText("Correct the marked fields to see the figures." if self.dirty
                                 or self.lot is not None else "Figures appear as you type.")
            return
        self._shown_once = True
        for lab in f.values():
            lab.setEnabled(True)
        nr = "not recorded"
        for key, text in price_texts(e).items():  # C, FOB, premium and share
            f[key].setText(text)
        f["farm_gate"].setText(fmt_usd_lb(e.farm_gate_usd_lb, nr))
        f["farm_gate_how"].setText(farm_gate_how(self.lot_shown))
        f["between"].setText(fmt_usd_lb(e.intermediaries_usd_lb, "—"))
        f["fairtrade"].setText(fairtrade_text(e, self.lot_shown))
        if e.living_income is None or e.living_income_usd_lb is None:
            open_facts = living_income_open(e.missing)
            f["living_income"].setText(f"not recorded ({open_facts})" if open_facts
                                       else "no reference for this origin")
        else:
            ref = fmt_usd_lb(e.living_income_usd_lb)
            vs = (f"; farm gate is {fmt_pct(e.farm_gate_vs_living_income)} of it"
                  if e.farm_gate_vs_living_income is not None else "")
            f["living_income"].setText(f"{ref} ({e.living_income.year}){vs}")
        f["weight"].setText(f"{e.weight_kg:,.0f} kg = {e.weight_lb:,.2f} lb"
                            if e.weight_kg is not None and e.weight_lb is not None else nr)
        f["fob_value"].setText(fmt_usd(e.fob_value_usd, "—"))
        f["premium_value"].setText(fmt_usd(e.premium_over_c_value_usd, "—") + (
            " (estimated)" if e.c_estimated and e.premium_over_c_value_usd is not None else ""))
        f["farm_gate_value"].setText(fmt_usd(e.farm_gate_value_usd, "—"))
        f["between_value"].setText(fmt_usd(e.intermediaries_value_usd, "—"))
        f["premiums_in_fob"].setText(fmt_usd(e.premiums_in_fob_usd))
        f["premiums_on_top"].setText(fmt_usd(e.premiums_on_top_usd))
        text = ("Missing: " + ", ".join(e.missing) if e.missing
                else "Every price figure is recorded.")
        if e.c_estimated and e.c_usd_lb is not None:
            text += ("\nC is estimated from the monthly series: the premium over C and what "
                     "derives from it are estimates too.")
        if self.lot_shown is not None:
            text += "".join(f"\nCheck: {w}" for w in lot_warnings(self.lot_shown))
        fx = getattr(self, "implied_fixation", None)
        if (unfixed := getattr(self, "unfixed_c", None)) is not None:
            text += (f"\nPTBF: C {fmt_number(unfixed, 2)} ¢/lb is recorded without a fixation, "
                     "so nothing is computed from it: add the fixation (its date and C)")
        if fx is not None:
            text += (f"\nPTBF: C {fmt_number(fx.c_cents_lb, 2)} ¢/lb counted as one fixation of "
                     f"the whole lot on {fx.on}" + ("" if self._line("contract_date").text()
                                                   .strip() else " (today: no contract date)"))
        self.missing.setText(text)

    # -- saving ------------------------------------------------------------------------------
    def save(self) -> bool:
        self.recompute()
        lot, errors = self.build()
        if lot is None:
            return False
        said = lot_warnings(lot)
        if said and not self.confirm_save(said):
            return False
        return self._store(lot, lambda stored: f"Lot {stored.code} saved")

    def confirm_save(self, said: list[str]) -> bool:
        """Ask before saving a lot the shared plausibility rules question (an FOB of 410
        USD/lb: cents?): Cancel is the default, so Enter does not save it unread."""
        box = QMessageBox(QMessageBox.Icon.Warning, "Save this lot?",
                          "Please check before saving:\n\n" + "\n".join(f"• {s}" for s in said)
                          + "\n\nSave it as it is?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                          self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Save

    def _statement(self) -> None:
        if self.lot is None or self.lot.id is None:
            self.ctx.messages.info.emit("Save the lot first, then preview its statement")
            return
        try:
            from ..dialogs.statement import show_statement_preview  # type: ignore[import-not-found]
        except ImportError:
            self.statement_btn.hide()
            return
        show_statement_preview(self.ctx, self.lot.id, self)
