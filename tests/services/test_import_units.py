"""An imported farm-gate unit is read by the one rule for local units (its name, the producer's
country, the lot's bag size), or asked about on its row; one FOB written per lb and per kg is
one price, or the row says which two columns disagree."""

from __future__ import annotations

from decimal import Decimal as D

from cli_steps import plan

from roasterdesk.domain.units import LB_KG

HEAD = ("Lot;Farm;Country;Harvest;Weight (kg);Bag size;Farm Gate Price;Farm Gate Currency;"
        "Farm Gate Unit;Farm Gate Basis;Exchange Rate\n")


def _units(store, tmp_path, rows):
    f = tmp_path / "lots.csv"
    f.write_text(HEAD + rows)
    p = plan(store, f)
    got = {r.record.code: (r.record.farm_gate.unit_name, r.record.farm_gate.unit_kg)
           for r in p.records}
    return p, got


def test_a_local_unit_is_the_one_of_the_producers_country(store, tmp_path):
    p, got = _units(store, tmp_path,
                    "BR1;Fazenda Boa Vista;BR;2024;690;;1450;BRL;arroba;green;5.5\n"
                    "CO1;Finca Uno;CO;2024;690;;90000;COP;arroba;parchment;4000\n"
                    "GT1;Finca Dos;GT;2024;690;;1000;GTQ;quintal;parchment;7.7\n"
                    "GT2;Finca Dos;GT;2024;690;;1000;GTQ;qq;parchment;7.7\n"
                    "HN1;Finca Tres;HN;2024;690;;3000;HNL;qq;parchment;25\n"
                    "CO2;Finca Uno;CO;2024;690;;2600000;COP;carga;parchment;4100\n")
    assert p.ok, p.report()
    assert got == {"BR1": ("arroba (15 kg)", D(15)), "CO1": ("arroba (12.5 kg)", D("12.5")),
                   "GT1": ("quintal (100 lb)", 100 * LB_KG),
                   "GT2": ("quintal (100 lb)", 100 * LB_KG),
                   "HN1": ("quintal (46 kg)", D(46)), "CO2": ("carga (125 kg)", D(125))}
    assert not [x for x in p.problems if "unit" in x.reason]


def test_per_bag_is_the_rows_bag_size_and_asked_without_one(store, tmp_path):
    p, got = _units(store, tmp_path,
                    "A;Finca Tres;HN;2024;690;69;3000;HNL;bag;parchment;25\n"
                    "B;Fazenda Boa Vista;BR;2024;600;60;900;BRL;saca;green;5.5\n"
                    "C;Finca Uno;CO;2024;700;70;900000;COP;saco;parchment;4000\n"
                    "D;Finca Tres;HN;2024;690;;3000;HNL;bag;parchment;25\n")
    assert got == {"A": ("bag (69 kg)", D(69)), "B": ("bag (60 kg)", D(60)),
                   "C": ("bag (70 kg)", D(70))}
    errors = [(x.line, x.column) for x in p.errors]
    assert errors == [(5, "Farm Gate Unit")]
    assert "bag size" in p.errors[0].reason and "'Bag size' column" in p.errors[0].reason


def test_an_ambiguous_unit_is_asked_on_its_row_naming_what_it_could_be(store, tmp_path):
    p, got = _units(store, tmp_path,
                    "PE1;Finca Cuatro;PE;2024;690;;500;PEN;arroba;parchment;3.7\n"
                    "MX1;Finca Cinco;MX;2024;690;;5000;MXN;quintal;parchment;18\n"
                    "BR2;Fazenda Boa Vista;BR;2024;690;;900;BRL;carga;green;5.5\n"
                    "XX;Finca Uno;CO;2024;690;;900;COP;lata;cherry;4000\n")
    assert got == {}
    reasons = {x.line: x.reason for x in p.errors if x.column == "Farm Gate Unit"}
    assert set(reasons) == {2, 3, 4, 5}
    assert "Peru" in reasons[2] and "arroba (12.5 kg)" in reasons[2] \
        and "arroba (15 kg)" in reasons[2]
    assert "Mexico" in reasons[3] and "quintal (100 lb)" in reasons[3]
    assert "'Farm-gate unit (kg)' column" in reasons[4]
    assert "not a unit known here" in reasons[5]


