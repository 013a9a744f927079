"""The statement's data (``statement --json``): every figure is this lot's."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

from statement_sample import ON

from roasterdesk.cli import main
from roasterdesk.domain.model import (
    Certification,
    Consent,
    ConsentScope,
    ContractType,
    Lot,
    Person,
    Premium,
    PremiumBasis,
    PremiumType,
    Producer,
    ProducerKind,
    Role,
    Scheme,
)
from roasterdesk.pdf.data import statement_json
from roasterdesk.services.statement import load_statement


def test_statement_json_on_the_command_line(example, db_path, capsys):
    store, lot = example
    assert main(["--db", str(db_path), "statement", "--lot", lot.code, "--json",
                 "--on", ON.isoformat()]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["lot"]["code"] == lot.code
    assert Decimal(out["economics"]["fob_usd_lb"]) == Decimal("4.75")
    assert out["chart"]["this_lot"]["fob_usd_lb"] == out["economics"]["fob_usd_lb"]
    assert {i["key"] for i in out["checklist"]["items"]} >= {"producer", "fob", "labour"}
    assert all(i["reason"] for i in out["checklist"]["items"])
    assert any(c["item"] == "producer name" for c in out["consent"])


def test_the_charts_this_lot_is_the_lots_own_fob_not_the_harvest_average(example):
    store, lot = example
    store.save_lot(Lot(code="CO-25-002", producer_id=lot.producer_id, harvest=2025, bags=60,
                       bag_kg=Decimal(70), contract_type=ContractType.FIXED,
                       fob_usd_lb=Decimal("6.10"), c_cents_lb=Decimal(380),
                       contract_date=date(2025, 4, 1)))
    data = load_statement(store, lot.code, on=ON, photos=False)
    avg = next(p for p in data.history if p.harvest == 2025).fob_usd_lb
    assert avg is not None and avg > Decimal("5")  # the producer's average is not this lot
    js = statement_json(data)
    assert Decimal(js["chart"]["this_lot"]["fob_usd_lb"]) == Decimal("4.75")
    assert Decimal(js["chart"]["this_lot"]["fob_usd_lb"]) == data.analysis.economics.fob_usd_lb
    assert Decimal(js["chart"]["this_lot"]["farm_gate_usd_lb"]).quantize(Decimal("0.0001")) \
        == Decimal("3.0901")


def test_producer_named_is_false_when_the_name_is_withheld_anywhere_in_the_database(example):
    store, lot = example
    # a farm named after a person who withheld consent at another producer
    other = store.save_producer(Producer("Otra finca", ProducerKind.FARM, "CO"))
    store.save_person(Person(other.id, "Patrick Wamala", Role.OWNER))
    farm = store.save_producer(Producer("Patrick Wamala Farm", ProducerKind.FARM, "UG",
                                        region="Bugisu"))
    own = store.save_lot(replace(lot, code="UG-25-001", producer_id=farm.id, id=None,
                                 uuid=Lot("x", 1, 2025).uuid, plot_ids=()))
    data = load_statement(store, own.code, on=ON, photos=False)
    assert not data.producer_named
    js = json.dumps(statement_json(data), ensure_ascii=False)
    assert "Wamala" not in js
    item = next(c for c in data.checks if c.key == "producer")
    assert item.answer == "not answered" and "consent" in item.reason
    assert data.analysis.checklist.item("producer").answer.value == "not answered"


def test_producer_named_when_consent_covers_it(example):
    store, lot = example
    farm = store.save_producer(Producer("Finca Rosa Pérez", ProducerKind.FARM, "CO"))
    store.save_person(Person(farm.id, "Rosa Pérez", Role.OWNER,
                             consent=Consent(date(2024, 1, 1), frozenset(ConsentScope))))
    own = store.save_lot(replace(lot, code="CO-25-009", producer_id=farm.id, id=None,
                                 uuid=Lot("x", 1, 2025).uuid, plot_ids=()))
    data = load_statement(store, own.code, on=ON, photos=False)
    assert data.producer_named
    assert next(c for c in data.checks if c.key == "producer").answer == "answered"


def test_a_second_payment_to_the_producer_raises_the_share_by_its_percentage(example):
    store, lot = example
    before = load_statement(store, lot.code, on=ON, photos=False)
    assert before.reached_producer_share == before.analysis.economics.farm_gate_share
    producer = store.producer(lot.producer_id)
    pay = Premium(PremiumType.SECOND_PAYMENT, PremiumBasis.PCT_OF_PRICE, Decimal("9.5"),
                  included_in_fob=False, paid_to=producer.name)
    community = Premium(PremiumType.SOCIAL, PremiumBasis.PER_LOT, Decimal(760),
                        included_in_fob=False, paid_to="community of La Loma")
    members = Premium(PremiumType.SECOND_PAYMENT, PremiumBasis.PER_FARMER, Decimal(72),
                      included_in_fob=False, paid_to="member farmers", farmers=101)
    store.save_lot(replace(store.lot(lot.id), premiums=(pay, community, members)))
    after = load_statement(store, lot.code, on=ON, photos=False)
    e = after.analysis.economics
    assert e.fob_value_usd is not None and before.reached_producer_share is not None
    expected = before.reached_producer_share + Decimal("0.095") \
        + Decimal(72 * 101) / e.fob_value_usd
    assert after.reached_producer_share is not None
    assert abs(after.reached_producer_share - expected) < Decimal("1e-20")
    by = {p.recipient: p for p in after.payments}
    assert by["members"].farmers == 101 and by["members"].value_usd == Decimal(7272)
    assert by["other"].value_usd == Decimal(760) and not by["other"].reaches_producer
    assert by["producer"].reaches_producer


def test_a_premium_written_to_producer_in_words_reaches_the_producer(example):
    """'to producer' (the import's documented form) and 'to members' name the producer and
    its members as its own name does: the payment is counted in what reached the producer
    (before, it was printed as "Other recipient (producer)" and left out)."""
    from roasterdesk.services.list_cells import parse_premiums

    store, lot = example
    premiums = parse_premiums("quality: 0.22 USD/kg, on top, to producer; social: 1500 USD per "
                              "lot, on top, to community project; second payment: 300 USD per "
                              "lot, on top, to the members")
    store.save_lot(replace(store.lot(lot.id), premiums=premiums))
    data = load_statement(store, lot.code, on=ON, photos=False)
    got = [(p.recipient, p.reaches_producer) for p in data.payments]
    assert got == [("producer", True), ("other", False), ("members", True)]
    assert data.reached_producer_usd is not None
    w = store.lot(lot.id).weight
    assert data.payments[0].value_usd == Decimal("0.22") * w


def test_a_certificate_is_judged_on_the_lots_date_not_the_statement_date(example):
    store, lot = example
    store.save_certification(Certification(lot.producer_id, Scheme.ORGANIC_EU, "EU-2026",
                                           valid_from=date(2026, 1, 1),
                                           valid_to=date(2028, 12, 31)))
    data = load_statement(store, lot.code, on=ON, photos=False)
    assert data.reference_date == date(2025, 3, 14)
    cert = next(c for c in data.certifications if c.number == "EU-2026")
    assert cert.valid_on_lot is False  # valid on the statement date, not on the lot's
    ft = next(c for c in data.certifications if c.number == "FLO-12345")
    assert ft.valid_on_lot is True


def test_the_chain_prints_only_recorded_legs_and_landed_needs_importer_costs(example):
    from roasterdesk.domain.model import CostLeg, Party

    store, lot = example
    data = load_statement(store, lot.code, on=ON, photos=False)
    keys = [s.key for s in data.chain]
    assert keys == ["farm_gate", "exporter_margin", "fob", "landed"]
    assert data.chain[-1].usd_lb is None  # no importer costs recorded: landed not recorded
    store.save_lot(replace(store.lot(lot.id), costs=(
        CostLeg(Party.EXPORTER, "milling", Decimal("0.10")),
        CostLeg(Party.IMPORTER, "freight", Decimal("0.25")))))
    data = load_statement(store, lot.code, on=ON, photos=False)
    by = {s.key: s.usd_lb for s in data.chain}
    assert by["landed"] == Decimal("5.00")
    assert by["exporter:milling"] == Decimal("0.10")
    assert by["farm_gate"] + by["exporter:milling"] + by["exporter_margin"] == by["fob"]


def _check(pdf_path, code, tpl_name):
    import pytest
    from pdf_checks import problems, tools_missing

    from roasterdesk.pdf import load_template

    if tools_missing():
        pytest.fail(f"install poppler-utils and qpdf: missing {tools_missing()}")
    tpl = load_template(tpl_name)
    return problems(pdf_path, code, [tpl.heading(s) for s in tpl.sections])


def test_the_example_passes_qpdf_embeds_its_fonts_and_keeps_its_lot_code(example, tmp_path):
    from roasterdesk.pdf import render_statement

    store, lot = example
    for tpl in ("default-en", "default-es"):
        path = tmp_path / f"{tpl}.pdf"
        path.write_bytes(render_statement(load_statement(store, lot.code, on=ON), tpl))
        assert _check(path, lot.code, tpl) == []


def test_the_checks_find_a_broken_lot_code_and_an_unembedded_font(tmp_path):
    """The checks can fail: a page that breaks its lot code and uses a standard font."""
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "bad.pdf"
    c = Canvas(str(path))
    c.setFont("Helvetica", 10)
    c.drawString(50, 700, "https://example.com/coffee/BR-25-0")
    c.drawString(50, 688, "016")
    c.drawString(50, 100, "The price we paid")
    c.save()
    found = _check(path, "BR-25-0016", "default-en")
    assert any("broken" in f for f in found)
    assert any("not embedded" in f for f in found)
    assert any("orphaned" in f for f in found)


def _demo_sample(tmp_path, every: int):
    from roasterdesk.cli import main as cli

    db = tmp_path / "demo.sqlite"
    assert cli(["--db", str(db), "demo", "--scale", "small"]) == 0
    from roasterdesk.services.statement import open_read_only

    store = open_read_only(db)
    harvests = sorted({x.harvest for x in store.lots_where("1 = 1", [])})[-2:]
    lots = [x for h in harvests for x in store.lots_where("harvest = ?", [h])
            if x.status.value != "cancelled"]
    return db, store, lots[::every]


def _demo_statements_pass(tmp_path, every: int):
    from roasterdesk.pdf import render_statement

    db, store, lots = _demo_sample(tmp_path, every)
    try:
        bad, pages = [], []
        for i, lot in enumerate(lots):
            tpl = ("default-en", "default-es")[i % 2]
            data = load_statement(store, lot.code)
            # the chart's "this lot" is the lot's FOB, on every demo lot
            assert statement_json(data)["chart"]["this_lot"]["fob_usd_lb"] == \
                statement_json(data)["economics"]["fob_usd_lb"]
            path = tmp_path / f"{lot.code}.pdf"
            path.write_bytes(render_statement(data, tpl))
            from pdf_checks import page_count

            pages.append(page_count(path))
            bad += [f"{lot.code}: {p}" for p in _check(path, lot.code, tpl)]
    finally:
        store.close()
    assert bad == []
    return pages


def test_a_sample_of_demo_statements_of_two_harvests_passes_the_checks(tmp_path):
    pages = _demo_statements_pass(tmp_path, every=25)
    assert pages



def test_the_harvest_is_named_as_everywhere_else_by_the_producers_calendar(example):
    """Colombia's harvest runs across the new year ("2024/25"); recorded harvest months within
    one year name it by its year alone, in the title, the facts, the chart and the JSON."""
    from test_statement import flat, text_of

    from roasterdesk.domain.harvest import harvest_name
    from roasterdesk.pdf import load_template, render_statement

    store, lot = example
    producer = store.producer(lot.producer_id)
    for months, expected in (((), harvest_name(lot.harvest, "CO")), ((5, 6, 7), str(lot.harvest))):
        store.save_producer(replace(producer, harvest_months=months))
        data = load_statement(store, lot.code, on=ON, photos=False)
        assert data.harvest_name == expected
        assert statement_json(data)["lot"]["harvest_name"] == expected
        text = flat(text_of(render_statement(data, load_template("default-en"))))
        assert f"Harvest {expected} ·" in text
        if months:
            assert harvest_name(lot.harvest, "CO") not in text
    assert harvest_name(lot.harvest, "CO") == f"{lot.harvest - 1}/{lot.harvest % 100:02d}"


def test_a_robusta_lot_is_never_compared_with_arabica_c(example):
    """A robusta lot takes neither the ICE "C" series nor an arabica minimum: its market price is
    "not recorded" until its London price is recorded, and Fairtrade is the robusta minimum."""
    from roasterdesk.domain.model import Process, Species

    store, lot = example
    store.set_c_prices({(2025, m): Decimal(380) for m in range(1, 13)})
    store.save_lot(Lot(code="CO-25-R01", producer_id=lot.producer_id, harvest=2025, bags=100,
                       bag_kg=Decimal(60), contract_type=ContractType.FIXED,
                       species=Species.ROBUSTA, process=Process.NATURAL,
                       fob_usd_lb=Decimal("2.40"), contract_date=date(2025, 4, 1)))
    robusta = load_statement(store, "CO-25-R01", on=ON, photos=False)
    e = robusta.analysis.economics
    assert e.c_usd_lb is None and e.premium_over_c_usd_lb is None
    assert "market price at fixation (robusta)" in e.missing
    # no market price: the floor max(1.20, London) + 0.20 is unknown above 1.40 (FOB 2.40)
    assert e.fairtrade is None
    assert statement_json(robusta)["economics"]["c_usd_lb"] is None
    store.save_lot(replace(store.lot_by_code("CO-25-R01"), fob_usd_lb=Decimal("1.30")))
    e = load_statement(store, "CO-25-R01", on=ON, photos=False).analysis.economics
    assert e.fairtrade is not None and e.fairtrade.minimum_usd_lb == Decimal("1.20")
    assert e.fairtrade.at_least and e.fairtrade.difference_usd_lb == Decimal("-0.10")


def test_a_robusta_lot_is_compared_with_the_london_series(example):
    """With an ICE London series stored (USD/t), a robusta lot's market price is London at its
    contract date, converted to USD/lb and marked estimated; the PDF names London, never C."""
    import io

    from pypdf import PdfReader

    from roasterdesk.domain.model import Process, Species
    from roasterdesk.pdf import load_template
    from roasterdesk.pdf.render import render

    store, lot = example
    store.set_c_prices({(2025, m): Decimal(380) for m in range(1, 13)})
    store.set_london_prices({(2025, 3): Decimal(4400)})
    store.save_lot(Lot(code="UG-25-R02", producer_id=lot.producer_id, harvest=2025, bags=100,
                       bag_kg=Decimal(60), contract_type=ContractType.FIXED,
                       species=Species.ROBUSTA, process=Process.NATURAL,
                       fob_usd_lb=Decimal("2.40"), contract_date=date(2025, 4, 1)))
    data = load_statement(store, "UG-25-R02", on=ON, photos=False)
    e = data.analysis.economics
    london = Decimal(4400) * Decimal("0.45359237") / 1000
    assert e.c_usd_lb == london and e.london_usd_t == Decimal(4400) and e.c_estimated
    assert e.premium_over_c_usd_lb == Decimal("2.40") - london
    assert e.fairtrade is not None and e.fairtrade.minimum_usd_lb == Decimal("1.20")
    assert statement_json(data)["economics"]["london_usd_t"] == "4400"
    for name, market, premium in (("default-en", "Robusta market price (ICE London)",
                                   "Premium over London"),
                                  ("default-es", "Precio de mercado del robusta (ICE Londres)",
                                   "Prima sobre Londres")):
        pdf = render(data, load_template(name))
        text = " ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        assert market in text and premium in text and "4,400 USD/t" in text.replace(".", ",")
        assert "ICE “C”" not in text and "ICE «C»" not in text
        assert ("ICE London robusta futures" in text) == (name == "default-en")
        assert "market's C price" not in text and "precio «C» del mercado" not in text


def _pages_of(story_before_height: float, rows: int) -> list[str]:
    """Text of each page: a filler leaving ``story_before_height`` pt of a page, then a
    heading and a table of ``rows`` rows led in by ``LeadIn``."""
    import io

    from pypdf import PdfReader
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

    from roasterdesk.pdf.flow import LeadIn

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=(400, 400), topMargin=20, bottomMargin=20)
    body = getSampleStyleSheet()["BodyText"]
    table = Table([["Date", "Seen"]] + [[f"row {n}", "x " * 10] for n in range(rows)],
                  rowHeights=[14] + [30] * rows, repeatRows=1)
    doc.build([Spacer(1, 360 - story_before_height),
               LeadIn([Paragraph("What we saw", body), table])])
    return [pg.extract_text() for pg in PdfReader(io.BytesIO(buf.getvalue())).pages]


def test_a_section_starts_at_a_page_foot_only_with_its_first_row():
    """The visits and prices headings were left alone at a page foot (4.2 % of demo statements),
    and keeping whole sections together left a third of page 1 empty. A LeadIn starts where its
    heading and first row fit, splits its table after that, and moves whole otherwise."""
    room_for_heading_only = _pages_of(40, rows=3)
    assert "What we saw" not in room_for_heading_only[0]
    assert "What we saw" in room_for_heading_only[1] and "row 0" in room_for_heading_only[1]
    room_for_two_rows = _pages_of(80, rows=6)
    assert "What we saw" in room_for_two_rows[0] and "row 0" in room_for_two_rows[0]
    assert "row 5" in room_for_two_rows[1] and "Date" in room_for_two_rows[1]  # header repeats


def test_visits_and_prices_are_led_in(example):
    from roasterdesk.pdf import load_template
    from roasterdesk.pdf.flow import LeadIn
    from roasterdesk.pdf.fonts import register_fonts
    from roasterdesk.pdf.render import Statement

    register_fonts()
    store, lot = example
    data = load_statement(store, lot.code, on=ON, photos=False)
    assert data.visits
    st = Statement(data, load_template("default-en"), 480)
    assert [type(f) for f in st.visits()] == [LeadIn]
    assert isinstance(st.price()[0], LeadIn)


def test_a_statement_over_three_pages_is_set_again_compact(example, monkeypatch):
    """``render`` keeps the usual setting when it fits ``PAGES``; otherwise it sets the
    statement again with compact spacing and keeps whichever has fewer pages."""
    import io

    from pypdf import PdfReader

    from roasterdesk.pdf import load_template
    from roasterdesk.pdf import render as R

    store, lot = example
    tpl = load_template("default-en")
    data = load_statement(store, lot.code, on=ON, photos=False)
    calls = []
    real = R.build_story
    monkeypatch.setattr(R, "build_story", lambda d, t, compact=False: calls.append(compact)
                        or real(d, t, compact))
    pages = len(PdfReader(io.BytesIO(R.render(data, tpl))).pages)
    assert calls == [False] and pages <= R.PAGES
    calls.clear()
    monkeypatch.setattr(R, "PAGES", pages - 1)  # now it does not fit: a compact try follows
    again = len(PdfReader(io.BytesIO(R.render(data, tpl))).pages)
    assert calls == [False, True] and again <= pages
    assert R.Styles(tpl, compact=True).body.leading < R.Styles(tpl).body.leading
    assert R.Styles(tpl, compact=True).body.fontSize == R.Styles(tpl).body.fontSize


def test_what_a_visit_checked_in_person_showed_is_printed(example):
    """An observation says what it showed: "no issue seen", "issue found", or "outcome not
    recorded" (a record made before outcomes existed); never a bare topic under "Checked in
    person". A labour issue found is printed and keeps "Labour conditions verified" unticked."""
    import io

    from pypdf import PdfReader

    from roasterdesk.domain.model import Evidence, Observation, Outcome, Topic, Visit
    from roasterdesk.pdf import load_template
    from roasterdesk.pdf.render import render

    store, lot = example
    store.save_visit(Visit(lot.producer_id, date(2025, 2, 10), observations=(
        Observation(Topic.CHILD_LABOUR, Evidence.OBSERVED, "", Outcome.NO_ISSUE),
        Observation(Topic.SAFETY_EQUIPMENT, Evidence.OBSERVED, "no masks", Outcome.ISSUE),
        Observation(Topic.SHADE, Evidence.OBSERVED),
        Observation(Topic.WATER_USE, Evidence.REPORTED))))
    data = load_statement(store, lot.code, on=ON, photos=False)
    [v] = [v for v in data.visits if v.date == date(2025, 2, 10)]
    assert v.outcomes == ("no_issue", "issue", "not_recorded")
    [js] = [x for x in statement_json(data)["visits"] if x["date"] == "2025-02-10"]
    assert js["outcomes"] == ["no_issue", "issue", "not_recorded"]
    assert data.analysis.checklist.item("labour").answer.value == "not answered"
    for name, words in (("default-en", ("Child labour — no issue seen",
                                        "Safety equipment — issue found",
                                        "Shade cover — outcome not recorded")),
                        ("default-es", ("Trabajo infantil — sin problemas",
                                        "Equipo de seguridad — problema encontrado",
                                        "Sombra — resultado sin registrar"))):
        pdf = render(data, load_template(name))
        text = " ".join(" ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
                        .split())
        for w in words:
            assert w in text, (name, w)


def test_a_lot_that_names_no_plot_shows_its_producers_plots_as_theirs(example):
    """The statement listed every plot of the farm under the lot's coffee when the lot named
    none: they are the producer's, said so (in the JSON and over the table)."""
    import io

    from pypdf import PdfReader

    from roasterdesk.domain.model import Plot
    from roasterdesk.pdf import load_template
    from roasterdesk.pdf.render import render

    store, lot = example
    store.save_plot(Plot(lot.producer_id, "Lote Alto", area_ha=Decimal("2.5"), altitude_m=1800))
    store.save_lot(replace(store.lot(lot.id), plot_ids=()))
    data = load_statement(store, lot.code, on=ON, photos=False)
    assert not data.plots_of_lot and "Lote Alto" in [p.name for p in data.plots]
    assert statement_json(data)["plots_of_lot"] is False
    pdf = render(data, load_template("default-en"))
    text = " ".join(" ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
                    .split())
    assert "The producer's plots (this lot's not recorded)" in text


def test_every_figure_from_an_estimated_c_says_it_is_an_estimate(example):
    """Only the C row said "estimated": the key figure, the premium over C, its value and a
    Fairtrade floor made of that C printed as facts."""
    import io

    from pypdf import PdfReader

    from roasterdesk.domain.model import ContractType
    from roasterdesk.pdf import load_template
    from roasterdesk.pdf.render import render

    store, lot = example
    store.save_lot(replace(store.lot(lot.id), contract_type=ContractType.FIXED, fixations=(),
                           c_cents_lb=Decimal("380.00"), c_estimated=True,
                           differential_cents_lb=None, fob_usd_lb=Decimal("4.75")))
    data = load_statement(store, lot.code, on=ON, photos=False)
    assert data.analysis.economics.c_estimated
    for name, words in (("default-en", ("3.80 USD/lb (estimated)",
                                        "25.0 %; from the estimated C price",
                                        "Premium over C (estimated)",
                                        "above it; from the estimated C price")),
                        ("default-es", ("(estimado)", "con el precio C estimado"))):
        pdf = render(data, load_template(name))
        text = " ".join(" ".join(pg.extract_text() for pg in PdfReader(io.BytesIO(pdf)).pages)
                        .split())
        for w in words:
            assert w in text, (name, w)
