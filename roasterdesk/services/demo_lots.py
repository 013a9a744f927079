"""The lots of a demo producer: prices, fixations, cost legs, premiums and their rows
(the lot part of :class:`roasterdesk.services.demo_records.FamilyBuilder`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..domain.model import (
    ContractType,
    CostLeg,
    FarmGatePrice,
    Fixation,
    Lot,
    LotStatus,
    Party,
    Premium,
    PremiumBasis,
    PremiumType,
    Process,
    Producer,
    Scheme,
    Species,
)
from ..domain.pricing import farm_gate_usd_lb_green, fob_usd_lb
from ..domain.units import DEFAULT_KG_PER_KG_GREEN, LB_KG, factor_from_rendimiento
from ..store import rows as R
from ..store.codec import d2s
from . import demo_origins as O
from .demo_family import Bundle, FamilyBase, iso_stamp, q, sig
from .demo_plan import LAST_PRICED, Planned

_KC = {3: "H", 5: "K", 7: "N", 9: "U", 12: "Z"}


class LotBuilder(FamilyBase):
    """A producer's lots of each harvest, as a buyer would have recorded them."""

    def lot(self, p: Planned, b: Bundle, harvest: int) -> Lot:
        r, o, prod = self.rng, p.origin, b.producer
        robusta = p.region.robusta
        key = (o.code, harvest)
        self.w.codes[key] += 1
        code = f"{o.code}-{harvest % 100:02d}-{self.w.codes[key]:04d}"
        variety = r.choice(prod.varieties)
        process = Process(r.choice(prod.processes))
        open_harvest = harvest > LAST_PRICED  # this year's contracts: no C level to price them
        if open_harvest:
            status = r.choices([LotStatus.CONTRACTED, LotStatus.OFFER], [65, 35])[0]
        elif harvest < LAST_PRICED:
            status = LotStatus.ARRIVED
        else:
            status = r.choices([LotStatus.ARRIVED, LotStatus.SHIPPED, LotStatus.CONTRACTED,
                                LotStatus.OFFER], [55, 20, 18, 7])[0]
        if r.random() < 0.015 or self.w.serial("lot") % 97 == 50:
            status = LotStatus.CANCELLED
        month = r.randint(1, 9)
        contract = date(harvest, month, r.randint(1, 28))
        if contract >= self.today:
            contract = self.today - timedelta(days=r.randint(1, 60))
        bags_range = {"farm": (2, 25), "estate": (10, 150), "cooperative": (20, 275),
                      "washing_station": (20, 320)}[p.kind]
        if p.parent is not None:
            bags_range = (1, 15)
        bags: int | None = r.randint(*bags_range)
        bag_kg: Decimal | None = Decimal(o.bag_kg)
        weight: Decimal | None = None
        x = r.random()
        if x < 0.05:
            weight, bags, bag_kg = Decimal(bags * 30), None, None  # vacuum boxes, no bags
        elif x < 0.4:
            weight = bags * bag_kg - Decimal(r.randint(0, 2) * bags) / 10  # net of tare
        if status is LotStatus.OFFER and r.random() < 0.15:
            weight = bags = bag_kg = None  # size not agreed yet
        if robusta:
            score = q(r.gauss(81.5, 1.2), "0.25")
        else:
            mean = {"cooperative": 84.2, "washing_station": 85.0}.get(p.kind, 86.0)
            score = q(min(93.0, max(80.0, r.gauss(mean, 1.6))), "0.25")
        quality = None if r.random() < 0.05 else score
        c_level = self.w.c_at(contract)
        c_day = q(float(c_level) * r.uniform(0.97, 1.03), "0.05")
        diff = q(min(300.0, max(30.0, 45 + (float(score) - 82) * 30 + r.gauss(0, 20))), "1")
        ptbf = not robusta and (open_harvest or r.random() < 0.45)
        fixations: tuple[Fixation, ...] = ()
        fields: dict[str, Any] = {}
        if open_harvest and ptbf:  # arabica: the differential is agreed, the price not fixed
            fields = dict(contract_type=ContractType.PTBF, differential_cents_lb=diff,
                          futures_month=self.futures_month(contract))
        elif open_harvest:  # robusta: an offer still under negotiation
            status = LotStatus.OFFER if status is not LotStatus.CANCELLED else status
        elif ptbf:
            fixations = self.fixations(contract, harvest, weight or (
                bags * bag_kg if bags and bag_kg else None), status)
            fields = dict(contract_type=ContractType.PTBF, differential_cents_lb=diff,
                          futures_month=self.futures_month(contract), fixations=fixations)
        elif robusta:
            fob = q((float(c_day) * r.uniform(0.55, 0.72) + r.uniform(15, 60)) / 100, "0.01")
            fields = dict(contract_type=ContractType.FIXED, fob_usd_lb=fob)
        else:
            fields = dict(contract_type=ContractType.FIXED,
                          fob_usd_lb=q((float(c_day) + float(diff)) / 100, "0.01"),
                          c_cents_lb=c_day if r.random() < 0.8 else None)
        claimed = tuple(sorted({c.scheme for c in b.certs}, key=list(Scheme).index))
        if r.random() > 0.75:
            claimed = ()
        exporter = "" if r.random() < 0.06 else (
            prod.name if p.kind == "cooperative" and r.random() < 0.3 else r.choice(o.exporters))
        lot_id = self.w.new_id("lots")
        plot_ids = self.plot_ids(p, b)
        lot = Lot(
            code=code, producer_id=p.id, harvest=harvest, weight_kg=weight, bags=bags,
            bag_kg=bag_kg, name=self.lot_name(p, prod, variety, process), plot_ids=plot_ids,
            variety=variety, process=process,
            species=Species.ROBUSTA if robusta else Species.ARABICA, quality_score=quality,
            defects_cat1=None if r.random() < 0.08 else (
                0 if r.random() < 0.9 else r.randint(1, 2)),
            defects_cat2=None if r.random() < 0.08 else r.randint(0, 7),
            moisture_pct=None if r.random() < 0.08 else q(r.uniform(9.8, 11.9), "0.1"),
            status=status, contract_date=contract,
            exporter=exporter, importer="" if r.random() < 0.08 else r.choice(O.IMPORTERS),
            organic=any(s.is_organic for s in claimed), certifications_claimed=claimed,
            story=self.story(p, b, variety, process) if r.random() < 0.3 else "",
            id=lot_id, uuid=self.uuid(), **fields,
        )
        fob = fob_usd_lb(lot)
        fg = None
        if fob is not None and r.random() < (0.85 if harvest >= 2022 else 0.7):
            fg = self.farm_gate(p, robusta, fob, harvest, contract)
        costs = self.costs(fob, fg, bool(claimed)) if fg is not None else ()
        premiums = self.premiums(p, prod, claimed) if not open_harvest else ()
        return replace(lot, farm_gate=fg, costs=costs, premiums=premiums)

    def fixations(self, contract: date, harvest: int, weight: Decimal | None,
                  status: LotStatus) -> tuple[Fixation, ...]:
        r = self.rng
        if status in (LotStatus.OFFER, LotStatus.CONTRACTED) and r.random() < 0.3:
            return ()  # price still to be fixed
        parts = r.choices([1, 2, 3], [70, 25, 5])[0]
        if weight is None:
            parts = 1
        out = []
        day = contract
        for i in range(parts):
            day = min(day + timedelta(days=r.randint(0, 45)), date(harvest, 12, 20),
                      self.today - timedelta(days=1))
            level = self.w.c_at(day)
            volume = None
            if i < parts - 1 and weight is not None:
                volume = q(float(weight) * r.uniform(0.2, 0.45), "1")
            out.append(Fixation(day, q(float(level) * r.uniform(0.97, 1.03), "0.05"), volume))
        return tuple(out)

    @staticmethod
    def futures_month(contract: date) -> str:
        year, m = contract.year, next((m for m in _KC if m > contract.month), None)
        if m is None:
            year, m = year + 1, 3
        return f"KC{_KC[m]}{year % 100:02d}"

    def farm_gate(self, p: Planned, robusta: bool, fob: Decimal, harvest: int,
                  contract: date) -> FarmGatePrice:
        r, o = self.rng, p.origin
        share = min(0.83, max(0.52, r.gauss(o.share, 0.06)))
        unit_name, unit_kg, basis = o.unit_name, o.unit_kg, o.basis
        outturn = o.outturn
        if robusta and o.robusta_unit is not None:
            unit_name, unit_kg, basis = o.robusta_unit
            outturn = None
        factor: Decimal | None = None
        if o.code == "CO":
            factor = factor_from_rendimiento(r.randint(88, 98))
        elif outturn is not None and (o.code == "CR" or r.random() < 0.7):
            factor = q(r.uniform(float(outturn[0]), float(outturn[1])), "0.01")
        fx_year = o.fx[harvest]
        fx = fx_year * Decimal(repr(round(r.uniform(0.98, 1.02), 4)))
        fx = sig(fx, 6) if fx < 100 else fx.quantize(Decimal(1))
        per_lb_green = fob * Decimal(repr(round(share, 4)))
        eff = factor or DEFAULT_KG_PER_KG_GREEN[basis]
        amount = sig(per_lb_green / LB_KG * fx * unit_kg / eff)
        return FarmGatePrice(amount=amount, currency=o.currency, unit_name=unit_name,
                             unit_kg=unit_kg, basis=basis, fx_local_per_usd=fx,
                             kg_per_kg_green=factor, fx_date=contract, fx_source=o.fx_source)

    def costs(self, fob: Decimal | None, fg: FarmGatePrice, certified: bool
              ) -> tuple[CostLeg, ...]:
        r = self.rng
        if fob is None or r.random() > 0.55:
            return ()
        gap = float(fob - farm_gate_usd_lb_green(fg))
        legs = [("collection", 0.05, 0.12), ("milling", 0.05, 0.12), ("export", 0.08, 0.18)]
        if certified:
            legs.append(("certification", 0.01, 0.05))
        out = [CostLeg(Party.EXPORTER, name, q(gap * r.uniform(lo, hi), "0.0001"))
               for name, lo, hi in legs]
        if r.random() < 0.45:
            out += [
                CostLeg(Party.IMPORTER, "freight", q(r.uniform(0.08, 0.18), "0.0001")),
                CostLeg(Party.IMPORTER, "insurance", q(r.uniform(0.005, 0.015), "0.0001")),
                CostLeg(Party.IMPORTER, "import", q(r.uniform(0.02, 0.05), "0.0001")),
                CostLeg(Party.IMPORTER, "warehousing", q(r.uniform(0.02, 0.06), "0.0001")),
                CostLeg(Party.IMPORTER, "importer margin", q(r.uniform(0.2, 0.6), "0.0001")),
            ]
        return tuple(out)

    def premiums(self, p: Planned, prod: Producer, claimed: tuple[Scheme, ...]
                 ) -> tuple[Premium, ...]:
        r = self.rng
        if r.random() > 0.45:
            return ()
        out = []
        group = p.kind in ("cooperative", "washing_station")
        kinds = list(PremiumType)
        for t in r.sample(kinds, r.randint(1, 3)):
            if t is PremiumType.QUALITY:
                pr = Premium(t, PremiumBasis.PER_KG, q(r.uniform(0.2, 1.5), "0.01"), True,
                             prod.name)
            elif t is PremiumType.CERTIFICATION:
                if Scheme.FAIRTRADE not in claimed:
                    continue
                pr = Premium(t, PremiumBasis.PER_KG, Decimal("0.4409"), True, prod.name)
            elif t is PremiumType.SOCIAL:
                pr = Premium(t, PremiumBasis.PER_LOT, q(r.uniform(500, 5000), "10"), False,
                             f"community of {p.place}")
            elif t is PremiumType.RELATIONSHIP:
                pr = Premium(t, PremiumBasis.PER_KG, q(r.uniform(0.1, 0.5), "0.01"), False,
                             prod.name)
            elif group:
                pr = Premium(t, PremiumBasis.PER_FARMER, q(r.uniform(20, 80), "1"), False,
                             "member farmers", farmers=r.randint(10, 250))
            else:
                pr = Premium(t, PremiumBasis.PCT_OF_PRICE, q(r.uniform(3, 10), "0.5"), False,
                             prod.name)
            out.append(replace(pr, voided=r.random() < 0.015, id=self.w.new_id("premiums"),
                               uuid=self.uuid()))
        return tuple(out)

    def plot_ids(self, p: Planned, b: Bundle) -> tuple[int, ...]:
        r = self.rng
        if b.plots:
            k = min(len(b.plots), r.randint(1, 2))
            return tuple(sorted(x.id for x in r.sample(b.plots, k)))  # type: ignore[misc]
        if p.kind == "cooperative":
            member_plots = [x for m in self.fam.producers[1:] for x in self.bundles[m.id].plots]
            if member_plots and r.random() < 0.7:
                k = min(len(member_plots), r.randint(1, 5))
                return tuple(sorted(x.id for x in r.sample(member_plots, k)))  # type: ignore[misc]
        return ()

    def lot_name(self, p: Planned, prod: Producer, variety: str, process: Process) -> str:
        r = self.rng
        if p.origin.code == "ET":
            return f"{p.place} Grade {r.choice([1, 1, 2])} {process.value.title()}"
        if p.origin.code == "KE":
            return f"{p.place} {r.choice(['AA', 'AB', 'PB', 'AA', 'AB'])}"
        if p.kind in ("cooperative", "washing_station") and r.random() < 0.3:
            group = r.choice(["community", "women producers", "young producers"])
            return f"{p.region.name} {group} lot"
        return f"{prod.name} {variety} {process.value}"

    def story(self, p: Planned, b: Bundle, variety: str, process: Process) -> str:
        r = self.rng
        return r.choice(O.STORIES).format(
            producer=b.producer.name, alt=f"{b.producer.altitude_max_m or 1600:,}",
            place=p.place, region=p.region.name,
            person=b.people[0].name if b.people else "the family", variety=variety,
            process=process.value, project=r.choice(O.PROJECTS["drying beds"]).lower(),
        )

    def flush_lots(self, b: Bundle) -> None:
        for lot in b.lots:
            stamp = iso_stamp(lot.contract_date or date(lot.harvest, 6, 30))
            self.row("lots", {"id": lot.id, **R.lot_to_row(lot), "created_at": stamp,
                              "updated_at": stamp})
            for pid in lot.plot_ids:
                self.row("lot_plots", {"lot_id": lot.id, "plot_id": pid})
            for f in lot.fixations:
                self.row("fixations", {"lot_id": lot.id, "on_date": f.on.isoformat(),
                                       "c_cents_lb": d2s(f.c_cents_lb),
                                       "volume_kg": d2s(f.volume_kg)})
            for c in lot.costs:
                self.row("cost_legs", {"lot_id": lot.id, "party": c.party.value, "leg": c.leg,
                                       "usd_lb": d2s(c.usd_lb)})
            for pr in lot.premiums:
                self.row("premiums", {"id": pr.id, **R.premium_to_row(pr, lot.id),  # type: ignore[arg-type]
                                      "created_at": stamp})
