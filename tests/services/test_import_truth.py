"""An import stores what the file says, or "not recorded", and says so: no generic column in a
customer-facing field, no silent contract type or producer kind, no ambiguous label guessed,
placeholders and a 0 score read as not recorded with a warning, units in headers, ISO names."""

from __future__ import annotations

from decimal import Decimal

import pycountry
import pytest
from cli_steps import plan

from roasterdesk.domain.model import ContractType, Process, ProducerKind
from roasterdesk.services import fields as FS
from roasterdesk.services import importing as I
from roasterdesk.services import vocab


def test_no_generic_internal_header_reaches_a_customer_facing_field(store, tmp_path):
    for kind in FS.KINDS:
        for generic in FS.GENERIC_HEADERS:
            key = FS.match_header(kind, generic.title())
            assert key is None or not FS.spec(kind, key).public, (kind, generic, key)
    f = tmp_path / "notes.csv"
    f.write_text("Lot;Farm;Country;Harvest;Notes\nA;F;CO;2024;check the moisture again\n")
    p = plan(store, f)
    assert p.ok and p.records[0].record.story == ""
    assert "column 'Notes' → (ignored)" in p.report()
    p = plan(store, f, mapping={"Notes": "story"})  # a mapping file may
    assert p.records[0].record.story == "check the moisture again"
    f.write_text("Lot;Farm;Country;Harvest;Lot story\nA;F;CO;2024;Grown at 1,900 m\n")
    assert plan(store, f).records[0].record.story == "Grown at 1,900 m"


def test_contract_type_and_fixations_that_contradict_the_lot_are_reported(store, tmp_path):
    f = tmp_path / "fix.csv"
    f.write_text("Lot;Farm;Country;Harvest;Weight (kg);Fixations\n"
                 "A;F;CO;2024;690;2025-03-14 380.00 300\n")
    p = plan(store, f)
    assert p.ok and p.records[0].record.contract_type is ContractType.PTBF
    warned = [(x.line, x.column) for x in p.warnings if "no contract type" in x.reason]
    assert warned == [(2, "Fixations")]
    f.write_text("Lot,Farm,Country,Harvest,Weight (kg),Contract type,Fixations\n"
                 "A,F,CO,2024,690,Fixed,2025-03-14 380.00 300\n"
                 'B,F,CO,2024,690,PTBF,"2025-03-14 380.00 400; 2025-04-01 390 300"\n'
                 "C,F,CO,2024,690,PTBF,2025-03-14 380.00 690\n")
    p = plan(store, f)
    errors = {(x.line, x.column): x.reason for x in p.errors}
    assert set(errors) == {(2, "Fixations"), (3, "Fixations")}
    assert "fixed-price contract" in errors[(2, "Fixations")]
    assert "700 kg" in errors[(3, "Fixations")] and "690 kg" in errors[(3, "Fixations")]
    assert [r.record.code for r in p.records] == ["C"]


