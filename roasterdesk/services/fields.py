"""The columns an import understands, per record kind, with the header names buyers use.

Each :class:`FieldSpec` has a canonical ``label`` (what an export writes, so that export →
import round-trips) and synonyms seen in real spreadsheets. Headers are compared folded: lower
case, no accents, punctuation and units in brackets ignored ("Altitude (masl)" = "altitude").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..domain.model import (
    ConsentScope,
    ContractType,
    Evidence,
    LotStatus,
    Outcome,
    Process,
    ProducerKind,
    Purpose,
    Role,
    Scheme,
    Species,
    Topic,
    VisitMode,
)
from ..domain.units import Basis
from . import list_cells as L
from . import parsing as P
from .import_farm_gate import parse_fr, parse_outturn


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    parse: Callable[[str], Any] = str
    required: bool = False
    public: bool = False  # a buyer's customer sees it (statement, story): no generic synonym


# Headers that name an internal column in any kind of sheet: never routed by a synonym into a
# field a customer sees (``public``); a label that says so ("Story") or a mapping file may.
GENERIC_HEADERS = frozenset({
    "notes", "note", "comments", "comment", "remarks", "remark", "observaciones", "observacion",
    "observacoes", "observations", "obs", "internal notes", "internal note", "memo", "info",
    "details", "description", "descripcion", "descricao", "text", "other", "misc", "notas",
    "comentarios", "remarks notes",
})


def fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    plain = plain.replace("#", " number ").replace("%", " pct ")
    plain = re.sub(r"(?:\bus)?\$", " usd ", plain)  # "FOB $/lb", "FOB (US$/lb)" = USD/lb
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def enum_words(enum: type) -> str:
    """What an enum's values are called in a message: LotStatus → "lot status"."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", enum.__name__).lower()


def _enum(enum: type, synonyms: dict[str, str] | None = None, what: str = "") -> Callable:
    table = {fold(e.value): e for e in enum}
    table.update({fold(e.name): e for e in enum})
    for k, v in (synonyms or {}).items():
        table[fold(k)] = enum(v)

    def parse(text: str) -> Any:
        value = table.get(fold(text))
        if value is None:
            choices = ", ".join(e.value for e in enum)
            name = what or enum_words(enum)
            article = "an" if name[:1] in "aeiou" else "a"
            raise ValueError(f"{text.strip()!r} is not {article} {name} "
                             f"({choices})")
        return value

    return parse


def _enum_list(one: Callable) -> Callable:
    def parse(text: str) -> tuple:
        return tuple(dict.fromkeys(one(t) for t in re.split(r"\s*[;,|]\s*", text) if t.strip()))

    return parse


def parse_text(text: str) -> str:
    return text.strip()


parse_kind = _enum(ProducerKind, {
    "finca": "farm", "farmer": "farm", "smallholder": "farm", "hacienda": "estate",
    "fazenda": "estate", "coop": "cooperative", "co-op": "cooperative",
    "association": "cooperative", "asociacion": "cooperative", "cooperativa": "cooperative",
    "washing station": "washing_station", "station": "washing_station", "cws": "washing_station",
    "mill": "washing_station", "wet mill": "washing_station", "beneficio": "washing_station",
}, "producer kind")
parse_process = _enum(Process, {
    "fully washed": "washed", "lavado": "washed", "wet": "washed", "wet process": "washed",
    "washed process": "washed", "washed wet": "washed",
    "semi washed semi pulped": "honey", "pulped natural honey": "honey",
    "lavado humedo": "washed", "natural seco": "natural", "cereja descascado": "honey",
    "cd": "honey", "despolpado": "honey", "lavado semi": "honey", "semi lavado": "honey",
    "natural cereja": "natural", "via seca": "natural", "via umida": "washed",
    "dry": "natural", "dry process": "natural", "sun dried": "natural",
    "natural process": "natural",
    "unwashed": "natural", "natural sun dried": "natural", "natural dry": "natural",
    "pulped natural": "honey", "semi dry": "honey", "miel": "honey", "yellow honey": "honey",
    "red honey": "honey", "black honey": "honey", "white honey": "honey",
    "anaerobic natural": "anaerobic", "anaerobic washed": "anaerobic", "carbonic maceration":
    "anaerobic", "fermented": "anaerobic",
    "wet hulled": "wet-hulled", "giling basah": "wet-hulled", "semi washed wet hulled":
    "wet-hulled",
}, "process")
_process_codes = parse_process


