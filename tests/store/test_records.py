"""Records in the store: round trips, constraints, transactions, never-deleted payments, metrics."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from roasterdesk.domain.model import (
    LABOUR_TOPICS,
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
from roasterdesk.domain.reference import LivingIncomeReference
from roasterdesk.domain.units import Basis, factor_from_rendimiento
from roasterdesk.store import RecordNotFound, ValidationError

D = Decimal


@pytest.fixture
def farm(store):
    return store.save_producer(Producer(
        "Finca El Mirador", ProducerKind.FARM, "CO", region="Nariño", municipality="Buesaco",
        altitude_min_m=1750, altitude_max_m=2100, total_area_ha=D("12.5"),
        coffee_area_ha=D("8.25"), varieties=("Castillo", "Caturra"), processes=("washed",),
        harvest_months=(4, 5, 6, 10, 11), notes="Family farm since 1962"))


def full_lot(producer_id, plot_ids=(), **kw):
    args = dict(
        code="CO-25-001", producer_id=producer_id, harvest=2025, name="El Mirador Castillo",
        bags=20, bag_kg=D(70), plot_ids=tuple(plot_ids), variety="Castillo",
        process=Process.WASHED, species=Species.ARABICA, quality_score=D("86.25"),
        defects_cat1=0, defects_cat2=3, moisture_pct=D("10.8"), status=LotStatus.SHIPPED,
        contract_type=ContractType.PTBF, contract_date=date(2025, 3, 14), futures_month="KCK25",
        fixations=(Fixation(date(2025, 3, 14), D("380.00"), D(700)),
                   Fixation(date(2025, 4, 2), D("371.50"))),
        differential_cents_lb=D(95),
        farm_gate=FarmGatePrice(D(2_600_000), "COP", "carga (125 kg)", D(125), Basis.PARCHMENT,
                                D(4100), factor_from_rendimiento(94), date(2025, 3, 14),
                                "Banco de la República"),
        costs=(CostLeg(Party.EXPORTER, "milling", D("0.15")),
               CostLeg(Party.IMPORTER, "freight", D("0.12"))),
        premiums=(Premium(PremiumType.QUALITY, PremiumBasis.PER_KG, D("0.50"), paid_to="farm"),
                  Premium(PremiumType.SOCIAL, PremiumBasis.PER_FARMER, D(50), False,
                          "association", farmers=12)),
        exporter="Exportadora Nariño", importer="Green Import Co", organic=True,
        certifications_claimed=(Scheme.ORGANIC_EU,), story="Dried on raised beds.",
    )
    args.update(kw)
    return Lot(**args)


def count(store, table):
    return store.db.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0]


# -- round trips -------------------------------------------------------------------------------

def test_every_record_kind_round_trips(store, farm):
    assert store.producer(farm.id) == farm
    assert store.producer_by_uuid(farm.uuid) == farm
    coop = store.save_producer(Producer("Asociación Buesaco", ProducerKind.COOPERATIVE, "CO"))
    member = store.save_producer(Producer("Finca La Loma", ProducerKind.FARM, "CO",
                                          parent_id=coop.id))
    assert store.members(coop.id) == [member]

    person = store.save_person(Person(
        farm.id, "María Pérez", Role.OWNER, "+57 300 000 0000", "maria@example.org",
        Consent(date(2024, 5, 1), frozenset({ConsentScope.NAME, ConsentScope.PHOTO}),
                date(2025, 6, 1), "signed form"), "We dry slowly.", pseudonymised=False))
    assert store.person(person.id) == person
    no_consent = store.save_person(Person(farm.id, "Juan", Role.MEMBER, pseudonymised=True))
    assert store.people(farm.id) == [no_consent, person]

    plot = store.save_plot(Plot(
        farm.id, "La Cuchilla", D("5.2"),
        {"type": "Polygon", "coordinates": [[[-77.0, 1.0], [-76.99, 1.0], [-76.99, 1.01],
                                              [-77.0, 1.0]]]},
        1900, ("Castillo",), 40, date(2015, 4, 1), False))
    point = store.save_plot(Plot(farm.id, "El Alto", geometry={
        "type": "Point", "coordinates": [-77.01, 1.02]}, forest_after_2020=None))
    assert store.plot(plot.id) == plot
    assert store.plots(farm.id) == [point, plot]

    cert = store.save_certification(Certification(
        farm.id, Scheme.ORGANIC_EU, "CO-BIO-123", "Asociación Buesaco", date(2024, 1, 1),
        date(2026, 12, 31)))
    assert store.certifications(farm.id) == [cert]

    commitment = store.save_commitment(Commitment(farm.id, 2024, 2026, D(1400), D("4.00"),
                                                  "three harvests"))
    floor_only = store.save_commitment(Commitment(farm.id, 2023, 2023,
                                                  price_floor_usd_lb=D("3")))
    assert store.commitments(farm.id) == [floor_only, commitment]
    other = store.save_producer(Producer("Asociación Alto Cielo", ProducerKind.COOPERATIVE, "CO"))
    theirs = store.save_commitment(Commitment(other.id, 2026, 2026, D(500)))
    # every producer's, the latest harvest first, then by producer name
    assert store.all_commitments() == [theirs, commitment, floor_only]

    visit = store.save_visit(Visit(
        farm.id, date(2024, 8, 20), VisitMode.IN_PERSON, ("María Pérez", "Ana"),
        (Purpose.RELATIONSHIP, Purpose.QUALITY),
        (Observation(Topic.SHADE, Evidence.OBSERVED, "inga trees"),
         Observation(Topic.CHILD_LABOUR, Evidence.NOT_CHECKED)),
        "Cupped the fly crop.",
        (FollowUp("Send drying-bed quote", "Ana", date(2024, 9, 30)),
         FollowUp("Share cupping notes", done=True)),
        (Photo("a" * 64, "beds.jpg", "raised beds", person.id),)))
    assert all(f.id is not None for f in visit.follow_ups)
    assert store.visit(visit.id) == visit
    assert store.visits(farm.id) == [visit]

    lot = store.save_lot(full_lot(farm.id, [point.id, plot.id]))  # order kept as entered
    assert all(p.id is not None for p in lot.premiums)
    assert store.lot(lot.id) == lot
    assert store.lot_by_code("CO-25-001") == lot
    assert store.lots(farm.id) == [lot]
    assert store.lots_where("harvest = ?", [2025]) == [lot]

    bare = store.save_lot(Lot("CO-25-002", farm.id, 2025))
    assert store.lot(bare.id) == bare

    project = store.save_project(Project(farm.id, 2025, ProjectCategory.DRYING_BEDS, D("3000.50"),
                                         "USD", "Twelve raised beds", visit.id, lot.id))
    assert store.projects(farm.id) == [project]
    well = store.save_project(Project(other.id, 2025, ProjectCategory.WATER, D(800), "USD",
                                      "A well"))
    older = store.save_project(Project(farm.id, 2024, ProjectCategory.WATER, D(1), "USD", "x"))
    assert store.all_projects() == [well, project, older]

    assert store.counts() == {
        "producers": 4, "people": 2, "plots": 2, "certifications": 1, "commitments": 3,
        "visits": 1, "follow_ups": 2, "photos": 1, "lots": 2, "premiums": 2, "projects": 3,
    }
    assert store.harvests() == [2025]


def test_updates_replace_the_record(store, farm):
    lot = store.save_lot(full_lot(farm.id))
    changed = store.save_lot(replace(lot, fixations=(), fob_usd_lb=D("4.60"),
                                     contract_type=ContractType.FIXED, costs=()))
    assert store.lot(lot.id) == changed
    assert count(store, "fixations") == 0 and count(store, "cost_legs") == 0
    visit = store.save_visit(Visit(farm.id, date(2025, 1, 1),
                                   follow_ups=(FollowUp("a"), FollowUp("b"))))
    visit = store.save_visit(replace(visit, follow_ups=visit.follow_ups[:1], notes="edited"))
    assert store.visit(visit.id).notes == "edited"
    assert [f.what for f in store.visit(visit.id).follow_ups] == ["a"]
    store.set_follow_up_done(visit.follow_ups[0].id, True)
    assert store.visit(visit.id).follow_ups[0].done is True
    with pytest.raises(RecordNotFound):
        store.set_follow_up_done(9999, True)


def test_missing_records_raise_record_not_found(store):
    for get, name in ((store.producer, "producer"), (store.person, "person"),
                      (store.plot, "plot"), (store.visit, "visit"), (store.lot, "lot")):
        with pytest.raises(RecordNotFound, match=f"^no {name} with id 42$"):
            get(42)
    with pytest.raises(RecordNotFound, match="^no person with id 7$"):
        store.delete_person(Person(1, "Nobody", id=7))
    assert store.lot_by_code("nope") is None and store.producer_by_uuid("nope") is None
    with pytest.raises(RecordNotFound):
        store.save_producer(Producer("Ghost", ProducerKind.FARM, "CO", id=42))


# -- constraints and transactions ---------------------------------------------------------------

def test_foreign_keys_are_enforced(store, farm):
    with pytest.raises(ValidationError, match="refers to does not exist"):
        store.save_person(Person(999, "Nobody"))
    with pytest.raises(ValidationError):
        store.save_lot(Lot("X-1", 999, 2025))
    with pytest.raises(ValidationError):
        store.save_lot(Lot("X-2", farm.id, 2025, plot_ids=(12345,)))
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO visits (uuid, producer_id, date, mode, updated_at) "
                         "VALUES ('u', 999, '2025-01-01', 'call', 'now')")
    assert count(store, "people") == count(store, "lots") == count(store, "visits") == 0
    store.save_lot(Lot("X-3", farm.id, 2025))
    with pytest.raises(ValidationError, match="still used"):
        store.delete_producer(farm.id)
    assert store.producer(farm.id) == farm


def test_a_producer_cannot_be_its_own_member(store, farm):
    with pytest.raises(ValidationError, match="member of itself"):
        store.save_producer(replace(farm, parent_id=farm.id))
    with pytest.raises(ValidationError, match="refers to does not exist"):
        store.save_producer(replace(farm, parent_id=4242))  # no such cooperative
    assert store.producer(farm.id).parent_id is None


def test_a_duplicate_lot_code_is_refused_with_a_message(store, farm):
    store.save_lot(Lot("CO-25-001", farm.id, 2025))
    with pytest.raises(ValidationError, match="another lot already has this code"):
        store.save_lot(Lot("CO-25-001", farm.id, 2024))
    assert count(store, "lots") == 1


def test_a_write_failing_halfway_leaves_nothing_behind(store, farm):
    before = store.counts()
    with pytest.raises(ValidationError):
        with store.transaction():
            p = store.save_producer(Producer("Finca Nueva", ProducerKind.FARM, "PE"))
            store.save_visit(Visit(p.id, date(2025, 1, 1), notes="first visit",
                                   follow_ups=(FollowUp("call back"),)))
            store.save_lot(full_lot(p.id))
            store.save_lot(Lot("CO-25-001", p.id, 2025))  # the same code: refused
    assert store.counts() == before
    assert store.search("first visit") == []
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.save_producer(Producer("Finca Otra", ProducerKind.FARM, "PE"))
            raise RuntimeError("power cut")
    assert store.counts() == before
    assert [p.name for p in store.producers()] == ["Finca El Mirador"]


def test_lots_and_premiums_cannot_be_deleted(store, farm):
    lot = store.save_lot(full_lot(farm.id))
    for sql in ("DELETE FROM lots", "DELETE FROM premiums"):
        with pytest.raises(ValidationError, match="never deleted"):
            with store.transaction() as db:
                db.execute(sql)
    assert count(store, "lots") == 1 and count(store, "premiums") == 2
    cancelled = store.cancel_lot(lot)
    assert store.lot(lot.id).status is LotStatus.CANCELLED == cancelled.status


def test_a_premium_removed_from_a_lot_is_voided_not_deleted(store, farm):
    lot = store.save_lot(full_lot(farm.id))
    kept, dropped = lot.premiums
    store.save_lot(replace(lot, premiums=(kept,)))
    loaded = store.lot(lot.id)
    assert len(loaded.premiums) == 2
    by_uuid = {p.uuid: p for p in loaded.premiums}
    assert by_uuid[kept.uuid].voided is False
    assert by_uuid[dropped.uuid].voided is True
    e = store.analyse(loaded).economics
    assert e.premiums_in_fob_usd == D("0.50") * 1400 and e.premiums_on_top_usd == 0
    store.save_lot(replace(loaded, premiums=()))
    assert all(p.voided for p in store.lot(lot.id).premiums)
    assert count(store, "premiums") == 2


def test_records_that_may_be_deleted(store, farm):
    person = store.save_person(Person(farm.id, "Juan"))
    plot = store.save_plot(Plot(farm.id, "Alto"))
    cert = store.save_certification(Certification(farm.id, Scheme.FOUR_C))
    com = store.save_commitment(Commitment(farm.id, 2024, 2025, volume_kg=D(1)))
    visit = store.save_visit(Visit(farm.id, date(2025, 1, 1), follow_ups=(FollowUp("x"),)))
    project = store.save_project(Project(farm.id, 2025, ProjectCategory.WATER, D(1),
                                         evidence_visit_id=visit.id))
    store.delete_visit(visit)
    assert store.projects(farm.id)[0].evidence_visit_id is None
    assert count(store, "follow_ups") == 0
    store.delete_person(person)
    store.delete_plot(plot)
    store.delete_certification(cert)
    store.delete_commitment(com)
    store.delete_project(project)
    store.delete_producer(farm.id)
    assert set(store.counts().values()) == {0}
    with pytest.raises(RecordNotFound):
        store.delete_person(person)


# -- derived metrics ----------------------------------------------------------------------------

def metrics(store, lot_id):
    cur = store.db.execute("SELECT * FROM lot_metrics WHERE lot_id = ?", [lot_id])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(cols, row, strict=True)) if row else None


def test_lot_metrics_are_refreshed_after_a_save(store, farm):
    lot = store.save_lot(full_lot(farm.id, farm_gate=None, fixations=(), premiums=()))
    m = metrics(store, lot.id)
    assert m["fob_usd_lb"] is None and m["farm_gate_share"] is None
    assert "FOB price paid" in m["missing"]
    answered = m["answered"]

    lot = store.save_lot(replace(full_lot(farm.id), id=lot.id, uuid=lot.uuid))
    m = metrics(store, lot.id)
    assert m["fob_usd_lb"] == pytest.approx(4.75 - (380 - 371.5) / 2 / 100)
    assert m["farm_gate_share"] == pytest.approx(3.0901178 / m["fob_usd_lb"])
    assert m["answered"] > answered
    assert "FOB price paid" not in m["missing"]

    # a visit of the producer refreshes its lots too
    before = metrics(store, lot.id)["answered"]
    store.save_visit(Visit(farm.id, date(2024, 8, 20), observations=tuple(
        Observation(t, Evidence.OBSERVED, outcome=Outcome.NO_ISSUE) for t in sorted(
            LABOUR_TOPICS))))
    assert metrics(store, lot.id)["answered"] == before + 2  # labour and visit

    # new reference figures refresh every lot
    store.set_c_prices({(2025, 3): D(300)})
    fixed = store.save_lot(Lot("CO-25-009", farm.id, 2025, bags=1, bag_kg=D(70),
                               fob_usd_lb=D("4.00"), contract_date=date(2025, 3, 20)))
    assert metrics(store, fixed.id)["c_usd_lb"] == pytest.approx(3.0)
    assert store.analyse(fixed).economics.c_estimated is True
    store.set_c_prices({(2025, 3): D(320)})
    assert metrics(store, fixed.id)["c_usd_lb"] == pytest.approx(3.2)


def test_analyse_brings_economics_checklist_and_relationship(store, farm):
    store.save_lot(Lot("CO-24-001", farm.id, 2024, weight_kg=D(700), fob_usd_lb=D(4)))
    lot = store.save_lot(full_lot(farm.id))
    a = store.analyse(lot, today=date(2025, 9, 1))
    assert a.producer == farm
    assert a.relationship.harvests_bought == 2 and a.relationship.current_run == 2
    assert a.checklist.item("relationship").answer.value == "answered"
    assert a.economics.living_income is not None  # Colombia's default reference
    assert a.economics.fairtrade.floor_usd_lb == a.economics.c_usd_lb + D("0.20") + D("0.40")
    draft = replace(lot, id=None, code="CO-25-777", harvest=2026)
    assert store.analyse(draft, today=date(2026, 9, 1)).relationship.harvests_bought == 3
    assert store.relationship(farm.id, date(2025, 9, 1)).first_harvest == 2024


def test_reference_figures_round_trip_and_refresh_the_lots(store, farm):
    lot = store.save_lot(full_lot(farm.id, organic=False))
    before = store.analyse(lot).economics
    assert before.living_income.year == 2021
    ref = store.save_living_income(LivingIncomeReference(
        "CO", 2024, D("3.10"), "USD", D(1), Basis.PARCHMENT, "updated LIRP"))
    assert ref.id is not None
    refs = store.reference().living_income
    assert ref in refs
    after = store.analyse(lot).economics
    assert after.living_income == ref
    assert after.farm_gate_vs_living_income < before.farm_gate_vs_living_income
    store.save_living_income(replace(ref, value=D("3.20")))
    assert store.analyse(lot).economics.living_income.value == D("3.20")
    store.delete_living_income(ref.id)
    assert store.analyse(lot).economics.living_income.year == 2021
    with pytest.raises(RecordNotFound):
        store.delete_living_income(ref.id)
    assert store.set_c_prices({(2025, 1): D(350), (2025, 2): D(360)}) == 2
    assert store.reference()[2].at(date(2025, 2, 15)) == 360


def test_lookups_for_pickers_and_lists(store, farm):
    coop = store.save_producer(Producer("Cooperativa Los Andes", ProducerKind.COOPERATIVE, "PE"))
    member = store.save_producer(Producer("Finca Andina", ProducerKind.FARM, "PE",
                                          parent_id=coop.id))
    twin = store.save_producer(Producer("finca andina", ProducerKind.FARM, "BO"))
    own = store.save_plot(Plot(coop.id, "Centro de acopio"))
    theirs = store.save_plot(Plot(member.id, "Lote alto"))
    far = store.save_plot(Plot(farm.id, "El Mirador"))
    assert store.producer_label(coop.id) == ("Cooperativa Los Andes", "PE")
    assert store.producer_label(10_000) is None
    assert [r[0] for r in store.producers_named_like("andin")] == [member.id, twin.id]
    assert store.producer_id_named("COOPERATIVA LOS ANDES") == coop.id
    assert store.producer_id_named("Finca Andina") is None  # two producers have that name
    assert [r[0] for r in store.producer_choices()] == [coop.id, member.id, farm.id, twin.id]
    assert store.producer_names([coop.id, twin.id, 10_000]) == {
        coop.id: "Cooperativa Los Andes", twin.id: "finca andina"}
    assert store.groups() == [(coop.id, "Cooperativa Los Andes")]
    # a group whose kind is not recorded (an import named it as a member's): offered, as is
    # a member's own group whatever its kind, so an edit of the member never drops it
    open_kind = store.save_producer(Producer("Asociación sin tipo", None, "PE"))
    assert store.groups() == [(coop.id, "Cooperativa Los Andes")]
    store.save_producer(replace(twin, parent_id=open_kind.id))
    assert store.groups() == [(open_kind.id, "Asociación sin tipo"),
                              (coop.id, "Cooperativa Los Andes")]
    assert store.groups(keep=farm.id)[-1] == (farm.id, farm.name)
    store.save_producer(replace(twin, parent_id=None))
    assert store.countries() == ["BO", "CO", "PE"] and store.producer_count() == 5
    # a lot of the co-op may come from its plots, its members' and ones already chosen:
    # its own first, then by owner name
    assert [r[0] for r in store.plots_near(coop.id, [far.id])] == [own.id, theirs.id, far.id]
    assert [r[0] for r in store.plots_near(farm.id)] == [far.id]
    lot = store.save_lot(Lot("PE-26-001", member.id, 2026, status=LotStatus.CONTRACTED))
    store.save_lot(Lot("PE-26-002", member.id, 2026, status=LotStatus.OFFER))
    assert store.member_lot_counts(coop.id, ["contracted", "shipped"]) == {member.id: 1}
    answered, applicable = store.lot_answers(member.id)[lot.id]
    assert 0 <= answered <= applicable