def test_a_new_producer_gets_the_files_type_or_the_plan_names_it(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text("Lot;Farm;Country;Harvest\nA;Finca Uno;CO;2024\nB;Finca Uno;CO;2024\n"
                 "C;La Cumbre;CO;2024\n")
    p = plan(store, f)
    note = next(n for n in p.notes if "with kind not recorded" in n)
    assert "2 new producers" in note and "'Finca Uno'" in note and "'La Cumbre'" in note
    assert note in p.report()
    assert [x.kind for x in p.new_producers.values()] == [None, None]  # never "farm"
    f.write_text("Lot;Farm;Country;Harvest;Producer type\nA;Coop Sur;CO;2024;Cooperative\n")
    p = plan(store, f)
    assert [x.kind for x in p.new_producers.values()] == [ProducerKind.COOPERATIVE]
    assert not any("kind not recorded" in n for n in p.notes)
    f = tmp_path / "visits.csv"
    f.write_text("Producer;Country;Date;Mode\nFinca Dos;PE;2025-01-10;call\n")
    assert any("'Finca Dos'" in n for n in plan(store, f, "visits").notes)
    f = tmp_path / "producers.csv"
    f.write_text("Producer;Country\nFinca Tres;PE\n")
    assert any("'Finca Tres'" in n for n in plan(store, f, "producers").notes)


def test_list_values_are_kept_once_after_mapping(store, tmp_path):
    f = tmp_path / "producers.csv"
    f.write_text("Producer;Country;Processes;Varieties\n"
                 "A;CO;Washed / Wet, Natural / Dry;Caturra, Castillo, caturra\n"
                 "B;CO;Washed / Wet;Geisha\n")
    p = plan(store, f, "producers")
    assert p.ok, p.report()
    got = {r.record.name: r.record for r in p.records}
    assert tuple(got["A"].processes) == ("washed", "natural")
    assert tuple(got["A"].varieties) == ("Caturra", "Castillo")
    assert tuple(got["B"].processes) == ("washed",)


def test_an_ambiguous_process_label_is_an_error_naming_the_choices(store, tmp_path):
    f = tmp_path / "semi.csv"
    f.write_text("Lot;Farm;Country;Harvest;Process\nA;F;ID;2024;Semi-washed\n")
    p = plan(store, f)
    assert not p.records
    reason = p.errors[0].reason
    assert "ambiguous" in reason and "wet-hulled" in reason and "honey" in reason
    p = plan(store, f, mapping={"_values": {"Process": {"Semi-washed": "wet-hulled"}}})
    assert p.ok and p.records[0].record.process.value == "wet-hulled"
    f = tmp_path / "producers.csv"
    f.write_text("Producer;Country;Processes\nA;ID;Semi-washed, Natural\n")
    p = plan(store, f, "producers")
    assert not p.records and "ambiguous" in p.errors[0].reason
    p = plan(store, f, "producers", mapping={"_values": {"processes": {"semi washed": "honey"}}})
    assert p.ok and tuple(p.records[0].record.processes) == ("honey", "natural")


def test_placeholders_and_a_zero_score_read_as_not_recorded_with_a_warning(store, tmp_path):
    f = tmp_path / "na.csv"
    f.write_text("Lot;Farm;Country;Harvest;Weight (kg);Cup score;Contract date;Process;"
                 "Moisture (%)\n"
                 "A;F;CO;2024;#N/A;N/A;TBD;-;?\n"
                 "B;F;CO;2024;n/a;0;—;washed;11\n")
    p = plan(store, f)
    assert p.ok, p.report()
    a, b = (r.record for r in p.records)
    assert (a.weight_kg, a.quality_score, a.contract_date, a.moisture_pct) == (None,) * 4
    assert b.weight_kg is None and b.quality_score is None and b.contract_date is None
    warned = {(x.line, x.column, x.value) for x in p.warnings if "not recorded" in x.reason}
    assert warned == {(2, "Weight (kg)", "#N/A"), (2, "Cup score", "N/A"),
                      (2, "Contract date", "TBD"), (2, "Process", "-"),
                      (2, "Moisture (%)", "?"), (3, "Weight (kg)", "n/a"),
                      (3, "Cup score", "0"), (3, "Contract date", "—")}


def test_unit_headers_for_weight_and_fob_are_read(store, tmp_path):
    for header, key in (("Qty (kg)", "weight_kg"), ("Quantity (kg)", "weight_kg"),
                        ("FOB $/lb", "fob_usd_lb"), ("FOB USD/lb", "fob_usd_lb"),
                        ("FOB (US$/lb)", "fob_usd_lb"), ("FOB (US$/kg)", "fob_usd_kg"),
                        ("FOB $/kg", "fob_usd_kg")):
        assert FS.match_header("lots", header) == key, header
    f = tmp_path / "units.csv"
    f.write_text("Lot;Farm;Country;Harvest;Qty (kg);FOB $/lb\nA;F;CO;2024;690;4.10\n")
    rec = plan(store, f).records[0].record
    assert rec.weight_kg == Decimal(690) and rec.fob_usd_lb == Decimal("4.10")


def test_iso_inverted_country_names_read_as_a_class():
    assert vocab.country("Congo, Democratic Republic of the")[0] == "CD"
    assert vocab.country("Congo, Republic of the")[0] == "CG"
    with pytest.raises(ValueError, match="ambiguous: it may mean 'DR Congo'"):
        vocab.country("Congo")  # DR Congo's coffee as often as the Republic's: asked
    assert vocab.country("DRC")[0] == "CD" and vocab.country("Congo-Brazzaville")[0] == "CG"
    for c in pycountry.countries:
        for attr in ("name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," in value:
                head, _, tail = value.partition(",")
                tail_plain = " ".join(w for w in tail.split() if w.lower() != "the")
                for form in (value, f"{head}, {tail_plain}", f"{tail} {head}"):
                    assert vocab.country(form)[0] == c.alpha_2, form


def test_a_unit_in_the_header_is_the_columns_unit_never_dropped(store, tmp_path):
    """ "Weight (lb)" was read as kilograms: the header's unit applies where a cell and a unit
    column name none; a cell's own unit still wins."""
    f = tmp_path / "lb.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Weight (lb),Altitude (ft),Bag size (lbs)\n"
                 "A,F,CO,2024,1000,5000,152\nB,F,CO,2024,500 kg,1500 m,69 kg\n")
    p = plan(store, f)
    got = {r.record.code: r.record for r in p.records}
    assert got["A"].weight_kg == Decimal("453.59237")  # 1,000 lb exactly
    assert got["A"].bag_kg == Decimal("152") * Decimal("0.45359237")
    assert got["B"].weight_kg == Decimal(500) and got["B"].bag_kg == Decimal(69)
    (producer,) = p.new_producers.values()
    assert producer.altitude_min_m == 1524  # 5,000 ft


def test_a_lot_name_is_printed_so_no_generic_column_fills_it(store, tmp_path):
    assert FS.spec("lots", "name").public
    f = tmp_path / "desc.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Description\nA,F,CO,2024,buy again?\n")
    p = plan(store, f)
    assert p.ok and p.records[0].record.name == ""


