"""The worked example of docs/domain.md as records, shared by the unit tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import settings

from roasterdesk.domain.model import (
    ContractType,
    FarmGatePrice,
    Fixation,
    Lot,
    Process,
    Producer,
    ProducerKind,
)
from roasterdesk.domain.units import Basis, factor_from_rendimiento

# No per-example deadline: the machine running the suite may be busy, and a slow example is
# not a wrong one. Failing examples are printed so they can be replayed.
settings.register_profile("roasterdesk", deadline=None, print_blob=True)
settings.load_profile("roasterdesk")


def colombia_farm_gate(**kw) -> FarmGatePrice:
    """2,600,000 COP per carga of dry parchment, FR 94, 4,100 COP/USD."""
    args = dict(
        amount=Decimal(2_600_000), currency="COP", unit_name="carga (125 kg)",
        unit_kg=Decimal(125), basis=Basis.PARCHMENT, fx_local_per_usd=Decimal(4100),
        kg_per_kg_green=factor_from_rendimiento(94), fx_date=date(2025, 3, 14),
        fx_source="Banco de la República",
    )
    args.update(kw)
    return FarmGatePrice(**args)


def colombia_lot(**kw) -> Lot:
    """Washed Castillo, 20 × 70 kg, PTBF fixed on 2025-03-14 at C 380.00 + 95 ¢/lb."""
    args = dict(
        code="CO-25-001", producer_id=1, harvest=2025, bags=20, bag_kg=Decimal(70),
        variety="Castillo", process=Process.WASHED, contract_type=ContractType.PTBF,
        contract_date=date(2025, 3, 14), futures_month="KCK25",
        fixations=(Fixation(date(2025, 3, 14), Decimal("380.00")),),
        differential_cents_lb=Decimal(95), farm_gate=colombia_farm_gate(),
    )
    args.update(kw)
    return Lot(**args)


@pytest.fixture
def lot() -> Lot:
    return colombia_lot()


@pytest.fixture
def producer() -> Producer:
    return Producer("Finca El Mirador", ProducerKind.FARM, "CO", region="Nariño", id=1)


@pytest.fixture(scope="session")
def make_lot():
    """The worked-example lot with any field replaced."""
    return colombia_lot


@pytest.fixture(scope="session")
def make_farm_gate():
    return colombia_farm_gate