def test_a_unit_with_its_weight_is_settled_and_a_contradiction_is_asked(store, tmp_path):
    f = tmp_path / "lots.csv"
    f.write_text("Lot;Farm;Country;Harvest;Weight (kg);Farm Gate Price;Farm Gate Currency;"
                 "Farm Gate Unit;Farm Gate Unit kg;Farm Gate Basis;Exchange Rate\n"
                 "PE1;Finca Cuatro;PE;2024;690;500;PEN;arroba;15;parchment;3.7\n"
                 "PE2;Finca Cuatro;PE;2024;690;500;PEN;lata;12;cherry;3.7\n"
                 "BR1;Fazenda Boa Vista;BR;2024;690;1450;BRL;arroba;12.5;green;5.5\n")
    p = plan(store, f)
    got = {r.record.code: (r.record.farm_gate.unit_name, r.record.farm_gate.unit_kg)
           for r in p.records}
    assert got == {"PE1": ("arroba", D(15)), "PE2": ("lata", D(12))}
    assert [(x.line, x.column) for x in p.errors] == [(4, "Farm Gate Unit kg")]
    assert "arroba (15 kg)" in p.errors[0].reason and "12.5 kg" in p.errors[0].reason


def test_two_fob_columns_that_disagree_reject_the_row_naming_both(store, tmp_path):
    f = tmp_path / "fob.csv"
    f.write_text("Lot;Farm;Country;Harvest;Weight (kg);Precio FOB;FOB USD/kg\n"
                 "A;Finca Uno;CO;2024;690;4.10;9.90\n"
                 "B;Finca Uno;CO;2024;690;4.10;9.04\n")
    p = plan(store, f)
    assert [r.record.code for r in p.records] == ["B"]
    assert p.records[0].record.fob_usd_lb == D("4.10")
    assert [(x.line, x.column) for x in p.errors] == [(2, "Precio FOB, FOB USD/kg")]
    assert p.errors[0].reason.startswith(
        "FOB 4.10 USD/lb and FOB 9.90 USD/kg (= 4.4906 USD/lb) are not the same price")


def test_a_colombian_factor_de_rendimiento_is_read_as_one_and_never_as_an_outturn(store,
                                                                                tmp_path):
    """'Factor de rendimiento' was ignored (the usual 1.25 used instead of 94/70), and 94 in an
    'Outturn' column was stored as 94 kg per kg green (a farm gate of 216 USD/lb, 4,554 % of
    FOB) with only a warning. An FR column, 'FR 94' or '94/70' in an outturn cell are read;
    a bare 94 as an outturn is refused with what it would be."""
    f = tmp_path / "fr.csv"
    head = ("Lote;Productor;País;Cosecha;Peso (kg);Precio FOB;Precio al productor;Moneda;Per;"
            "Basis;Tasa de cambio;{col}\n")
    row = "{code};Finca Uno;CO;2024;1400;4.75;2600000;COP;carga;parchment;4100;{fr}\n"
    f.write_text(head.format(col="Factor de rendimiento") + row.format(code="A", fr="94")
                 + row.format(code="B", fr="FR 92"))
    p = plan(store, f)
    assert p.ok, p.report()
    got = {r.record.code: r.record.farm_gate.kg_per_kg_green for r in p.records}
    assert got == {"A": D(94) / 70, "B": D(92) / 70}
    f.write_text(head.format(col="FR") + row.format(code="X", fr="94").replace(
        "parchment", "cherry"))
    (bad,) = [x for x in plan(store, f).problems if x.error]  # 94/70 for cherry: 4x too low
    assert bad.column == "FR" and bad.reason.startswith("a factor de rendimiento is of dry "
                                                        "parchment, and this price is of")
    f.write_text(head.format(col="Outturn") + row.format(code="C", fr="94/70")
                 + row.format(code="D", fr="94") + row.format(code="E", fr="1,30"))
    p = plan(store, f)
    assert {r.record.code: r.record.farm_gate.kg_per_kg_green for r in p.records} == {
        "C": D(94) / 70, "E": D("1.30")}
    (bad,) = [x for x in p.problems if x.error]
    assert (bad.line, bad.column) == (3, "Outturn")
    assert bad.reason.startswith("94 kg dry parchment per kg green is not an outturn; as a "
                                 "factor de rendimiento (kg parchment per 70 kg excelso) it is "
                                 "94/70 = 1.343")


def test_spanish_and_portuguese_status_and_contract_words_are_read(store, tmp_path):
    """'contratado', 'Fijo' and 'fixo' were refused until a mapping said what they meant."""
    f = tmp_path / "es.csv"
    f.write_text("Lote;Productor;País;Cosecha;Peso (kg);Estado del Lote;Tipo de Contrato\n"
                 "A;Finca Uno;CO;2024;690;contratado;Fijo\n"
                 "B;Fazenda Dois;BR;2024;690;Embarcado;fixo\n"
                 "C;Finca Uno;CO;2024;690;Oferta;por fijar\n")
    p = plan(store, f)
    assert p.ok, p.report()
    got = {r.record.code: (r.record.status.value, r.record.contract_type.value)
           for r in p.records}
    assert got == {"A": ("contracted", "fixed"), "B": ("shipped", "fixed"),
                   "C": ("offer", "ptbf")}