def parse_process(text: str) -> Process:
    """A process label from ``resources/vocab/process.json`` (grading exports, EN/ES/PT)."""
    from . import vocab

    vocab.refuse_ambiguous("process", text)
    found = vocab.lookup("process", text)
    if found is not None:
        return Process(found)
    try:
        return _process_codes(text)
    except ValueError:
        raise vocab.unknown("process", text, vocab.table("process")) from None


def _scheme(text: str) -> Scheme:
    from . import vocab

    found = vocab.lookup("certification", text)
    if found is None:
        raise vocab.unknown("certification", text, vocab.table("certification"))
    return Scheme(found)


parse_species = _enum(Species, {"coffea arabica": "arabica", "canephora": "robusta",
                                "coffea canephora": "robusta", "conilon": "robusta"})
parse_status = _enum(LotStatus, {
    "offered": "offer", "sample": "offer", "signed": "contracted", "contract": "contracted",
    "in transit": "shipped", "afloat": "shipped", "delivered": "arrived", "landed": "arrived",
    "in warehouse": "arrived", "spot": "arrived", "canceled": "cancelled",
    # Spanish and Portuguese, as exporters' and buyers' sheets write them
    "oferta": "offer", "ofrecido": "offer", "ofertado": "offer", "muestra": "offer",
    "amostra": "offer", "contratado": "contracted", "contratada": "contracted",
    "firmado": "contracted", "embarcado": "shipped", "embarcada": "shipped",
    "en transito": "shipped", "em transito": "shipped", "despachado": "shipped",
    "llegado": "arrived", "recibido": "arrived", "en bodega": "arrived", "entregado": "arrived",
    "entregue": "arrived", "recebido": "arrived", "cancelado": "cancelled",
    "cancelada": "cancelled", "anulado": "cancelled",
})
parse_contract = _enum(ContractType, {"fixed price": "fixed", "outright": "fixed",
                                      "price to be fixed": "ptbf", "ptf": "ptbf",
                                      "differential": "ptbf",
                                      "fijo": "fixed", "precio fijo": "fixed", "fixo": "fixed",
                                      "preco fixo": "fixed", "por fijar": "ptbf",
                                      "a fijar": "ptbf", "precio por fijar": "ptbf",
                                      "a fixar": "ptbf", "preco a fixar": "ptbf"},
                       "contract type")
parse_role = _enum(Role, {"president": "co-op president", "farmer": "owner",
                          "producer": "owner", "contact": "exporter contact",
                          "exporter": "exporter contact", "director": "manager",
                          "administrator": "manager", "administrador": "manager"})
parse_mode = _enum(VisitMode, {"in person": "in_person", "visit": "in_person",
                               "farm visit": "in_person", "onsite": "in_person",
                               "phone": "call", "phone call": "call", "zoom": "video",
                               "video call": "video", "whatsapp": "message",
                               "email": "message"}, "visit mode")
parse_purposes = _enum_list(_enum(Purpose, None, "purpose"))
parse_scopes = _enum_list(_enum(ConsentScope, {"named": "name", "picture": "photo",
                                               "pictured": "photo", "quoted": "quote"},
                                "consent scope"))
parse_schemes = _enum_list(_scheme)
parse_basis = _enum(Basis, {"parchment": "parchment", "pergamino": "parchment",
                            "dry parchment": "parchment", "pergamino seco": "parchment",
                            "dried cherry": "dry_cherry", "natural": "dry_cherry",
                            "fresh cherry": "cherry", "cereza": "cherry", "cherries": "cherry",
                            "oro": "green", "excelso": "green"})
_topic = _enum(Topic, {t.label: t.value for t in Topic}, "observation topic")
_evidence = _enum(Evidence, {"not checked": "not_checked", "seen": "observed", "heard":
                             "reported", "told": "reported"}, "evidence")
_outcome = _enum(Outcome, {"no issue": "no_issue", "no issue seen": "no_issue", "ok": "no_issue",
                           "issue found": "issue", "issue": "issue"}, "outcome")