def test_new_lots_without_species_or_process_are_named_not_silently_defaulted(store, tmp_path):
    """A lot's species chooses its market (ICE C or London) and its process its Fairtrade
    minimum; where the file gives none, "not recorded" is stored (never the model's arabica or
    washed) and the plan says so, naming the lots."""
    f = tmp_path / "bare.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Species,Process\n"
                 "A,F,VN,2024,robusta,natural\nB,F,VN,2024,,\nC,F,VN,2024,,honey\n")
    p = plan(store, f)
    notes = "; ".join(p.notes)
    assert ("2 new lots with species not recorded (no market price, ICE C or London, until it "
            "is; a 'Species' column says which): B, C" in notes)
    assert "1 new lot with process not recorded (no Fairtrade floor of its own until it is; " \
           "a 'Process' column says each one's): B" in notes
    # an offer sheet has no status column: its lots would count as bought, said so
    assert ("3 new lots with status not recorded (counted as possibly bought, in the "
            "relationship, the history by harvest and commitments" in notes)
    got = {r.record.code: r.record for r in p.records}
    assert (got["B"].species, got["B"].process) == (None, None)
    assert (got["C"].species, got["C"].process) == (None, Process.HONEY)
    assert "Species" in p.report().splitlines()[0]  # in the summary a buyer reads first
    I.commit_import(store, p)
    f.write_text("Lot code,Producer,Country,Harvest\nA,F,VN,2024\n")  # an update: kept
    p = I.plan_import(store, I.read_source(f, "lots"), "lots", on_duplicate="update")
    assert p.count("update") == 1 and not [n for n in p.notes if "new lot" in n]


def test_an_update_says_which_emptied_cells_keep_their_stored_values(store, tmp_path):
    """Empty is "not given": an update keeps the stored cup score and premium, and says so."""
    f = tmp_path / "first.csv"
    f.write_text("Lot code,Producer,Country,Harvest,Cup score,Premiums,Exporter\n"
                 "A,F,CO,2024,86,\"quality: 0.10 USD/kg, on top, to producer\",Exp\n"
                 "B,F,CO,2024,84,,Exp\n")
    I.commit_import(store, plan(store, f))
    f.write_text("Lot code,Producer,Country,Harvest,Cup score,Premiums,Exporter\n"
                 "A,F,CO,2024,,,Exp\nB,F,CO,2024,84,,Exp\n")
    p = I.plan_import(store, I.read_source(f, "lots"), "lots", on_duplicate="update")
    kept = [x for x in p.problems if "kept" in x.reason]
    assert [(x.line, x.error) for x in kept] == [(2, False)]  # B's premium was never given
    assert "('Cup score', 'Premiums'): the stored values are kept" in kept[0].reason
    I.commit_import(store, p)
    (a,) = store.lots_where("code = ?", ["A"])
    assert a.quality_score == Decimal(86) and len(a.premiums) == 1


def test_lot_codes_a_buyer_changed_or_wrote_in_another_case_are_said(store, tmp_path):
    f = tmp_path / "codes.csv"
    f.write_text("Lot code,Producer,Country,Harvest\nNR-001,F,CO,2024\n")
    I.commit_import(store, plan(store, f))
    (lot,) = store.lots_where("code = ?", ["NR-001"])
    f.write_text(f"Lot code,Producer,Country,Harvest,UUID\nNR-001A,F,CO,2024,{lot.uuid}\n")
    p = I.plan_import(store, I.read_source(f, "lots"), "lots", on_duplicate="update")
    (said,) = [x for x in p.problems if x.column == "Lot code"]
    assert not said.error and "is 'NR-001' here: its code is kept" in said.reason
    f.write_text("Lot code,Producer,Country,Harvest\nnr-001 ,F,CO,2024\n")
    (said,) = [x for x in plan(store, f).problems if x.column == "Lot code"]
    assert "differs from the stored lot 'NR-001' only in case" in said.reason
    f.write_text("Lot code,Producer,Country,Harvest\nNR-002,F,CO,2024\n")
    assert not [x for x in plan(store, f).problems if x.column == "Lot code"]


def test_a_premium_written_twice_in_one_cell_is_said(store, tmp_path):
    f = tmp_path / "twice.csv"
    one = "quality: 0.30 USD/kg, in FOB, to producer"
    f.write_text(f'Lot code,Producer,Country,Harvest,Premiums\nA,F,CO,2024,"{one}; {one}"\n'
                 f'B,F,CO,2024,"{one}"\n')
    said = [x for x in plan(store, f).problems if x.column == "Premiums"]
    assert [(x.line, x.error) for x in said] == [(2, False)]
    assert "the same premium is written twice" in said[0].reason
