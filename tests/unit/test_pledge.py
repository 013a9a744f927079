"""The Transparency Pledge's five data points per lot and the share of volume reported."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from roasterdesk.domain.model import (
    Consent,
    ConsentScope,
    Person,
    Producer,
    ProducerKind,
    Role,
)
from roasterdesk.domain.pledge import pledge_row, public_producer_name, summarise
from roasterdesk.domain.pricing import fob_usd_lb
from roasterdesk.domain.transparency import checklist

D = Decimal
NO_RECORDS = dict(visits=[], certifications=[], commitments=[], projects=[])


def test_public_producer_name_names_owners_only_with_consent(producer):
    on = date(2025, 3, 14)
    consent = Consent(date(2024, 1, 1), frozenset({ConsentScope.NAME}))
    people = [
        Person(1, "José Ramírez", Role.OWNER, consent=consent),
        Person(1, "Luz Ramírez", Role.OWNER),  # no consent
        Person(1, "Pedro Gómez", Role.MANAGER, consent=consent),  # not an owner
        Person(1, "Ana Ruiz", Role.OWNER, consent=replace(consent, withdrawn_on=date(2025, 1, 1))),
    ]
    coop = Producer("Asociación Buesaco", ProducerKind.COOPERATIVE, "CO")
    assert public_producer_name(producer, people, on) == "Finca El Mirador (José Ramírez)"
    assert public_producer_name(producer, people[1:], on, coop) == (
        "Finca El Mirador, member of Asociación Buesaco")


def test_pledge_rows_and_share_reported_by_weight(make_lot, producer):
    good = replace(make_lot(), quality_score=D("86"))
    no_quality = make_lot(code="CO-25-002", bags=10)
    no_weight = replace(make_lot(code="CO-25-003", bags=None), quality_score=D(84))
    rows = []
    for lot in (good, no_quality, no_weight):
        c = checklist(lot, producer, first_harvest=2021, **NO_RECORDS)
        rows.append(pledge_row(lot.code, lot.harvest, producer.name, "CO", fob_usd_lb(lot),
                               lot.quality_score, lot.weight, 2021, c))
    assert rows[0].reported and rows[0].missing == ()
    assert rows[0].relationship_harvests == 5
    assert rows[1].missing == ("Quality (cup score)",) and not rows[1].reported
    assert rows[2].missing == ("Lot size",)
    s = summarise(rows)
    assert (s.lots, s.reported_lots, s.lots_without_weight) == (3, 1, 1)
    assert (s.total_kg, s.reported_kg) == (D(2100), D(1400))
    assert s.share_reported == D(1400) / D(2100)
    assert replace(rows[0], first_harvest=None).relationship_harvests is None
    empty = summarise([rows[2]])
    assert empty.share_reported is None and empty.reported_lots == 0
