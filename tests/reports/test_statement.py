"""The impact statement: figures as the domain computed them, consent, "not recorded", templates,
and files that qpdf and poppler accept."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zlib
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from statement_sample import HIDDEN, HIDDEN_QUOTE, NAMED, ON

from roasterdesk.errors import UserError
from roasterdesk.pdf import available_templates, load_template, render_statement
from roasterdesk.pdf.template import parse_template
from roasterdesk.services.statement import load_statement, preflight


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def decompressed_streams(pdf: bytes) -> bytes:
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        raw = m.group(1)
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return b"\n".join(out)


@pytest.fixture
def statement(example):
    store, lot = example
    data = load_statement(store, lot.code, on=ON)
    return data, render_statement(data, "default-en")


def test_the_worked_example_figures_appear_in_their_units(statement):
    _, pdf = statement
    text = flat(text_of(pdf))
    for figure in (
        "4.7500 USD/lb",  # FOB
        "3.8000 USD/lb",  # C at fixation
        "380.00 US¢/lb, fixed on 2025-03-14",
        "0.9500 USD/lb",  # premium over C
        "25.0 %",
        "3.0901 USD/lb",  # farm gate, green
        "65.1 %",  # farm-gate share of FOB
        "USD 14,660.74",  # FOB value of the lot
        "USD 2,932.15",
        "USD 9,537.56",
        "USD 5,123.18",
        "4.0000 USD/lb",  # Fairtrade floor
        "FOB is 0.7500 USD/lb above it",
        "2,600,000 COP per carga (125 kg) of dry parchment",
        "at 4,100 COP/USD",
        "1,400 kg green",
        "3,086.47 lb",
        "86.50 points (SCA)",
    ):
        assert figure in text, figure
    assert "Caficultores de Nariño" in text
    assert "12 of 12 applicable questions answered" not in text  # never padded
    ck = statement[0].analysis.checklist
    assert f"{ck.answered} of {ck.applicable} applicable questions answered" in text


def test_the_money_split_chart_is_labelled_with_its_unit(statement):
    data, pdf = statement
    text = flat(text_of(pdf))
    assert "Where the money went" in text
    assert "FOB 4.7500 USD/lb" in text
    assert "USD per lb of green coffee" in text
    split = data.analysis.economics.split
    assert f"Producer (farm gate) {split.producer:.4f}" in text
    assert f"Exporter & processing {split.exporter_total:.4f}" in text


def test_price_history_chart_shows_each_harvest(statement):
    _, pdf = statement
    text = text_of(pdf)
    assert "Prices across harvests" in text
    assert "2024" in text and "2025" in text and "USD per lb green" in text


def test_a_person_with_consent_appears_and_one_without_never_does(example):
    store, lot = example
    data = load_statement(store, lot.code, on=ON)
    pdf = render_statement(data, "default-en", compress=False)
    text = text_of(pdf)
    assert NAMED in text
    assert "A fair price lets us plan the next harvest" in flat(text)
    assert HIDDEN not in text and "Quiñónez" not in text
    assert HIDDEN_QUOTE not in flat(text)
    # the story and notes that named the person are kept, with the role instead
    assert "The manager ferments this lot for 36 hours" in flat(text)
    for blob in (pdf, decompressed_streams(pdf)):
        for encoding in ("utf-8", "utf-16-be", "latin-1"):
            needle = "Quiñónez".encode(encoding, errors="ignore")
            assert needle not in blob
    # nor in the document information
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert all(NAMED not in str(v) and HIDDEN not in str(v) for v in meta.values())
    assert meta.title == "Impact statement — CO-25-001"


def test_consent_is_checked_on_the_statement_date(example):
    store, lot = example
    before = render_statement(load_statement(store, lot.code, on=date(2024, 12, 31)))
    assert HIDDEN in text_of(before)  # consent was withdrawn on 2025-01-01
    assert NAMED not in text_of(render_statement(load_statement(store, lot.code,
                                                                on=date(2023, 12, 31))))


def test_a_farm_named_after_someone_without_consent_is_shown_by_region(example):
    store, lot = example
    prod = store.producer(lot.producer_id)
    store.save_producer(replace(prod, name=f"Finca {HIDDEN}", kind=prod.kind.FARM))
    data = load_statement(store, lot.code, on=ON)
    text = flat(text_of(render_statement(data)))
    assert HIDDEN not in text and "Quiñónez" not in text
    assert "a farm in Nariño, Colombia" in text
    assert any("contains a person's name" in item for item in preflight(store, lot.code, ON))
    # the lot's name and story that repeat the farm's name say "the farm" instead
    store.save_lot(replace(store.lot(lot.id), name=f"Finca {HIDDEN} Castillo",
                           story=f"Finca {HIDDEN} sits above the river."))
    data = load_statement(store, lot.code, on=ON)
    text = flat(text_of(render_statement(data)))
    assert HIDDEN not in text and "Quiñónez" not in text
    assert "The farm sits above the river." in text and data.lot_title == "The farm Castillo"


def test_coordinates_are_rounded_and_no_polygon_appears(statement):
    _, pdf = statement
    text = text_of(pdf)
    assert "1.21° N, 77.28° W" in text
    assert "77.2812" not in text and "1.2123" not in text


def test_missing_farm_gate_price_says_not_recorded(example):
    store, lot = example
    store.save_lot(replace(lot, farm_gate=None))
    data = load_statement(store, lot.code, on=ON)
    text = flat(text_of(render_statement(data)))
    assert "Paid to the producer (farm gate) not recorded" in text
    assert "Farm gate as a share of FOB not recorded" in text
    assert "without the farm-gate price we cannot show how the FOB price was shared" in text
    assert "farm-gate price: not recorded" in preflight(store, lot.code, ON)


def test_preflight_of_a_complete_lot_lists_only_what_is_really_missing(example):
    store, lot = example
    items = preflight(store, lot.code, ON)
    assert not any("farm-gate" in i or "FOB" in i for i in items)
    assert any("Multi-year buying commitment" in i for i in items)  # none recorded


def test_photos_are_reencoded_without_exif_and_photos_of_unconsenting_people_left_out(
    example, tmp_path
):
    from PIL import Image

    from roasterdesk.domain.model import Photo, Visit
    from roasterdesk.services.attachments import add_photo

    store, lot = example
    folder = store.path.with_name(f"{store.path.stem}-attachments")

    def jpeg(name: str, colour: str, artist: str) -> Photo:
        exif = Image.Exif()
        exif[0x013B] = artist  # Artist
        path = tmp_path / name
        Image.new("RGB", (64, 48), colour).save(path, exif=exif.tobytes())
        return add_photo(path, folder, caption=f"drying beds {name}")

    hidden_id = next(p.id for p in store.people(lot.producer_id) if p.name == HIDDEN)
    landscape = jpeg("beds.jpg", "green", "SecretArtistName")
    portrait = replace(jpeg("face.jpg", "red", "OtherArtist"), person_id=hidden_id)
    store.save_visit(Visit(lot.producer_id, date(2025, 5, 1), photos=(landscape, portrait)))
    data = load_statement(store, lot.code, on=ON)
    assert len(data.photos) == 1 and data.photos[0].caption == "drying beds beds.jpg"
    pdf = render_statement(data, compress=False)
    images = [img.data for page in PdfReader(io.BytesIO(pdf)).pages for img in page.images]
    assert len(images) == 1
    assert b"Exif" not in images[0] and b"SecretArtistName" not in pdf


@pytest.mark.parametrize("name", available_templates())
def test_every_shipped_template_renders(example, name):
    store, lot = example
    tpl = load_template(name)
    pdf = render_statement(load_statement(store, lot.code, on=ON), tpl)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = text_of(pdf)
    assert tpl.heading("money") in text
    assert "3.0901" in text or "3,0901" in text


def test_the_spanish_template_is_in_spanish(example):
    store, lot = example
    text = flat(text_of(render_statement(load_statement(store, lot.code, on=ON),
                                         "default-es")))
    assert "A dónde fue el dinero" in text and "Lista de transparencia" in text
    assert "3,0901 USD/lb" in text and "65,1 %" in text and "USD 14.660,74" in text
    assert "Where the money went" not in text
    assert "Nariño, Colombia" in text and "País Colombia" in text


def test_template_choices(tmp_path):
    letter = parse_template({"paper": "Letter", "sections": ["coffee", "price"]})
    assert letter.sections == ("coffee", "price")
    with pytest.raises(UserError, match="unknown section"):
        parse_template({"sections": ["coffee", "gossip"]})
    with pytest.raises(UserError, match="A4 or Letter"):
        parse_template({"paper": "A5"})
    with pytest.raises(UserError, match="colour"):
        parse_template({"colours": {"accent": "orange"}})
    with pytest.raises(UserError, match="coordinate_decimals"):
        parse_template({"privacy": {"coordinate_decimals": 6}})
    with pytest.raises(UserError, match="no template"):
        load_template("does-not-exist")


def test_a_letter_template_with_fewer_sections(example):
    store, lot = example
    tpl = parse_template({"paper": "Letter", "sections": ["coffee", "checklist"],
                          "headings": {"coffee": "Our coffee"},
                          "roaster": {"name": "Tostadores Ñandú", "link": ""}})
    pdf = render_statement(load_statement(store, lot.code, on=ON), tpl)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    text = text_of(pdf)
    assert "Our coffee" in text and "Tostadores Ñandú" in text
    assert "Where the money went" not in text


def test_latin_extended_and_vietnamese_names_survive(example):
    store, lot = example
    prod = store.producer(lot.producer_id)
    store.save_producer(replace(prod, name="Hợp tác xã Đắk Lắk", region="Đắk Lắk"))
    text = text_of(render_statement(load_statement(store, lot.code, on=ON)))
    assert "Hợp tác xã Đắk Lắk" in text


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_qpdf_check_passes(statement, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(statement[1])
    out = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_pdftoppm_renders_every_page(statement, tmp_path):
    path = tmp_path / "s.pdf"
    path.write_bytes(statement[1])
    pages = len(PdfReader(io.BytesIO(statement[1])).pages)
    out = subprocess.run(["pdftoppm", "-png", "-r", "30", str(path), str(tmp_path / "p")],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    pngs = sorted(tmp_path.glob("p-*.png"))
    assert len(pngs) == pages
    assert all(p.stat().st_size > 1000 for p in pngs)


def test_a_roasters_logo_and_a_broken_wording_in_a_copied_template(example, tmp_path):
    from PIL import Image

    store, lot = example
    Image.new("RGB", (120, 60), "#4A2C1D").save(tmp_path / "logo.png")
    good = tmp_path / "mine.toml"
    good.write_text('[roaster]\nname = "Tostadores Ñandú"\nlogo = "logo.png"\n'
                    'link = ""\n', encoding="utf-8")
    data = load_statement(store, lot.code, on=ON)
    pdf = render_statement(data, load_template(good))
    assert sum(len(p.images) for p in PdfReader(io.BytesIO(pdf)).pages) == 1  # the logo
    assert PdfReader(io.BytesIO(pdf)).metadata.author == "Tostadores Ñandú"
    bad = tmp_path / "bad.toml"
    bad.write_text('[text]\nanswered_of = "{answered} of {total"\n', encoding="utf-8")
    with pytest.raises(UserError, match="text.answered_of"):
        render_statement(data, load_template(bad))


def test_importing_the_pdf_package_loads_no_reportlab():
    import json
    import subprocess
    import sys

    code = ("import json, sys, roasterdesk.pdf, roasterdesk.services.statement; "
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('reportlab'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert json.loads(out.stdout) == []


def test_preflight_warns_about_a_lot_that_was_not_bought(example):

    store, lot = example
    store.cancel_lot(store.lot(lot.id))
    assert any("the lot is cancelled, not bought" in i for i in preflight(store, lot.code, ON))


def test_certifications_current_and_lapsed_with_older_ones_counted(example):
    from roasterdesk.domain.model import Certification, Scheme

    store, lot = example
    pid = lot.producer_id
    store.save_certification(Certification(pid, Scheme.FAIRTRADE, "FLO-00001",
                                           valid_from=date(2018, 1, 1),
                                           valid_to=date(2020, 12, 31)))
    store.save_certification(Certification(pid, Scheme.ORGANIC_EU, "EU-OLD",
                                           valid_from=date(2019, 1, 1),
                                           valid_to=date(2021, 12, 31)))
    store.save_certification(Certification(pid, Scheme.ORGANIC_EU, "EU-LAST",
                                           valid_from=date(2022, 1, 1),
                                           valid_to=date(2024, 12, 31)))
    text = flat(text_of(render_statement(load_statement(store, lot.code, on=ON))))
    assert "No. FLO-12345" in text and "valid until 2027-12-31" in text
    # judged on the lot's date (its contract, 2025-03-14), not the statement date
    assert "No. EU-LAST" in text and "not valid on 2025-03-14" in text  # the lapse shows
    assert "FLO-00001" not in text and "EU-OLD" not in text
    assert "Earlier certificates not shown: 2." in text


def test_a_photo_file_missing_from_the_attachments_folder_is_listed_not_invented(example):
    from roasterdesk.domain.model import Photo, Visit

    store, lot = example
    gone = Photo(sha256="a" * 64, filename="gone.jpg", caption="drying beds")
    store.save_visit(Visit(lot.producer_id, date(2025, 5, 1), photos=(gone,)))
    data = load_statement(store, lot.code, on=ON)
    assert data.photos == () and data.photos_unreadable == 1
    assert any("1 photo file(s)" in i for i in preflight(store, lot.code, ON))


def test_a_weight_typed_in_pounds_prints_to_the_hundredth_of_a_kg(example):
    """660 lb is kept exactly (299.3709642 kg); the statement prints 299.37 kg, not seven
    decimals, and the pounds as typed."""
    from decimal import Decimal

    store, lot = example
    store.save_lot(replace(lot, weight_kg=Decimal("299.3709642"), bags=None, bag_kg=None))
    text = flat(text_of(render_statement(load_statement(store, lot.code, on=ON), "default-en")))
    assert "299.37 kg green" in text and "299.3709642" not in text
    assert "660.00 lb" in text
