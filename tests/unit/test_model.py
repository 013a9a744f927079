"""Records: every validation error a user can meet, consent, and small record behaviour."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.geo import GeometryError
from roasterdesk.domain.model import (
    Certification,
    Commitment,
    Consent,
    ConsentScope,
    ContractType,
    CostLeg,
    Evidence,
    FarmGatePrice,
    Fixation,
    FollowUp,
    Lot,
    Observation,
    Party,
    Person,
    Plot,
    Premium,
    PremiumBasis,
    PremiumType,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Scheme,
    Topic,
    Visit,
    VisitMode,
    new_uuid,
)
from roasterdesk.domain.units import Basis

D = Decimal


def producer(**kw):
    return Producer(**{"name": "Finca El Mirador", "kind": ProducerKind.FARM, "country": "CO",
                       **kw})


@pytest.mark.parametrize("kw, message", [
    ({"name": "  "}, "needs a name"),
    ({"country": "COL"}, "ISO 3166"),
    ({"country": "co"}, "ISO 3166"),
    ({"country": "C1"}, "ISO 3166"),
    ({"altitude_min_m": 7000}, "not plausible"),
    ({"altitude_max_m": -600}, "not plausible"),
    ({"altitude_min_m": 1900, "altitude_max_m": 1700}, "lowest altitude is above"),
    ({"total_area_ha": D(-1)}, "negative"),
    ({"coffee_area_ha": D("-0.5")}, "negative"),
    ({"harvest_months": (4, 13)}, "1–12"),
    ({"harvest_months": (0,)}, "1–12"),
])
def test_producer_validation(kw, message):
    with pytest.raises(ValueError, match=message):
        producer(**kw)


def test_producer_labels():
    assert producer().altitude_label == ""
    assert producer(altitude_min_m=1700, altitude_max_m=2100).altitude_label == "1,700–2,100 masl"
    assert producer(altitude_min_m=1800, altitude_max_m=1800).altitude_label == "1,800 masl"
    assert producer(altitude_max_m=1950).altitude_label == "1,950 masl"
    assert producer(altitude_min_m=1600).altitude_label == "1,600 masl"
    assert ProducerKind.WASHING_STATION.label == "washing station"
    assert producer().uuid != producer().uuid
    assert len(new_uuid()) == 36


def test_consent_scope_dates_and_withdrawal():
    c = Consent(date(2024, 5, 1), frozenset({ConsentScope.NAME, ConsentScope.QUOTE}),
                withdrawn_on=date(2025, 2, 1))
    assert c.allows(ConsentScope.NAME, date(2024, 5, 1))
    assert c.allows(ConsentScope.QUOTE, date(2025, 1, 31))
    assert not c.allows(ConsentScope.PHOTO, date(2024, 6, 1))  # outside the scope
    assert not c.allows(ConsentScope.NAME, date(2024, 4, 30))  # before it was given
    assert not c.allows(ConsentScope.NAME, date(2025, 2, 1))  # withdrawn from that day
    assert Consent(date(2024, 5, 1), frozenset(ConsentScope)).allows(
        ConsentScope.PHOTO, date(2030, 1, 1))


def test_person_may_appear_only_with_consent_and_not_pseudonymised():
    consent = Consent(date(2024, 5, 1), frozenset({ConsentScope.NAME}))
    p = Person(1, "María Pérez", consent=consent)
    on = date(2024, 6, 1)
    assert p.may_appear(ConsentScope.NAME, on)
    assert not p.may_appear(ConsentScope.PHOTO, on)
    assert not replace(p, pseudonymised=True).may_appear(ConsentScope.NAME, on)
    assert not replace(p, consent=None).may_appear(ConsentScope.NAME, on)
    with pytest.raises(ValueError, match="needs a name"):
        Person(1, " ")


def test_plot_validation():
    Plot(1, "La Loma", area_ha=D("2.5"), shade_pct=40,
         geometry={"type": "Point", "coordinates": [-77.28, 1.21]})
    with pytest.raises(ValueError, match="more than 0 ha"):
        Plot(1, "x", area_ha=D(0))
    with pytest.raises(ValueError, match="0–100"):
        Plot(1, "x", shade_pct=101)
    with pytest.raises(ValueError, match="0–100"):
        Plot(1, "x", shade_pct=-1)
    with pytest.raises(GeometryError, match="latitude"):
        Plot(1, "x", geometry={"type": "Point", "coordinates": [1.21, -97.28]})


def test_certification_validity():
    c = Certification(1, Scheme.FAIRTRADE, valid_from=date(2024, 1, 1), valid_to=date(2026, 12, 31))
    assert c.valid_on(date(2024, 1, 1)) and c.valid_on(date(2026, 12, 31))
    assert not c.valid_on(date(2023, 12, 31)) and not c.valid_on(date(2027, 1, 1))
    # without an expiry date a certificate cannot be shown current
    assert not Certification(1, Scheme.FOUR_C, valid_from=date(2024, 1, 1)).valid_on(
        date(2024, 6, 1))
    with pytest.raises(ValueError, match="expire before it starts"):
        Certification(1, Scheme.FAIRTRADE, valid_from=date(2025, 1, 1), valid_to=date(2024, 1, 1))
    assert Scheme.ORGANIC_EU.is_organic and Scheme.ORGANIC_USDA.is_organic
    assert not Scheme.FAIRTRADE.is_organic
    assert Scheme.RAINFOREST_ALLIANCE.covers_labour and not Scheme.BIRD_FRIENDLY.covers_labour


@pytest.mark.parametrize("kw, message", [
    ({"first_harvest": 2025, "last_harvest": 2024}, "before its first"),
    ({"volume_kg": None, "price_floor_usd_lb": None}, "volume, a price floor, or both"),
    ({"volume_kg": D(0)}, "volume must be positive"),
    ({"price_floor_usd_lb": D("-1")}, "floor must be positive"),
])
def test_commitment_validation(kw, message):
    args = {"producer_id": 1, "first_harvest": 2023, "last_harvest": 2025,
            "volume_kg": D(1400), **kw}
    with pytest.raises(ValueError, match=message):
        Commitment(**args)


def test_commitment_harvests():
    assert list(Commitment(1, 2023, 2025, volume_kg=D(1)).harvests) == [2023, 2024, 2025]


def test_visit_rules_and_labels():
    obs = (Observation(Topic.SHADE, Evidence.OBSERVED), Observation(Topic.SHADE, Evidence.REPORTED))
    with pytest.raises(ValueError, match="once per visit"):
        Visit(1, date(2025, 1, 1), observations=obs)
    v = Visit(1, date(2025, 1, 1), observations=obs[:1])
    assert v.observation(Topic.SHADE).evidence is Evidence.OBSERVED
    assert v.observation(Topic.WATER_USE) is None
    assert VisitMode.IN_PERSON.label == "in person" and not VisitMode.IN_PERSON.remote
    assert VisitMode.VIDEO.label == "video" and VisitMode.VIDEO.remote
    assert Topic.CHILD_LABOUR.label == "Child labour" and Topic.CHILD_LABOUR.is_labour
    assert not Topic.COMPOSTING.is_labour


def test_follow_up_overdue():
    f = FollowUp("Send drying-bed quote", "Ana", due=date(2025, 3, 1))
    assert f.overdue(date(2025, 3, 2)) and not f.overdue(date(2025, 3, 1))
    assert not replace(f, done=True).overdue(date(2026, 1, 1))
    assert not FollowUp("no date").overdue(date(2030, 1, 1))
    with pytest.raises(ValueError, match="description"):
        FollowUp("  ")


@pytest.mark.parametrize("kw, message", [
    ({"code": " "}, "needs a code"),
    ({"weight_kg": D(0)}, "more than 0 kg"),
    ({"bags": 0}, "at least one bag"),
    ({"bag_kg": D(-70)}, "bag must weigh"),
    ({"quality_score": D("100.5")}, "0–100"),
    ({"quality_score": D(-1)}, "0–100"),
    ({"moisture_pct": D(31)}, "0–30"),
    ({"defects_cat1": -1}, "negative"),
    ({"defects_cat2": -2}, "negative"),
    ({"c_cents_lb": D(0)}, "C price must be positive"),
    ({"fob_usd_lb": D("-4.75")}, "FOB price must be positive"),
])
def test_lot_validation(kw, message):
    with pytest.raises(ValueError, match=message):
        Lot(**{"code": "CO-25-001", "producer_id": 1, "harvest": 2025, **kw})


def test_a_ptbf_differential_cannot_make_the_fob_zero_or_negative():
    fix = (Fixation(date(2025, 1, 1), D(380)), Fixation(date(2025, 2, 1), D(100)))
    with pytest.raises(ValueError, match="C \\+ differential must be above 0"):
        Lot("A", 1, 2025, contract_type=ContractType.PTBF, fixations=fix,
            differential_cents_lb=D(-100))
    Lot("A", 1, 2025, contract_type=ContractType.PTBF, fixations=fix,
        differential_cents_lb=D("-99.99"))
    # a fixed-price lot ignores fixations left on it
    Lot("A", 1, 2025, fixations=fix, differential_cents_lb=D(-100), fob_usd_lb=D(3))


def test_lot_weight_is_recorded_weight_else_bags_times_bag_size():
    assert Lot("A", 1, 2025, bags=20, bag_kg=D(70)).weight == 1400
    assert Lot("A", 1, 2025, weight_kg=D(1385), bags=20, bag_kg=D(70)).weight == 1385
    assert Lot("A", 1, 2025, bags=20).weight is None
    assert Lot("A", 1, 2025).weight is None


def test_fixation_farm_gate_cost_premium_project_validation():
    with pytest.raises(ValueError, match="C price must be positive"):
        Fixation(date(2025, 1, 1), D(0))
    with pytest.raises(ValueError, match="fixed volume must be positive"):
        Fixation(date(2025, 1, 1), D(380), D(0))
    fg = {"amount": D(1), "currency": "COP", "unit_name": "kg", "unit_kg": D(1),
          "basis": Basis.GREEN, "fx_local_per_usd": D(4000)}
    for kw, message in (({"amount": D(0)}, "farm-gate price must be positive"),
                        ({"unit_kg": D(0)}, "more than 0 kg"),
                        ({"fx_local_per_usd": D(0)}, "exchange rate must be positive"),
                        ({"kg_per_kg_green": D(0)}, "outturn factor must be positive")):
        with pytest.raises(ValueError, match=message):
            FarmGatePrice(**{**fg, **kw})
    with pytest.raises(ValueError, match="cannot be negative"):
        CostLeg(Party.EXPORTER, "milling", D("-0.01"))
    with pytest.raises(ValueError, match="premium cannot be negative"):
        Premium(PremiumType.QUALITY, PremiumBasis.PER_KG, D(-1))
    with pytest.raises(ValueError, match="number of farmers"):
        Premium(PremiumType.SOCIAL, PremiumBasis.PER_FARMER, D(50))
    with pytest.raises(ValueError, match="cannot be negative"):
        Project(1, 2025, ProjectCategory.DRYING_BEDS, D(-100))
