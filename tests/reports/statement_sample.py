"""The worked example of docs/domain.md stored through the Store, with people of known consent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from roasterdesk.domain.model import (
    Certification,
    Consent,
    ConsentScope,
    ContractType,
    Evidence,
    FarmGatePrice,
    Fixation,
    Lot,
    Observation,
    Person,
    Plot,
    Process,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Role,
    Scheme,
    Topic,
    Visit,
)
from roasterdesk.domain.units import Basis, factor_from_rendimiento

ON = date(2026, 6, 1)
"""The statement date used by the tests."""

NAMED = "Aurora Benavides"
HIDDEN = "Wilmer Quiñónez"
HIDDEN_QUOTE = "We dried it twice on raised beds"


def farm_gate() -> FarmGatePrice:
    return FarmGatePrice(
        amount=Decimal(2_600_000), currency="COP", unit_name="carga (125 kg)",
        unit_kg=Decimal(125), basis=Basis.PARCHMENT, fx_local_per_usd=Decimal(4100),
        kg_per_kg_green=factor_from_rendimiento(94), fx_date=date(2025, 3, 14),
    )


def build_example(store):
    """Store holding the worked-example lot CO-25-001 and an older lot of the same producer."""
    prod = store.save_producer(Producer(
        "Caficultores de Nariño", ProducerKind.COOPERATIVE, "CO", region="Nariño",
        altitude_min_m=1700, altitude_max_m=2100))
    pid = prod.id
    store.save_person(Person(pid, NAMED, Role.COOP_PRESIDENT, email="aurora@example.org",
                             consent=Consent(date(2024, 1, 10), frozenset(ConsentScope)),
                             quote="A fair price lets us plan the next harvest"))
    store.save_person(Person(pid, HIDDEN, Role.MANAGER, quote=HIDDEN_QUOTE,
                             consent=Consent(date(2024, 1, 10), frozenset(ConsentScope),
                                             withdrawn_on=date(2025, 1, 1))))
    plot = store.save_plot(Plot(pid, "La Loma", Decimal("3.5"), {
        "type": "Polygon",
        "coordinates": [[[-77.281234, 1.212345], [-77.279876, 1.212345],
                         [-77.279876, 1.213987], [-77.281234, 1.212345]]],
    }, altitude_m=1850, shade_pct=40))
    store.save_visit(Visit(pid, date(2025, 2, 20), observations=(
        Observation(Topic.SHADE, Evidence.OBSERVED, f"{HIDDEN} showed the guamo shade"),
        Observation(Topic.CHILD_LABOUR, Evidence.OBSERVED, "none seen"),
        Observation(Topic.WATER_USE, Evidence.REPORTED),
    ), participants=(HIDDEN,), notes=f"Met {HIDDEN} at the wet mill"))
    store.save_certification(Certification(pid, Scheme.FAIRTRADE, "FLO-12345",
                                           valid_from=date(2024, 1, 1),
                                           valid_to=date(2027, 12, 31)))
    store.save_project(Project(pid, 2025, ProjectCategory.DRYING_BEDS, Decimal(1500),
                               description=f"Raised beds, built with {HIDDEN}"))
    store.save_lot(Lot(
        code="CO-24-007", producer_id=pid, harvest=2024, bags=10, bag_kg=Decimal(70),
        contract_type=ContractType.FIXED, fob_usd_lb=Decimal("3.40"),
        c_cents_lb=Decimal(250), contract_date=date(2024, 4, 2), farm_gate=farm_gate()))
    lot = store.save_lot(Lot(
        code="CO-25-001", name="Nariño Castillo lavado", producer_id=pid, harvest=2025,
        bags=20, bag_kg=Decimal(70), variety="Castillo", process=Process.WASHED,
        contract_type=ContractType.PTBF, contract_date=date(2025, 3, 14),
        futures_month="KCK25", fixations=(Fixation(date(2025, 3, 14), Decimal("380.00")),),
        differential_cents_lb=Decimal(95), farm_gate=farm_gate(), quality_score=Decimal("86.5"),
        exporter="Expocafé", importer="Green Import Co.", plot_ids=(plot.id,),
        story=f"{HIDDEN} ferments this lot for 36 hours.",
    ))
    return store, lot
