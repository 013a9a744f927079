"""``roasterdesk export-pdf`` and ``roasterdesk preflight`` on a database the test builds."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from statement_sample import build_example

from roasterdesk.cli import main


def test_export_pdf_one_lot_and_preflight(store, db_path, tmp_path, capsys):
    _, lot = build_example(store)
    out = tmp_path / "statement.pdf"
    assert main(["export-pdf", "--db", str(db_path), "--lot", lot.code, "--out", str(out),
                 "--template", "default-es"]) == 0
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert "Declaración de impacto" in reader.pages[0].extract_text()
    assert "pages" in capsys.readouterr().out

    assert main(["preflight", "--db", str(db_path), "--lot", lot.code]) == 1
    listed = capsys.readouterr().out
    assert "Multi-year buying commitment" in listed

    assert main(["export-pdf", "--db", str(db_path), "--lot", "NOPE", "--out",
                 str(tmp_path / "x.pdf")]) == 2
    assert "no lot with code 'NOPE'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_an_offer_gets_no_statement_and_a_lot_without_a_status_is_said(store, db_path, tmp_path,
                                                                       capsys):
    """A statement says what was paid: an offer or a cancelled lot is refused (it printed
    "Price paid (FOB)" for an offer); a lot whose status is not recorded is exported with a
    line on stderr. A harvest's statements leave offers out. ``statement --json`` refuses an
    offer too."""
    from dataclasses import replace

    from roasterdesk.domain.model import LotStatus

    _, lot = build_example(store)
    out = tmp_path / "offer.pdf"
    store.save_lot(replace(store.lot(lot.id), status=LotStatus.OFFER))
    assert main(["export-pdf", "--db", str(db_path), "--lot", lot.code, "--out", str(out)]) == 2
    assert "is recorded as offer, not bought" in capsys.readouterr().err
    assert not out.exists()
    # the statement's data is refused the same way (it printed an offer's "price paid")
    assert main(["statement", "--db", str(db_path), "--lot", lot.code, "--json"]) == 2
    got = capsys.readouterr()
    assert "is recorded as offer, not bought" in got.err and got.out == ""
    assert main(["export-pdf", "--db", str(db_path), "--harvest", "2025", "--out-dir",
                 str(tmp_path / "h")]) == 2  # its only lot is an offer
    assert "no lots of harvest 2025" in capsys.readouterr().err
    store.save_lot(replace(store.lot(lot.id), status=None))
    assert main(["export-pdf", "--db", str(db_path), "--lot", lot.code, "--out", str(out)]) == 0
    assert "status not recorded (is the lot bought?" in capsys.readouterr().err
    assert out.exists()


def test_export_pdf_a_whole_harvest_in_two_processes(store, db_path, tmp_path, capsys):
    build_example(store)
    out_dir = tmp_path / "out"
    assert main(["export-pdf", "--db", str(db_path), "--harvest", "2025", "--out-dir",
                 str(out_dir), "--processes", "2"]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["CO-25-001.pdf"]
    assert main(["export-pdf", "--db", str(db_path), "--harvest", "1999", "--out-dir",
                 str(out_dir)]) == 2
    assert "no lots of harvest 1999" in capsys.readouterr().err


def test_batch_over_two_worker_processes_writes_every_lot(store, db_path, tmp_path):
    from roasterdesk.services.statement_batch import export_batch

    build_example(store)
    lots = [(x.id, x.code) for x in store.lots_where("1 = 1")]
    seen = []
    done = export_batch(db_path, lots, tmp_path / "b", processes=2,
                        progress=lambda d, t: seen.append((d, t)))
    assert sorted(d.code for d in done) == ["CO-24-007", "CO-25-001"]
    assert all(d.path.read_bytes().startswith(b"%PDF") and d.pages >= 2 for d in done)
    assert seen[-1] == (2, 2)


def test_preflight_exit_zero_when_nothing_is_missing(store, db_path, capsys):
    """A lot whose checklist is complete and whose people may be named."""
    from dataclasses import replace
    from datetime import date

    from roasterdesk.domain.model import (
        Commitment,
        Consent,
        ConsentScope,
        Evidence,
        Observation,
        Topic,
        Visit,
    )

    _, lot = build_example(store)
    store.save_commitment(Commitment(lot.producer_id, 2024, 2026, volume_kg=700))
    store.save_visit(Visit(lot.producer_id, date(2025, 4, 1), observations=(
        Observation(Topic.COMPOSTING, Evidence.OBSERVED),)))
    for p in store.people(lot.producer_id):
        store.save_person(replace(p, consent=Consent(date(2024, 1, 1), frozenset(ConsentScope))))
    assert main(["preflight", "--db", str(db_path), "--lot", lot.code]) == 0
    assert "nothing missing" in capsys.readouterr().out


def test_preflight_checks_a_template_too(store, db_path, tmp_path, capsys):
    _, lot = build_example(store)
    tpl = tmp_path / "mine.toml"
    tpl.write_text('[roaster]\nname = ""\nlogo = "missing.png"\nlink = ""\n', encoding="utf-8")
    assert main(["preflight", "--db", str(db_path), "--lot", lot.code,
                 "--template", str(tpl)]) == 1
    out = capsys.readouterr().out
    assert "no roaster name" in out and "missing.png not found" in out
    assert "the QR code is left out" in out


def test_preflight_asks_to_replace_the_shipped_example_roaster(store, db_path, capsys):
    _, lot = build_example(store)
    main(["preflight", "--db", str(db_path), "--lot", lot.code, "--template", "default-es"])
    assert "still the shipped example roaster name or link" in capsys.readouterr().out


def test_batch_of_an_encrypted_database_in_spawned_workers(tmp_path):
    """The app remembers the key; spawned workers get it and open the file themselves."""
    pytest.importorskip("sqlcipher3", reason="the optional 'encryption' extra is not installed")
    from roasterdesk.services.statement_batch import export_batch
    from roasterdesk.store import Store
    from roasterdesk.store.cipher import remember_key

    key = bytes(range(32))
    path = tmp_path / "secret.sqlite"
    with Store.open(path, key=key) as s:
        build_example(s)
        lots = [(x.id, x.code) for x in s.lots_where("1 = 1")]
    assert not path.read_bytes().startswith(b"SQLite format 3")
    remember_key(path, key)
    done = export_batch(path, lots, tmp_path / "out", processes=2, start="spawn")
    assert sorted(d.code for d in done) == ["CO-24-007", "CO-25-001"]
    text = PdfReader(io.BytesIO(done[0].path.read_bytes())).pages[0].extract_text()
    assert f"Lot {done[0].code}" in text and "Caficultores de Nariño" in text


def test_export_pdf_warns_when_the_template_is_still_the_shipped_example(store, db_path, tmp_path,
                                                                       capsys):
    """The shipped templates name "Your Roastery" and link to example.com: a statement for a
    customer is not written with them in silence; a roaster's own template is not warned."""
    _, lot = build_example(store)
    assert main(["export-pdf", "--db", str(db_path), "--lot", lot.code, "--out",
                 str(tmp_path / "a.pdf")]) == 0
    err = capsys.readouterr().err
    assert "warning: template Default (English): still the shipped example roaster" in err
    assert "left out of the statement" in err

    def text_of(pdf):
        return " ".join(page.extract_text() for page in PdfReader(pdf).pages)

    # never printed as the roaster: the title band, the footer and the QR link leave it out
    shipped = text_of(tmp_path / "a.pdf")
    assert "Your Roastery" not in shipped and "YOUR ROASTERY" not in shipped
    assert "example.com" not in shipped and "Read more" not in shipped
    own = tmp_path / "mine.toml"
    own.write_text('name = "Mine"\n[roaster]\nname = "Tostadores del Sur"\n'
                   'link = "https://tostadoresdelsur.example.org/c/{lot_code}"\n',
                   encoding="utf-8")
    assert main(["export-pdf", "--db", str(db_path), "--lot", lot.code, "--out",
                 str(tmp_path / "b.pdf"), "--template", str(own)]) == 0
    assert "warning" not in capsys.readouterr().err
    assert "Tostadores del Sur" in text_of(tmp_path / "b.pdf")
    assert main(["export-pdf", "--db", str(db_path), "--harvest", "2025", "--out-dir",
                 str(tmp_path / "all"), "--processes", "1"]) == 0
    assert "still the shipped example roaster" in capsys.readouterr().err


def test_no_visit_or_contact_recorded_reads_none_recorded_not_zero(store, db_path, tmp_path):
    """"Visits in person 0" reads as a fact about the relationship; the records only hold none."""
    from roasterdesk.pdf import render_statement
    from roasterdesk.services.statement import load_statement

    _, lot = build_example(store)
    data = load_statement(store, lot.code, photos=False)
    rel = data.analysis.relationship
    assert rel.in_person_visits >= 1 and rel.remote_contacts == 0  # the example's records
    for template, none in (("default-en", "none recorded"), ("default-es", "ninguno registrado")):
        text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(
            render_statement(data, template))).pages).split())
        assert f"{rel.in_person_visits} " in text
        assert none in text
    assert "Calls and messages none recorded" in " ".join("\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_statement(
            data, "default-en"))).pages).split())