def _split_outside_brackets(text: str) -> list[str]:
    parts, depth, cur, quoted = [], 0, [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if ch == ";" and depth == 0 and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def parse_observations(text: str) -> tuple[tuple[Topic, Evidence, str, Outcome | None], ...]:
    """ "shade: observed, no issue; water use: reported (no meter; said 2 m³)" → topics,
    evidence, notes and the outcome of a topic observed in person ("no issue" or "issue found";
    none given: not recorded).

    A note is everything between the first "(" after the evidence and the last ")" of the part;
    ";" inside the brackets belongs to the note. A note in double quotes (as exports write one
    whose brackets do not pair up) is read whole, a quote inside doubled.
    """
    out = []
    for part in _split_outside_brackets(text):
        m = re.match(r"([^:()]+):\s*([^()]*?)\s*(?:\((.*)\))?\s*$", part, re.DOTALL)
        if not m:
            raise ValueError(f"{part!r}: write observations as 'topic: observed|reported'")
        topic, how, note = m.group(1), m.group(2), (m.group(3) or "").strip()
        if len(note) >= 2 and note[0] == note[-1] == '"':
            note = note[1:-1].replace('""', '"')
        evidence_text, _, outcome_text = how.partition(",")
        evidence = _evidence(evidence_text.strip())
        outcome = _outcome(outcome_text.strip()) if outcome_text.strip() else None
        if outcome is not None and evidence is not Evidence.OBSERVED:
            raise ValueError(f"{part!r}: only a topic observed in person has an outcome")
        out.append((_topic(topic), evidence, note.strip(), outcome))
    return tuple(out)


def parse_fixations(text: str) -> tuple[tuple[Any, Any, Any], ...]:
    """ "2025-03-14 380.00 700; 2025-04-02 392.5" → (date, C cents/lb, volume kg or None)."""
    out = []
    for part in re.split(r"\s*;\s*", text.strip()):
        if not part:
            continue
        bits = part.replace("@", " ").split()
        if len(bits) not in (2, 3):
            raise ValueError(f"{part!r}: write a fixation as 'date C-cents [kg]'")
        on = P.parse_date(bits[0])
        cents = P.parse_cents(bits[1])
        vol = P.parse_mass_kg(bits[2]) if len(bits) == 3 else None
        out.append((on, cents, vol))
    return tuple(out)


F = FieldSpec
SPANISH_PORTUGUESE_PRODUCER = (
    "Productor", "Productora", "Nombre del Productor", "Caficultor", "Finca o Productor",
    "Produtor", "Nome do Produtor", "Cafeicultor", "Fazenda", "Sítio", "Cooperativa",
    "Proveedor", "Fornecedor", "Estación de Lavado")
"""How a Spanish or Portuguese sheet heads its producer (or farm) column."""
_PRODUCER_REF = (
    F("producer", "Producer", ("Producer Name", "Farm Name", "Farm", "Finca", "Estate",
                               "Cooperative", "Co-op", "Organisation", "Organization",
                               "Supplier", "Washing Station", "ProducerName", "Grower",
                               *SPANISH_PORTUGUESE_PRODUCER), parse_text, True),
    F("country", "Country", ("Country of Origin", "Origin", "Origin Country", "Pais", "País",
                             "ProducerCountry", "Producer Country", "País de Origen",
                             "País de Origem", "Origen", "Origem"), P.parse_country, True),
)
_UUID = F("uuid", "UUID", ("Record ID",), parse_text)
_ALT_UNIT = F("altitude_unit", "Altitude unit", ("Unit of Measurement", "Elevation Unit",
                                                 "Altitude Units"), parse_text)
_WEIGHT_UNIT = F("weight_unit", "Weight unit", ("Mass Unit", "Weight Units", "Unit of Weight"),
                 parse_text)
_NEW_PRODUCER = (  # used only for a producer the import creates
    F("producer_region", "Producer region", ("Region", "Department", "Departamento", "State",
                                             "Province", "Región", "Região", "Provincia"),
      parse_text),
    F("producer_altitude", "Producer altitude", ("Altitude", "Altitude (masl)", "Elevation",
                                                 "Altitud", "Altura", "Masl", "msnm",
                                                 "Altitud (msnm)"), P.parse_altitude),
)
# the kind of a producer the import creates (else it is created as a farm, with a warning)
_PRODUCER_KIND = F("producer_kind", "Producer type", ("Producer Kind", "Type of Producer",
                                                      "Supplier Type", "Farm Type"), parse_kind)

KINDS: dict[str, tuple[FieldSpec, ...]] = {
    "producers": (
        F("name", "Producer", ("Producer Name", "Farm Name", "Farm", "Finca", "Estate", "Name",
                               "Cooperative", "Organisation", "Organization", "Washing Station",
                               "ProducerName", "Grower", *SPANISH_PORTUGUESE_PRODUCER),
          parse_text, True),
        F("kind", "Type", ("Kind", "Producer Type", "Producer Kind", "Tipo",
                           "Tipo de Productor", "Tipo de Produtor"), parse_kind),
        _PRODUCER_REF[1],
        F("region", "Region", ("Department", "Departamento", "State", "Province", "Estado",
                               "Zone", "Area / Region", "Región", "Região", "Provincia", "Zona"),
          parse_text),
        F("municipality", "Municipality", ("Town", "District", "Village", "Municipio",
                                           "Woreda", "Vereda", "Sector", "Município",
                                           "Cidade", "Ciudad", "Distrito", "Kebele"),
          parse_text),
        F("altitude", "Altitude", ("Altitude (masl)", "Elevation", "Altitud", "Altura",
                                   "Altitude Range", "Masl", "Height", "msnm",
                                   "Altitud (msnm)"), P.parse_altitude),
        F("altitude_min_m", "Altitude min (masl)", ("Min Altitude", "Lowest Altitude",
                                                    "Altitude From"), P.parse_int),
        F("altitude_max_m", "Altitude max (masl)", ("Max Altitude", "Highest Altitude",
                                                    "Altitude To"), P.parse_int),
        _ALT_UNIT,
        F("total_area_ha", "Total area (ha)", ("Farm Size", "Farm Area", "Total Area",
                                               "Size", "Hectares", "Área Total", "Hectáreas",
                                               "Tamaño de la Finca", "Área da Fazenda"),
          P.parse_area_ha),
        F("coffee_area_ha", "Coffee area (ha)", ("Area under Coffee", "Coffee Area",
                                                 "Area in Coffee", "Área en Café",
                                                 "Área de Café", "Área em Café"),
          P.parse_area_ha),
        F("varieties", "Varieties", ("Variety", "Varietals", "Varietal", "Cultivars",
                                     "Cultivar", "Variedades", "Variedad", "Variedade"),
          P.parse_list),
        F("processes", "Processes", ("Processing Methods", "Processing Method", "Process",
                                     "Processing", "Proceso", "Procesos", "Processo",
                                     "Processos"), P.parse_list),
        F("harvest_months", "Harvest months", ("Harvest Season", "Harvest Period",
                                               "Harvest", "Meses de Cosecha",
                                               "Época de Cosecha", "Época de Colheita"),
          P.parse_months),
        F("parent", "Member of", ("Parent", "Member of Cooperative", "Co-op Member of",
                                  "Belongs to", "Miembro de", "Membro de"), parse_text),
        F("notes", "Notes", ("Comments", "Remarks", "Note", "Observaciones", "Notas",
                             "Comentarios", "Observações"), parse_text),
        _UUID,
    ),
    "people": (
        *_PRODUCER_REF,
        F("name", "Name", ("Person", "Person Name", "Contact", "Contact Name", "Full Name",
                           "Nombre", "Nombre Completo", "Nome", "Nome Completo", "Contacto",
                           "Contato"), parse_text, True),
        F("role", "Role", ("Position", "Title", "Cargo", "Rol", "Puesto", "Função"),
          parse_role),
        F("phone", "Phone", ("Telephone", "Mobile", "WhatsApp", "Tel", "Telefono", "Celular",
                             "Telefone"), parse_text),
        F("email", "Email", ("E-mail", "Mail", "Correo", "Correo Electrónico"), parse_text),
        F("consent_given_on", "Consent given on", ("Consent Date", "Consent"), P.parse_date),
        F("consent_scope", "Consent scope", ("Consent to",), parse_scopes),
        F("consent_withdrawn_on", "Consent withdrawn on", ("Withdrawn",), P.parse_date),
        F("consent_note", "Consent note", (), parse_text),
        F("quote", "Quote", ("Quotation", "Testimonial", "Producer Quote"), parse_text,
          public=True),
        F("pseudonymised", "Pseudonymised", (), P.parse_bool),
        _UUID,
        _PRODUCER_KIND,
    ),
    "plots": (
        *_PRODUCER_REF,
        F("name", "Plot", ("Plot Name", "Lote", "Parcela", "Field", "Block", "Production Place",
                           "ProductionPlace"), parse_text, True),
        F("area_ha", "Area (ha)", ("Area", "Plot Size", "Size", "Hectares", "Plot Area"),
          P.parse_area_ha),
        F("latitude", "Latitude", ("Lat", "Y", "GPS Latitude", "Latitud"), P.parse_decimal),
        F("longitude", "Longitude", ("Lon", "Long", "Lng", "X", "GPS Longitude", "Longitud"),
          P.parse_decimal),
        F("geometry", "Geometry (GeoJSON)", ("Geometry", "GeoJSON", "Polygon"), parse_text),
        F("altitude_m", "Altitude (masl)", ("Altitude", "Elevation", "Altura"), P.parse_altitude),
        _ALT_UNIT,
        F("varieties", "Varieties", ("Variety", "Varietal", "Cultivar"), P.parse_list),
        F("shade_pct", "Shade (%)", ("Shade", "Shade Cover", "Sombra"), P.parse_percent),
        F("planted_on", "Planted on", ("Planted", "Planting Date", "Date Planted"),
          P.parse_date),
        F("forest_after_2020", "Forest after 2020", ("Forest after 31 Dec 2020",
                                                     "Deforested", "Was Forest"),
          P.parse_bool),
        _UUID,
        _PRODUCER_KIND,
    ),
    "lots": (
        F("code", "Lot code", ("Lot", "Lot Number", "Lot No", "Lot #", "Lot ID", "ICO Number",
                               "ICO Mark", "Code", "Reference", "Contract Number", "Lote",
                               "Lote No", "Codigo", "Codigo de Lote", "Numero de Lote",
                               "Código do Lote", "Número do Lote", "Nº Lote", "Lote Nº"),
          parse_text, True),
        F("name", "Lot name", ("Name", "Coffee", "Coffee Name", "Description", "Marks"),
          parse_text, public=True),  # printed on the statement
        *_PRODUCER_REF,
        F("harvest", "Harvest", ("Harvest Year", "Crop Year", "Crop", "Cosecha", "Safra", "Year",
                                 "Season", "Año de Cosecha", "Colheita", "Ano Safra", "Año"),
          P.parse_harvest_year, True),
        F("weight_kg", "Weight (kg)", ("Weight", "Net Weight", "Total Weight", "Total kg",
                                       "Quantity", "Volume", "Kilos", "Kg", "Qty", "Qty kg",
                                       "Quantity kg", "Net Weight kg", "Net kg", "Peso",
                                       "Peso Neto", "Peso Total", "Kilos Netos", "Peso Liquido"),
          P.parse_mass_kg),
        F("bags", "Bags", ("Number of Bags", "No of Bags", "Bag Count", "Sacos", "Sacas",
                           "Units", "Number Bags", "Bolsas", "Número de Sacos", "Nº Sacos",
                           "Cantidad de Sacos", "Número de Sacas", "Quantidade de Sacas"),
          P.parse_int),
        F("bag_kg", "Bag size (kg)", ("Bag Weight", "Bag Size", "Bag", "Kg per Bag",
                                      "Packaging", "Peso Saco", "Peso por Saco", "Peso del Saco",
                                      "Kg por Saco", "Peso Saca", "Peso por Saca"),
          P.parse_mass_kg),
        F("variety", "Variety", ("Varietal", "Varieties", "Cultivar", "Variedad", "Variedade"),
          parse_text),
        F("process", "Process", ("Processing Method", "Processing", "Process Method",
                                 "Proceso", "Preparation", "Processo", "Tipo de Proceso",
                                 "Método de Proceso", "Beneficio"), parse_process),
        F("species", "Species", ("Especie", "Espécie"), parse_species),
        F("quality_score", "Cup score", ("Total Cup Points", "Cupping Score", "SCA Score",
                                         "Score", "Q Score", "Points", "Puntaje",
                                         "Final Score", "Puntaje de Taza", "Puntuación",
                                         "Puntuación SCA", "Pontuação", "Pontuação SCA",
                                         "Nota SCA", "Catación"), P.parse_decimal),
        F("defects_cat1", "Category 1 defects", ("Primary Defects", "Cat 1 Defects",
                                                 "Cat 1"), P.parse_int),
        F("defects_cat2", "Category 2 defects", ("Secondary Defects", "Cat 2 Defects",
                                                 "Cat 2"), P.parse_int),
        F("moisture_pct", "Moisture (%)", ("Moisture", "Humidity", "Humedad", "Moisture Content",
                                           "Umidade"), P.parse_percent),
        F("status", "Status", ("Lot Status", "Stage", "Estado del Lote", "Situação"),
          parse_status),
        F("contract_type", "Contract type", ("Contract", "Price Type", "Pricing",
                                             "Tipo de Contrato", "Tipo de Precio"),
          parse_contract),
        F("contract_date", "Contract date", ("Date of Contract", "Purchase Date",
                                             "Contract Signed", "Date", "Fecha",
                                             "Fecha de Contrato", "Fecha de Compra",
                                             "Data do Contrato"), P.parse_date),
        F("futures_month", "Futures month", ("Futures", "KC Month", "Position"), parse_text),
        F("c_cents_lb", "C price (cents/lb)", ("C Price", "NY C", "C Market", "KC", "Precio C",
                                               "Precio de Bolsa", "Precio Bolsa", "Bolsa NY",
                                               "Preço C", "Preço Bolsa"), P.parse_cents),
        F("c_estimated", "C estimated", ("C from reference series",), P.parse_bool),
        F("differential_cents_lb", "Differential (cents/lb)", ("Differential", "Diff",
                                                               "Premium over C", "Diferencial"),
          P.parse_cents),
        F("fob_usd_lb", "FOB (USD/lb)", ("FOB", "FOB Price", "FOB USD/lb", "Price FOB",
                                         "Price per lb", "Price USD/lb", "FOB per lb",
                                         "FOB price USD/lb", "FOB USD per lb", "Precio FOB",
                                         "Preço FOB"),
          lambda t: P.parse_price(t, per="lb")),
        F("fob_usd_kg", "FOB (USD/kg)", ("FOB per kg", "Price per kg", "Price USD/kg",
                                         "FOB USD/kg", "FOB price USD/kg", "FOB USD per kg"),
          lambda t: P.parse_price(t, per="kg")),
        F("fixations", "Fixations", ("Price Fixations", "Fixed at"), parse_fixations),
        F("premiums", "Premiums", ("Premiums Paid", "Lot Premiums"), L.parse_premiums),
        F("costs", "Cost legs", ("Costs", "Cost Legs (USD/lb)", "Intermediary Costs"),
          L.parse_costs),
        F("fg_amount", "Farm-gate price", ("Farm Gate Price", "Farmgate Price",
                                           "Price paid to Producer", "Precio al productor",
                                           "Precio en Finca", "Precio Pagado al Productor",
                                           "Preço ao Produtor", "Preço Pago ao Produtor"),
          P.parse_decimal),
        F("fg_currency", "Farm-gate currency", ("Farm Gate Currency", "Local Currency",
                                                "Moneda", "Moneda Local", "Moeda"),
          lambda t: t.strip().upper()),
        F("fg_unit", "Farm-gate unit", ("Farm Gate Unit", "Local Unit", "Per"), parse_text),
        F("fg_unit_kg", "Farm-gate unit (kg)", ("Farm Gate Unit kg", "Unit kg"), P.parse_mass_kg),
        F("fg_basis", "Farm-gate basis", ("Farm Gate Basis", "Basis"), parse_basis),
        F("fg_kg_per_kg_green", "Farm-gate kg per kg green", ("Outturn", "Conversion Factor",
                                                             "kg per kg green"),
          parse_outturn),
        F("fg_fr", "Factor de rendimiento (FR)", ("Factor de Rendimiento", "FR", "Yield Factor",
                                                  "Rendimiento"), parse_fr),
        F("fg_fx", "Exchange rate (local per USD)", ("Exchange Rate", "FX", "FX Rate", "TRM",
                                                     "Tasa de Cambio", "Tipo de Cambio",
                                                     "Taxa de Câmbio"), P.parse_decimal),
        F("fg_fx_date", "Exchange rate date", ("FX Date",), P.parse_date),
        F("fg_fx_source", "Exchange rate source", ("FX Source",), parse_text),
        F("exporter", "Exporter", ("Exporter Name", "Exportador", "Exportadora"), parse_text),
        F("importer", "Importer", ("Importer Name", "Importador", "Importadora"), parse_text),
        F("organic", "Organic", ("Organic Certified", "Is Organic", "Orgánico", "Orgânico"),
          P.parse_bool),
        F("certifications", "Certifications", ("Certification", "Certificates", "Certified",
                                               "Certificación", "Certificaciones",
                                               "Certificação", "Certificações", "Sellos"),
          parse_schemes),
        F("story", "Story", ("Public Story", "Lot Story", "Lot's Story", "Customer Story",
                             "Coffee Story", "Story Text"), parse_text, public=True),
        F("plots", "Plots", ("Plot Names", "Lot Plots"), L.parse_plot_names),
        F("dds_reference", "DDS reference", ("DDS Reference Number", "DDS Number", "DDS"),
          parse_text),
        F("dds_verification", "DDS verification number", ("DDS Verification",
                                                           "Verification Number"), parse_text),
        F("dds_submitted_on", "DDS submitted on", ("DDS Date", "DDS Submitted",
                                                   "DDS Submission Date"), P.parse_date),
        F("dds_status", "DDS status", (), L.parse_dds_status),
        F("upstream_dds", "Upstream DDS", ("Upstream DDS References", "Upstream References"),
          L.parse_upstream),
        _UUID,
        *_NEW_PRODUCER,
        _PRODUCER_KIND,
        _ALT_UNIT,
        _WEIGHT_UNIT,
    ),
    "visits": (
        *_PRODUCER_REF,
        F("date", "Date", ("Visit Date", "Date of Visit", "Fecha", "When", "Fecha de Visita",
                           "Data da Visita"), P.parse_date, True),
        # required: in person or remote decides the checklist's visit and labour items, so it
        # is never assumed (a column, or a value set for every row in the import dialog)
        F("mode", "Mode", ("Visit Type", "Type", "Contact Type", "How", "Tipo de Visita",
                           "Modo"), parse_mode, True),
        F("participants", "Participants", ("Who", "Attendees", "People", "Present",
                                           "Participantes"), P.parse_list),
        F("purposes", "Purposes", ("Purpose", "Reason", "Objective", "Propósito", "Objetivo",
                                   "Motivo"), parse_purposes),
        F("observations", "Observations", ("Structured Observations",), parse_observations),
        F("notes", "Notes", ("Visit Notes", "Comments", "Remarks", "Summary", "Observaciones",
                             "Notas", "Resumen", "Comentarios"), parse_text),
        F("follow_ups", "Follow-ups", ("Follow ups", "Followups", "Actions", "To do",
                                       "Next Steps", "Seguimiento", "Próximos Pasos",
                                       "Próximos Passos", "Pendientes"), L.parse_follow_ups),
        _UUID,
        _PRODUCER_KIND,
    ),
}

IDENTITY = {
    "producers": "name + country",
    "people": "producer + name",
    "plots": "producer + plot name",
    "lots": "lot code",
    "visits": "producer + date + mode",
}


def _names(spec: FieldSpec) -> list[str]:
    names = [fold(spec.label), fold(spec.key.replace("_", " ")),
             *(fold(s) for s in spec.synonyms)]
    if spec.public:  # only names that say so, never a generic internal column's
        names = [n for n in names if n not in GENERIC_HEADERS]
    return names


def header_index(kind: str) -> dict[str, str]:
    """Folded header text → field key (labels win over synonyms, earlier fields over later)."""
    index: dict[str, str] = {}
    for spec in KINDS[kind]:
        index.setdefault(fold(spec.label), spec.key)
    for spec in KINDS[kind]:
        for name in _names(spec):
            index.setdefault(name, spec.key)
    return index


BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")
"""A header's part in brackets ("Weight (lb)"): left out to match the field, read as its unit."""


def match_header(kind: str, header: str, index: dict[str, str] | None = None) -> str | None:
    """The field a header means, if any: exact folded match, then without a unit in brackets."""
    index = index or header_index(kind)
    h = fold(header)
    if not h:
        return None
    if h in index:
        return index[h]
    bare = fold(BRACKETED.sub(" ", header))
    return index.get(bare)


def auto_mapping(kind: str, headers: list[str]) -> dict[int, str]:
    """Column index → field key for the headers that match, each field used once (leftmost)."""
    index = header_index(kind)
    mapping: dict[int, str] = {}
    used: set[str] = set()
    for i, h in enumerate(headers):
        key = match_header(kind, h, index)
        if key and key not in used:
            mapping[i] = key
            used.add(key)
    return mapping


def header_score(kind: str) -> Callable[[list[str]], int]:
    index = header_index(kind)

    def score(cells: list[str]) -> int:
        return len({k for c in cells if (k := match_header(kind, c, index))})

    return score


def spec(kind: str, key: str) -> FieldSpec:
    return next(s for s in KINDS[kind] if s.key == key)
