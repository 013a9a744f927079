"""A small, realistic database for the UI tests, built through the Store like the app does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal as D

from roasterdesk.domain.model import (
    Certification,
    Commitment,
    Consent,
    ConsentScope,
    FarmGatePrice,
    FollowUp,
    Lot,
    LotStatus,
    Person,
    Plot,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Role,
    Scheme,
    Visit,
    VisitMode,
)
from roasterdesk.domain.units import Basis
from roasterdesk.store import Store
from roasterdesk.store.store import current_harvest


@dataclass
class Sample:
    coop: Producer
    station: Producer
    farm: Producer
    expiring: Certification
    overdue_visit: Visit
    at_risk: Commitment
    lot_ids: list[int]


def build(store: Store, today: date | None = None) -> Sample:
    today = today or date.today()
    this = current_harvest(today)
    coop = store.save_producer(Producer(
        "Cooperativa Los Andes", ProducerKind.COOPERATIVE, "CO", region="Huila",
        municipality="Pitalito", altitude_min_m=1500, altitude_max_m=1950,
        total_area_ha=D("820"), coffee_area_ha=D("610"), varieties=("Castillo", "Caturra"),
        processes=("washed",), harvest_months=(4, 5, 6, 10, 11)))
    station = store.save_producer(Producer(
        "Chelchele Washing Station", ProducerKind.WASHING_STATION, "ET", region="Gedeo",
        altitude_min_m=1900, altitude_max_m=2200, varieties=("74110", "Heirloom")))
    farm = store.save_producer(Producer(
        "Sítio Boa Vista", ProducerKind.FARM, "BR", region="Sul de Minas",
        altitude_min_m=1100, altitude_max_m=1250, total_area_ha=D("32")))
    store.save_person(Person(coop.id, "Ana María Rojas", Role.COOP_PRESIDENT,
                             consent=Consent(date(2024, 3, 1), frozenset(ConsentScope))))
    store.save_person(Person(coop.id, "Luis Ortega", Role.AGRONOMIST))
    store.save_plot(Plot(coop.id, "La Loma", D("3.2"), {
        "type": "Polygon", "coordinates": [[[-76.05, 1.85], [-76.048, 1.85], [-76.048, 1.852],
                                            [-76.05, 1.852], [-76.05, 1.85]]]},
        altitude_m=1720, shade_pct=40))
    store.save_plot(Plot(coop.id, "El Mirador", D("1.5"),
                         {"type": "Point", "coordinates": [-76.046, 1.854]}))
    expiring = store.save_certification(Certification(
        coop.id, Scheme.FAIRTRADE, "FLO-1234", "Cooperativa Los Andes",
        today - timedelta(days=700), today + timedelta(days=30)))
    store.save_certification(Certification(
        station.id, Scheme.ORGANIC_EU, "EU-ORG-77", valid_from=today - timedelta(days=100),
        valid_to=today + timedelta(days=400)))
    at_risk = store.save_commitment(Commitment(
        station.id, this - 1, this + 1, volume_kg=D("6000"), price_floor_usd_lb=D("4.00"),
        terms="Three harvests, natural and washed"))
    store.save_commitment(Commitment(coop.id, this - 2, this, volume_kg=D("1000")))
    overdue = store.save_visit(Visit(
        coop.id, today - timedelta(days=60), VisitMode.IN_PERSON, ("Ana María Rojas",),
        notes="Drying beds crowded; new solar dryer discussed",
        follow_ups=(FollowUp("Send quote for solar dryer", "buyer",
                             today - timedelta(days=5)),)))
    store.save_visit(Visit(station.id, today - timedelta(days=400), VisitMode.VIDEO,
                           notes="Call about the natural lots"))
    lot_ids = []
    fg = FarmGatePrice(D("2600000"), "COP", "carga", D("125"), Basis.PARCHMENT, D("4100"),
                       kg_per_kg_green=D(94) / D(70))
    for n, (year, c, fob, score) in enumerate([
        (this - 3, "175", "3.40", "85.5"), (this - 2, "250", "4.10", "86.0"),
        (this - 1, "370", "4.75", "86.75")]):
        lot = store.save_lot(Lot(
            f"CO-{year % 100}-{n + 1:03d}", coop.id, year, bags=20, bag_kg=D(70),
            variety="Castillo", quality_score=D(score), status=LotStatus.ARRIVED,
            contract_date=date(year, 3, 14), c_cents_lb=D(c), fob_usd_lb=D(fob),
            farm_gate=fg, exporter="Exportadora Sur", importer="Green Import Co"))
        lot_ids.append(lot.id)
    lot = store.save_lot(Lot(f"ET-{this % 100}-001", station.id, this, weight_kg=D("1200"),
                             status=LotStatus.CONTRACTED))
    lot_ids.append(lot.id)
    store.save_project(Project(coop.id, this - 1, ProjectCategory.DRYING_BEDS, D("4500"),
                               description="Raised drying beds for 40 members"))
    return Sample(coop, station, farm, expiring, overdue, at_risk, lot_ids)
