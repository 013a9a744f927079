"""Row ⇄ domain object conversions, one pair per record kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain.model import (
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
    LotStatus,
    Observation,
    Outcome,
    Party,
    Person,
    Photo,
    Plot,
    Premium,
    PremiumBasis,
    PremiumType,
    Process,
    Producer,
    ProducerKind,
    Project,
    ProjectCategory,
    Purpose,
    Role,
    Scheme,
    Species,
    Topic,
    Visit,
    VisitMode,
)
from ..domain.reference import FairtradeTerms, LivingIncomeReference
from ..domain.units import Basis
from .codec import b2i, d2s, date2s, i2b, j, s2d, s2date, unj

Row = dict[str, Any]


def producer_to_row(p: Producer) -> Row:
    return {
        "uuid": p.uuid, "name": p.name.strip(), "kind": p.kind.value if p.kind else None,
        "parent_id": p.parent_id,
        "country": p.country, "region": p.region, "municipality": p.municipality,
        "altitude_min_m": p.altitude_min_m, "altitude_max_m": p.altitude_max_m,
        "total_area_ha": d2s(p.total_area_ha), "coffee_area_ha": d2s(p.coffee_area_ha),
        "varieties": j(list(p.varieties)), "processes": j(list(p.processes)),
        "harvest_months": j(list(p.harvest_months)), "notes": p.notes,
    }


def row_to_producer(r: Row) -> Producer:
    return Producer(
        id=r["id"], uuid=r["uuid"], name=r["name"],
        kind=ProducerKind(r["kind"]) if r["kind"] else None,
        parent_id=r["parent_id"], country=r["country"], region=r["region"],
        municipality=r["municipality"], altitude_min_m=r["altitude_min_m"],
        altitude_max_m=r["altitude_max_m"], total_area_ha=s2d(r["total_area_ha"]),
        coffee_area_ha=s2d(r["coffee_area_ha"]), varieties=tuple(unj(r["varieties"], [])),
        processes=tuple(unj(r["processes"], [])),
        harvest_months=tuple(unj(r["harvest_months"], [])), notes=r["notes"],
    )


def person_to_row(p: Person) -> Row:
    c = p.consent
    return {
        "uuid": p.uuid, "producer_id": p.producer_id, "name": p.name.strip(),
        "role": p.role.value if p.role else None, "phone": p.phone, "email": p.email,
        "consent_given_on": date2s(c.given_on) if c else None,
        "consent_scope": j(sorted(s.value for s in c.scope)) if c else "[]",
        "consent_withdrawn_on": date2s(c.withdrawn_on) if c else None,
        "consent_note": c.note if c else "",
        "quote": p.quote, "pseudonymised": int(p.pseudonymised),
    }


def row_to_person(r: Row) -> Person:
    consent = None
    if r["consent_given_on"]:
        consent = Consent(
            given_on=s2date(r["consent_given_on"]),  # type: ignore[arg-type]
            scope=frozenset(ConsentScope(s) for s in unj(r["consent_scope"], [])),
            withdrawn_on=s2date(r["consent_withdrawn_on"]),
            note=r["consent_note"],
        )
    return Person(
        id=r["id"], uuid=r["uuid"], producer_id=r["producer_id"], name=r["name"],
        role=Role(r["role"]) if r["role"] else None, phone=r["phone"], email=r["email"],
        consent=consent,
        quote=r["quote"], pseudonymised=bool(r["pseudonymised"]),
    )


def plot_to_row(p: Plot) -> Row:
    return {
        "uuid": p.uuid, "producer_id": p.producer_id, "name": p.name,
        "area_ha": d2s(p.area_ha), "geometry": j(p.geometry) if p.geometry else None,
        "altitude_m": p.altitude_m, "varieties": j(list(p.varieties)),
        "shade_pct": p.shade_pct, "planted_on": date2s(p.planted_on),
        "forest_after_2020": b2i(p.forest_after_2020),
    }


def row_to_plot(r: Row) -> Plot:
    return Plot(
        id=r["id"], uuid=r["uuid"], producer_id=r["producer_id"], name=r["name"],
        area_ha=s2d(r["area_ha"]), geometry=unj(r["geometry"]), altitude_m=r["altitude_m"],
        varieties=tuple(unj(r["varieties"], [])), shade_pct=r["shade_pct"],
        planted_on=s2date(r["planted_on"]), forest_after_2020=i2b(r["forest_after_2020"]),
    )


def certification_to_row(c: Certification) -> Row:
    return {
        "uuid": c.uuid, "producer_id": c.producer_id, "scheme": c.scheme.value,
        "number": c.number, "holder": c.holder, "valid_from": date2s(c.valid_from),
        "valid_to": date2s(c.valid_to),
    }


def row_to_certification(r: Row) -> Certification:
    return Certification(
        id=r["id"], uuid=r["uuid"], producer_id=r["producer_id"], scheme=Scheme(r["scheme"]),
        number=r["number"], holder=r["holder"], valid_from=s2date(r["valid_from"]),
        valid_to=s2date(r["valid_to"]),
    )


def commitment_to_row(c: Commitment) -> Row:
    return {
        "uuid": c.uuid, "producer_id": c.producer_id, "first_harvest": c.first_harvest,
        "last_harvest": c.last_harvest, "volume_kg": d2s(c.volume_kg),
        "price_floor_usd_lb": d2s(c.price_floor_usd_lb), "terms": c.terms,
    }


def row_to_commitment(r: Row) -> Commitment:
    return Commitment(
        id=r["id"], uuid=r["uuid"], producer_id=r["producer_id"],
        first_harvest=r["first_harvest"], last_harvest=r["last_harvest"],
        volume_kg=s2d(r["volume_kg"]), price_floor_usd_lb=s2d(r["price_floor_usd_lb"]),
        terms=r["terms"],
    )


def project_to_row(p: Project) -> Row:
    return {
        "uuid": p.uuid, "producer_id": p.producer_id, "lot_id": p.lot_id, "year": p.year,
        "category": p.category.value, "amount": d2s(p.amount), "currency": p.currency,
        "description": p.description, "evidence_visit_id": p.evidence_visit_id,
    }


def row_to_project(r: Row) -> Project:
    return Project(
        id=r["id"], uuid=r["uuid"], producer_id=r["producer_id"], lot_id=r["lot_id"],
        year=r["year"], category=ProjectCategory(r["category"]),
        amount=Decimal(r["amount"]), currency=r["currency"], description=r["description"],
        evidence_visit_id=r["evidence_visit_id"],
    )


def visit_to_row(v: Visit) -> Row:
    return {
        "uuid": v.uuid, "producer_id": v.producer_id, "date": v.date.isoformat(),
        "mode": v.mode.value, "participants": j(list(v.participants)),
        "purposes": j([p.value for p in v.purposes]),
        "observations": j([
            {"topic": o.topic.value, "evidence": o.evidence.value, "note": o.note,
             **({"outcome": o.outcome.value} if o.outcome is not None else {})}
            for o in v.observations
        ]),
        "notes": v.notes,
    }


def row_to_visit(r: Row, follow_ups: list[Row], photos: list[Row]) -> Visit:
    return Visit(
        id=r["id"], uuid=r["uuid"], producer_id=r["producer_id"],
        date=s2date(r["date"]),  # type: ignore[arg-type]
        mode=VisitMode(r["mode"]), participants=tuple(unj(r["participants"], [])),
        purposes=tuple(Purpose(p) for p in unj(r["purposes"], [])),
        observations=tuple(
            Observation(Topic(o["topic"]), Evidence(o["evidence"]), o.get("note", ""),
                        Outcome(o["outcome"]) if o.get("outcome") else None)
            for o in unj(r["observations"], [])
        ),
        notes=r["notes"],
        follow_ups=tuple(
            FollowUp(
                id=f["id"], uuid=f["uuid"], what=f["what"], who=f["who"],
                due=s2date(f["due"]), done=bool(f["done"]),
            )
            for f in follow_ups
        ),
        photos=tuple(
            Photo(sha256=p["sha256"], filename=p["filename"], caption=p["caption"],
                  person_id=p["person_id"], uuid=p["uuid"])
            for p in photos
        ),
    )


def follow_up_to_row(f: FollowUp) -> Row:
    """Without ``visit_id``: the store adds the visit's."""
    return {"uuid": f.uuid, "what": f.what, "who": f.who, "due": date2s(f.due),
            "done": int(f.done)}


