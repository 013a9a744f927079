"""Origin countries (names, boxes) and the Transparency Pledge figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.countries import (
    BOUNDING_BOXES,
    country_code,
    country_name,
    in_box,
    location_check,
)
from roasterdesk.domain.model import (
    Consent,
    ConsentScope,
    Lot,
    Person,
    Producer,
    ProducerKind,
    Role,
)
from roasterdesk.domain.pledge import pledge_row, public_producer_name, summarise
from roasterdesk.domain.transparency import checklist


@pytest.mark.parametrize("text, code", [
    ("Colombia", "CO"), ("  etiopía ", "ET"), ("Éthiopie", "ET"), ("Brasil", "BR"),
    ("co", "CO"), ("COL", "CO"), ("ken", "KE"), ("Côte d’Ivoire", "CI"), ("Hawaii", "US"),
    ("Narnia", None), ("XYZ", None), ("C0", None),
])
def test_country_names_and_codes(text, code):
    assert country_code(text) == code


def test_country_name_and_boxes():
    assert country_name("ET") == "Ethiopia" and country_name("ZZ") == "ZZ"
    assert in_box("CO", -75.5, 4.6) is True  # Bogotá
    assert in_box("CO", 4.6, -75.5) is False
    assert in_box("ZZ", 0, 0) is None
    assert location_check("ET", 38.76, 9.03) == "ok"  # Addis Ababa
    assert location_check("ET", 9.03, 38.76) == "swapped"
    assert location_check("ET", 36.82, -1.29) == "outside"  # Nairobi
    assert location_check("ET", 120.0, 9.0) == "outside"  # |lon| > 90 cannot be a latitude
    assert location_check("NO", 10.0, 60.0) == "unknown"
    for code, (a, b, c, d) in BOUNDING_BOXES.items():
        assert a < c and b < d and -180 <= a and c <= 180 and -90 <= b and d <= 90, code


def _check(lot, producer):
    return checklist(lot, producer, visits=[], certifications=[], commitments=[], projects=[],
                     first_harvest=2020)


def test_public_name_respects_consent_and_membership():
    farm = Producer("Finca El Mirador", ProducerKind.FARM, "CO", id=1)
    coop = Producer("Coop Sur", ProducerKind.COOPERATIVE, "CO", id=2)
    consent = Consent(date(2024, 1, 1), frozenset({ConsentScope.NAME}),
                      withdrawn_on=date(2025, 1, 1))
    people = [Person(1, "José", Role.OWNER, consent=consent),
              Person(1, "Lucía", Role.MANAGER, consent=consent),
              Person(1, "Ana", Role.OWNER)]
    assert public_producer_name(farm, people, date(2024, 6, 1)) == "Finca El Mirador (José)"
    assert public_producer_name(farm, people, date(2025, 6, 1)) == "Finca El Mirador"
    assert public_producer_name(farm, [], date(2024, 6, 1), coop) == \
        "Finca El Mirador, member of Coop Sur"


def test_rows_and_share_by_weight():
    p = Producer("Finca", ProducerKind.FARM, "CO", id=1)
    full = Lot("A", 1, 2024, weight_kg=Decimal(300), quality_score=Decimal(85),
               fob_usd_lb=Decimal(4))
    no_fob = Lot("B", 1, 2024, weight_kg=Decimal(100), quality_score=Decimal(85))
    no_weight = Lot("C", 1, 2024, quality_score=Decimal(85), fob_usd_lb=Decimal(4))
    rows = [pledge_row(x.code, x.harvest, p.name, p.country, x.fob_usd_lb, x.quality_score,
                       x.weight, 2020, _check(x, p)) for x in (full, no_fob, no_weight)]
    assert [r.reported for r in rows] == [True, False, False]
    assert rows[1].missing == ("FOB price paid",)
    assert rows[0].relationship_harvests == 5
    s = summarise(rows)
    assert (s.lots, s.reported_lots, s.total_kg, s.reported_kg, s.lots_without_weight) == (
        3, 1, 400, 300, 1)
    assert s.share_reported == Decimal("0.75")
    none = pledge_row("D", 2024, "x", "CO", None, None, None, None, _check(no_weight, p))
    assert none.relationship_harvests is None
    assert summarise([none]).share_reported is None