def photo_to_row(p: Photo) -> Row:
    return {"uuid": p.uuid, "sha256": p.sha256, "filename": p.filename, "caption": p.caption,
            "person_id": p.person_id}


def fixation_to_row(f: Fixation) -> Row:
    """Without ``lot_id``: the store adds the lot's."""
    return {"uuid": f.uuid, "on_date": f.on.isoformat(), "c_cents_lb": d2s(f.c_cents_lb),
            "volume_kg": d2s(f.volume_kg)}


def cost_leg_to_row(c: CostLeg) -> Row:
    return {"uuid": c.uuid, "party": c.party.value, "leg": c.leg, "usd_lb": d2s(c.usd_lb)}


def lot_to_row(lot: Lot) -> Row:
    fg = lot.farm_gate
    return {
        "uuid": lot.uuid, "code": lot.code.strip(), "name": lot.name,
        "producer_id": lot.producer_id, "harvest": lot.harvest,
        "weight_kg": d2s(lot.weight_kg), "bags": lot.bags, "bag_kg": d2s(lot.bag_kg),
        "variety": lot.variety, "process": lot.process.value if lot.process else None,
        "species": lot.species.value if lot.species else None,
        "quality_score": d2s(lot.quality_score), "defects_cat1": lot.defects_cat1,
        "defects_cat2": lot.defects_cat2, "moisture_pct": d2s(lot.moisture_pct),
        "status": lot.status.value if lot.status else None,
        "contract_type": lot.contract_type.value if lot.contract_type else None,
        "contract_date": date2s(lot.contract_date), "futures_month": lot.futures_month,
        "c_cents_lb": d2s(lot.c_cents_lb), "c_estimated": int(lot.c_estimated),
        "differential_cents_lb": d2s(lot.differential_cents_lb),
        "fob_usd_lb": d2s(lot.fob_usd_lb),
        "fg_amount": d2s(fg.amount) if fg else None,
        "fg_currency": fg.currency if fg else None,
        "fg_unit_name": fg.unit_name if fg else None,
        "fg_unit_kg": d2s(fg.unit_kg) if fg else None,
        "fg_basis": fg.basis.value if fg else None,
        "fg_kg_per_kg_green": d2s(fg.kg_per_kg_green) if fg else None,
        "fg_fx_local_per_usd": d2s(fg.fx_local_per_usd) if fg else None,
        "fg_fx_date": date2s(fg.fx_date) if fg else None,
        "fg_fx_source": fg.fx_source if fg else None,
        "exporter": lot.exporter, "importer": lot.importer,
        "organic": None if lot.organic is None else int(lot.organic),
        "certifications_claimed": j([s.value for s in lot.certifications_claimed]),
        "story": lot.story,
    }


def row_to_lot(
    r: Row,
    plot_ids: list[int],
    fixations: list[Row],
    costs: list[Row],
    premiums: list[Row],
) -> Lot:
    fg = None
    if r["fg_amount"] is not None:
        fg = FarmGatePrice(
            amount=Decimal(r["fg_amount"]), currency=r["fg_currency"],
            unit_name=r["fg_unit_name"], unit_kg=Decimal(r["fg_unit_kg"]),
            basis=Basis(r["fg_basis"]), kg_per_kg_green=s2d(r["fg_kg_per_kg_green"]),
            fx_local_per_usd=Decimal(r["fg_fx_local_per_usd"]),
            fx_date=s2date(r["fg_fx_date"]), fx_source=r["fg_fx_source"] or "",
        )
    return Lot(
        id=r["id"], uuid=r["uuid"], code=r["code"], name=r["name"],
        producer_id=r["producer_id"], harvest=r["harvest"], weight_kg=s2d(r["weight_kg"]),
        bags=r["bags"], bag_kg=s2d(r["bag_kg"]), plot_ids=tuple(plot_ids),
        variety=r["variety"], process=Process(r["process"]) if r["process"] else None,
        species=Species(r["species"]) if r["species"] else None,
        quality_score=s2d(r["quality_score"]), defects_cat1=r["defects_cat1"],
        defects_cat2=r["defects_cat2"], moisture_pct=s2d(r["moisture_pct"]),
        status=LotStatus(r["status"]) if r["status"] else None,
        contract_type=ContractType(r["contract_type"]) if r["contract_type"] else None,
        contract_date=s2date(r["contract_date"]), futures_month=r["futures_month"],
        fixations=tuple(
            Fixation(
                on=s2date(f["on_date"]),  # type: ignore[arg-type]
                c_cents_lb=Decimal(f["c_cents_lb"]), volume_kg=s2d(f["volume_kg"]),
                uuid=f["uuid"],
            )
            for f in fixations
        ),
        c_cents_lb=s2d(r["c_cents_lb"]), c_estimated=bool(r["c_estimated"]),
        differential_cents_lb=s2d(r["differential_cents_lb"]),
        fob_usd_lb=s2d(r["fob_usd_lb"]), farm_gate=fg,
        costs=tuple(
            CostLeg(Party(c["party"]), c["leg"], Decimal(c["usd_lb"]), uuid=c["uuid"])
            for c in costs
        ),
        premiums=tuple(
            Premium(
                id=p["id"], uuid=p["uuid"], type=PremiumType(p["type"]),
                basis=PremiumBasis(p["basis"]), amount=Decimal(p["amount"]),
                included_in_fob=bool(p["included_in_fob"]), paid_to=p["paid_to"],
                farmers=p["farmers"], voided=bool(p["voided"]),
            )
            for p in premiums
        ),
        exporter=r["exporter"], importer=r["importer"],
        organic=None if r["organic"] is None else bool(r["organic"]),
        certifications_claimed=tuple(Scheme(s) for s in unj(r["certifications_claimed"], [])),
        story=r["story"],
    )


def premium_to_row(p: Premium, lot_id: int) -> Row:
    return {
        "uuid": p.uuid, "lot_id": lot_id, "type": p.type.value, "basis": p.basis.value,
        "amount": d2s(p.amount), "included_in_fob": int(p.included_in_fob),
        "paid_to": p.paid_to, "farmers": p.farmers, "voided": int(p.voided),
    }


def row_to_fairtrade(r: Row) -> FairtradeTerms:
    return FairtradeTerms(
        valid_from=s2date(r["valid_from"]),  # type: ignore[arg-type]
        minimums={
            (Species.ARABICA, "washed"): Decimal(r["arabica_washed"]),
            (Species.ARABICA, "natural"): Decimal(r["arabica_natural"]),
            (Species.ROBUSTA, "washed"): Decimal(r["robusta_washed"]),
            (Species.ROBUSTA, "natural"): Decimal(r["robusta_natural"]),
        },
        premium_usd_lb=Decimal(r["premium"]),
        organic_differential_usd_lb=Decimal(r["organic_differential"]),
    )


def fairtrade_to_row(t: FairtradeTerms) -> Row:
    m = t.minimums
    return {
        "valid_from": t.valid_from.isoformat(),
        "arabica_washed": d2s(m[(Species.ARABICA, "washed")]),
        "arabica_natural": d2s(m[(Species.ARABICA, "natural")]),
        "robusta_washed": d2s(m[(Species.ROBUSTA, "washed")]),
        "robusta_natural": d2s(m[(Species.ROBUSTA, "natural")]),
        "premium": d2s(t.premium_usd_lb),
        "organic_differential": d2s(t.organic_differential_usd_lb),
    }


def row_to_living_income(r: Row) -> LivingIncomeReference:
    return LivingIncomeReference(
        id=r["id"], country=r["country"], year=r["year"], value=Decimal(r["value"]),
        currency=r["currency"], unit_kg=Decimal(r["unit_kg"]), basis=Basis(r["basis"]),
        source=r["source"], species=Species(r["species"]), organic=bool(r["organic"]),
    )


def living_income_to_row(r: LivingIncomeReference) -> Row:
    return {
        "country": r.country, "year": r.year, "value": d2s(r.value), "currency": r.currency,
        "unit_kg": d2s(r.unit_kg), "basis": r.basis.value, "source": r.source,
        "species": r.species.value, "organic": int(r.organic),
    }
