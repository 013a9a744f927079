"""Statement templates: TOML files in ``reports/`` (see ``reports/README.md`` for every field).

A template decides which sections appear and in what order, their headings and wording, the
roaster's name, logo, link and colours, the paper size and the language. Anything a template
leaves out falls back to the English default, so a copy can be as short as the few lines it
changes. Plain Python (``tomllib``): loading a template imports no reportlab.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..resources import reports_path

SECTIONS = (
    "summary", "coffee", "relationship", "price", "money", "history", "visits",
    "certifications", "projects", "checklist", "link", "methodology",
)
PAPERS = ("A4", "Letter")
_HEX = re.compile(r"#[0-9a-fA-F]{6}")

DEFAULT_COLOURS = {
    "ink": "#2B211C",  # body text
    "muted": "#7A6D64",  # labels, captions
    "primary": "#4A2C1D",  # headings, title band
    "accent": "#B5652B",  # figures, highlights
    "producer": "#3F7D4E",  # the producer's share in charts
    "exporter": "#D9A441",  # exporter & processing
    "importer": "#8C9BAB",  # importer & shipping
    "premium": "#B5652B",  # premium paid on top
    "c_price": "#9C9C9C",  # the C price line
    "rule": "#E4DCD3",  # thin lines, table rules
    "band": "#F6F1EB",  # light background of the key figures
}


@dataclass(frozen=True)
class Template:
    name: str
    path: Path | None
    language: str = "en"
    paper: str = "A4"
    sections: tuple[str, ...] = SECTIONS
    roaster: str = ""  # "" when the template still names the shipped example roaster
    logo: Path | None = None
    link: str = ""  # may contain {lot_code} and {harvest}; "" for the shipped example link
    example: bool = False  # the shipped example roaster name or link, left out of statements
    number_style: str = "en"  # "en": 1,234.56 — "es"/"de": 1.234,56
    coordinate_decimals: int = 2
    max_visits: int = 2
    colours: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_COLOURS))
    headings: dict[str, str] = field(default_factory=dict)
    intros: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    terms: dict[str, str] = field(default_factory=dict)
    checklist: dict[str, str] = field(default_factory=dict)

    def t(self, key: str, **values: Any) -> str:
        """A wording of the template (``[text]``), English default when absent."""
        raw = self.text.get(key, DEFAULT_TEXT.get(key, key))
        if not values:
            return raw
        try:
            return raw.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            names = ", ".join("{" + k + "}" for k in values)
            raise UserError(f"template {self.name}: text.{key} may use {names} only "
                            f"(braces must be paired): {raw!r}") from exc

    def term(self, value: str, fallback: str | None = None) -> str:
        """A recorded term (process, role, topic, scheme…) in the template's language."""
        return self.terms.get(value, DEFAULT_TERMS.get(value, fallback or value))

    def heading(self, section: str) -> str:
        return self.headings.get(section, DEFAULT_HEADINGS[section])

    def redacted_person(self, role: str) -> str:
        """What stands in free text for a person who may not be named: ``[text]
        redacted_<role>`` (e.g. ``redacted_co_op_president``), else ``redacted_person`` with
        the role's term ("the owner"); ``redacted_role_not_recorded`` ("the person") for a role
        not recorded (``""``)."""
        if not role:
            return self.t("redacted_role_not_recorded")
        own = self.text.get("redacted_" + re.sub(r"[^a-z0-9]+", "_", role.lower()))
        return own if own is not None else self.t("redacted_person", role=self.term(role))

    def redacted_producer(self, kind: str, label: str) -> str:
        """What stands in free text for a producer name that may not appear ("the farm")."""
        return self.t("redacted_producer", kind=self.term(kind, label))

    def intro(self, section: str) -> str:
        return self.intros.get(section, DEFAULT_INTROS.get(section, ""))

    def question(self, key: str, fallback: str) -> str:
        return self.checklist.get(key, fallback)

    def problems(self) -> list[str]:
        """What this template leaves out or cannot find (shown with the preflight)."""
        items = []
        if not self.roaster.strip() and not self.example:
            items.append(f"template {self.name}: no roaster name ([roaster] name)")
        if self.logo is not None and not self.logo.is_file():
            items.append(f"template {self.name}: logo {self.logo} not found; no logo is shown")
        if "link" in self.sections and not self.link and not self.example:
            items.append(f"template {self.name}: no link ([roaster] link); the QR code is left out")
        if self.example:
            items.append(f"template {self.name}: still the shipped example roaster name or link, "
                         "left out of the statement (no roaster name, no QR code); copy the "
                         "template and set [roaster] name and link")
        return items

    def link_for(self, lot_code: str, harvest: int) -> str:
        from urllib.parse import quote

        if not self.link:
            return ""
        return self.link.replace("{lot_code}", quote(lot_code)).replace(
            "{harvest}", str(harvest))


def available_templates() -> list[str]:
    """Names (file stems) of the templates shipped in ``reports/``."""
    return sorted(p.stem for p in reports_path().glob("*.toml"))


def load_template(name_or_path: str | Path | None = None) -> Template:
    """Load ``reports/<name>.toml`` or a TOML file path; ``None`` means ``default-en``."""
    if name_or_path is None:
        name_or_path = "default-en"
    path = Path(name_or_path)
    if path.suffix != ".toml" or not path.exists():
        try:
            path = reports_path(f"{name_or_path}.toml")
        except FileNotFoundError:
            names = ", ".join(available_templates())
            raise UserError(f"no template {name_or_path!r} (shipped: {names})") from None
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UserError(f"template {path.name} is not valid TOML: {exc}") from exc
    return parse_template(raw, path)


def parse_template(raw: dict[str, Any], path: Path | None = None) -> Template:
    """Check and turn a template's TOML table into a :class:`Template` (clear errors)."""
    where = path.name if path else "template"

    def bad(msg: str) -> UserError:
        return UserError(f"{where}: {msg}")

    sections = tuple(raw.get("sections", SECTIONS))
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise bad(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    paper = raw.get("paper", "A4")
    if paper not in PAPERS:
        raise bad(f"paper must be A4 or Letter, not {paper!r}")
    roaster = raw.get("roaster", {})
    colours = dict(DEFAULT_COLOURS)
    for key, value in raw.get("colours", {}).items():
        if key not in DEFAULT_COLOURS:
            raise bad(f"unknown colour {key!r}; known: {', '.join(DEFAULT_COLOURS)}")
        if not isinstance(value, str) or not _HEX.fullmatch(value):
            raise bad(f"colour {key} must look like \"#4A2C1D\", not {value!r}")
        colours[key] = value
    logo = None
    if roaster.get("logo"):
        logo = Path(roaster["logo"])
        if not logo.is_absolute() and path is not None:
            logo = path.parent / logo
    decimals = raw.get("privacy", {}).get("coordinate_decimals", 2)
    if not isinstance(decimals, int) or not 0 <= decimals <= 3:
        raise bad("privacy.coordinate_decimals must be 0–3 (2 ≈ 1 km; more would locate a house)")
    number_style = raw.get("number_style", "en")
    if number_style not in ("en", "es", "de"):
        raise bad("number_style must be en, es or de")
    name, link = str(roaster.get("name", "")), str(roaster.get("link", ""))
    # the shipped example roaster is never printed as if it were the roaster (a customer's
    # statement said "YOUR ROASTERY" with a QR code to example.com): left out, and said
    example = name.strip() in PLACEHOLDER_ROASTERS or _example_link(link)
    return Template(
        name=raw.get("name", path.stem if path else "template"),
        path=path,
        language=raw.get("language", "en"),
        paper=paper,
        sections=sections,
        roaster="" if name.strip() in PLACEHOLDER_ROASTERS else name,
        logo=logo,
        link="" if _example_link(link) else link,
        example=example,
        number_style=number_style,
        coordinate_decimals=decimals,
        max_visits=int(raw.get("visits", {}).get("max", 2)),
        colours=colours,
        headings={str(k): str(v) for k, v in raw.get("headings", {}).items()},
        intros={str(k): str(v) for k, v in raw.get("intros", {}).items()},
        text={str(k): str(v) for k, v in raw.get("text", {}).items()},
        terms={str(k): str(v) for k, v in raw.get("terms", {}).items()},
        checklist={str(k): str(v) for k, v in raw.get("checklist", {}).items()},
    )


PLACEHOLDER_ROASTERS = ("Your Roastery", "Su Tostaduría")
"""The shipped templates' example roaster names (preflight asks to replace them)."""


def _example_link(link: str) -> bool:
    """The shipped templates' example link (example.com, which RFC 2606 keeps for examples)."""
    from urllib.parse import urlsplit

    host = (urlsplit(link).hostname or "").lower()
    return host == "example.com" or host.endswith(".example.com")

DEFAULT_HEADINGS = {
    "summary": "At a glance",
    "coffee": "The coffee",
    "relationship": "The relationship",
    "price": "The price we paid",
    "money": "Where the money went",
    "history": "Prices across harvests",
    "visits": "What we saw on our visits",
    "certifications": "Certifications",
    "projects": "What the premium funded",
    "checklist": "Transparency checklist",
    "link": "Read more",
    "methodology": "How these figures are made",
}

DEFAULT_INTROS = {
    "money": "Each pound of this green coffee was sold at the export port (FOB) for the price "
             "below. This is how that price was shared, as far as our records show.",
    "history": "What we paid this producer in each harvest we bought, against the "
               "coffee market's C price, in US dollars per pound of green coffee.",
    "checklist": "The five data points of the Transparency Pledge and eight questions we ask "
                 "ourselves. An unanswered question is shown, not hidden.",
}

DEFAULT_TEXT = {
    "title": "Impact statement",
    "not_recorded": "not recorded",
    "statement_date": "Statement of {date}",
    "page": "Page {n}",
    # summary
    "fob_paid": "Price paid (FOB)",
    "premium_over_c": "Premium over C",
    "premium_over_c_robusta": "Premium over London",
    "premium_over_c_unknown": "Premium over the market",
    "farm_gate_share": "Reached the producer",
    "transparency": "Transparency",
    "of_fob": "of the FOB price",
    "answered_of": "{answered} of {applicable} answered",
    "per_lb_green": "per lb of green coffee",
    # coffee
    "lot": "Lot",
    "producer": "Producer",
    "region": "Region",
    "country": "Country",
    "altitude": "Altitude",
    "variety": "Variety",
    "process": "Process",
    "harvest": "Harvest",
    "size": "Lot size",
    "quality": "Quality",
    "sca_points": "{score} points (SCA)",
    "plots": "Plots",
    "plots_of_producer": "The producer's plots (this lot's not recorded)",
    "location": "Location (rounded, ≈ 1 km)",
    "bags_of": "{bags} bags of {bag_kg} kg",
    "kg_green": "{kg} kg green",
    "area_ha": "{ha} ha",
    "shade": "{pct} % shade",
    # relationship
    "since": "Buying since",
    "harvests_bought": "Harvests bought",
    "in_a_row": "{n} in a row",
    "visits_in_person": "Visits in person",
    "last_visit": "Last visit in person",
    "remote_contacts": "Calls and messages",
    "commitments": "Multi-year commitments",
    "commitments_kept": "{kept} of {closed} finished commitments kept",
    "commitments_none": "none recorded",
    "in_person_none": "none recorded",
    "contacts_none": "none recorded",
    "commitment_open": "{n} in progress",
    "people": "People",
    "people_not_named": "Not named here: we name people only with their recorded consent.",
    "producer_anonymous": "a {kind} in {region}",
    "redacted_producer": "the {kind}",
    "redacted_person": "the {role}",
    "redacted_role_not_recorded": "the person",
    "producer_not_named": "The producer is not named here: we name people only with their "
                          "recorded consent.",
    # price
    "c_price": "Coffee market price (ICE “C”)",
    "c_fixed_on": "fixed on {date}",
    "c_not_fixed": "not fixed yet: price to be fixed",
    "c_recorded": "as recorded with the contract of {date} (no fixation recorded)",
    "c_unfixed_recorded": "not fixed yet: price to be fixed ({cents} US¢/lb recorded, no fixation)",
    "c_fixed_for": "for {kg} kg",
    "not_fixed_c": "C not fixed yet",
    "not_fixed_c_robusta": "London price not fixed yet",
    "not_fixed_c_unknown": "market price not fixed yet",
    "price_unfixed": "price of {kg} kg not fixed yet",
    "part_fixed": "{fixed} of {weight} kg fixed",
    "part_fixed_at": "{fixed} of {weight} kg fixed (at {fob})",
    "part_unfixed": "{kg} kg not fixed yet",
    "fob_as_recorded": "as recorded, without a fixation",
    "money_not_fixed": "Not recorded: the price of {kg} kg is not fixed yet, so the FOB price "
                       "is not known.",
    "money_no_fixation": "Not recorded: the price is not fixed yet (price to be fixed), so the "
                         "FOB price is not known.",
    "c_estimated": "estimated from the monthly C series at the contract date",
    "estimated": "estimated",
    "from_estimated_c": "from the estimated C price",
    "from_estimated_c_robusta": "from the estimated London price",
    "from_estimated_c_unknown": "from the estimated market price",
    "c_price_robusta": "Robusta market price (ICE London)",
    "c_price_unknown": "Coffee market price (ICE “C” or London)",
    "c_estimated_robusta": "{usd_t} USD/t from the monthly London series at the contract date",
    "futures_month": "futures month {month}",
    "differential": "differential {cents} US¢/lb",
    "fob": "Price paid at the export port (FOB)",
    "premium": "Premium over the C price",
    "premium_unknown": "Premium over the market price",
    "farm_gate": "Paid to the producer (farm gate)",
    "farm_gate_local": "{amount} {currency} per {unit} of {basis}",
    "exchange_rate": "at {fx} {currency}/USD",
    "outturn": "{factor} kg {basis} per kg green",
    "outturn_usual": "outturn not recorded: the usual {factor} kg {basis} per kg green",
    "farm_gate_share_row": "Farm gate as a share of FOB",
    "between": "Between farm gate and FOB",
    "between_note": "collection, milling, export, certification and margins",
    "fairtrade": "Fairtrade floor for this coffee (comparison)",
    "fairtrade_meets": "FOB is {diff} above it",
    "fairtrade_below": "FOB is {diff} below it",
    "fairtrade_meets_any": "the highest floor this coffee could have ({why}); FOB is {diff} "
                           "above it",
    "fairtrade_below_any": "the lowest floor this coffee could have ({why}); FOB is {diff} "
                           "below it",
    "fairtrade_unknown": "{why}: FOB lies between the floors this coffee could have",
    "why_species": "species not recorded",
    "why_process": "process not recorded",
    "why_species_process": "species and process not recorded",
    "why_organic": "organic status not recorded",
    "why_species_organic": "species and organic status not recorded",
    "why_process_organic": "process and organic status not recorded",
    "why_species_process_organic": "species, process and organic status not recorded",
    "fairtrade_needs_c": "depends on the C price at fixation, not recorded",
    "fairtrade_needs_c_robusta": "depends on the London price at fixation, not recorded",
    "fairtrade_needs_c_unknown": (
        "depends on the market price at fixation, not recorded (species not recorded)"),
    "fairtrade_below_at_least": (
        "FOB is at least {diff} below it (the C price at fixation is not recorded)"),
    "fairtrade_below_at_least_robusta": (
        "FOB is at least {diff} below it (the London price at fixation is not recorded)"),
    "fairtrade_below_at_least_unknown": (
        "FOB is at least {diff} below it (the market price at fixation is not recorded)"),
    "fairtrade_below_at_least_not_fixed": "FOB is at least {diff} below it ({why})",
    "fairtrade_at_least": "at least {floor}",
    "living_income": "Living-income reference price (farm gate)",
    "living_income_vs": "the farm-gate price is {pct} of it",
    "living_income_none": "no reference price recorded for this country",
    "lot_totals": "For the whole lot",
    "fob_value": "FOB value",
    "premium_value": "Premium over C",
    "premium_value_robusta": "Premium over London",
    "premium_value_unknown": "Premium over the market",
    "premium_robusta": "Premium over the London robusta price",
    "farm_gate_value": "Paid to the producer",
    "between_value": "Between farm gate and FOB",
    "premiums_on_top": "Premiums paid on top of FOB",
    "premiums_in_fob": "Premiums included in FOB",
    "unit_usd_lb": "USD per lb of green coffee",
    # money
    "seg_producer": "Producer (farm gate)",
    "seg_exporter": "Exporter & processing",
    "seg_importer": "Importer & shipping",
    "seg_premium": "Premium paid on top",
    "fob_line": "FOB {fob}",
    "money_missing": "Not recorded: without the farm-gate price we cannot show how the FOB "
                     "price was shared.",
    "importer_missing": "Importer and shipping costs not recorded.",
    "chain_title": "From farm gate to landed, USD per lb of green coffee (only what was "
                   "recorded)",
    "chain_farm_gate": "Farm gate",
    "chain_exporter_margin": "Remainder (margin and costs not recorded)",
    "chain_between_unsplit": "Between farm gate and FOB (not broken down)",
    "chain_fob": "FOB",
    "chain_landed": "Landed",
    # history
    "history_fob": "We paid (FOB)",
    "history_c": "C price",
    "history_c_robusta": "London robusta price",
    "history_c_unknown": "Market price (C or London)",
    "history_intro_robusta": "What we paid this producer in each harvest we bought, against "
                             "the London robusta market price, in US dollars per pound of "
                             "green coffee.",
    "history_intro_unknown": "What we paid this producer in each harvest we bought, against "
                             "the coffee market price (ICE C or London), in US dollars per "
                             "pound of green coffee.",
    "london_method": "For robusta the market price is ICE London robusta futures, quoted in US "
                     "dollars per metric tonne and converted to US dollars per lb "
                     "(1 t = 2,204.62 lb); robusta is never compared with the C price.",
    "history_farm_gate": "Farm gate",
    "history_axis": "USD per lb green",
    "history_missing": "Not recorded: no priced harvests yet.",
    "this_lot": "this lot",
    # visits
    "observed": "Checked in person",
    "outcome_no_issue": "no issue seen",
    "outcome_issue": "issue found",
    "outcome_not_recorded": "outcome not recorded",
    "reported": "Reported to us",
    "visits_none": "Not recorded: no in-person visit with observations.",
    "visit_more": "Earlier visits not shown: {n}.",
    # certifications
    "valid": "valid until {date}",
    "expired": "not valid on {date}",
    "certificate_no": "No. {number}",
    "certifications_none": "None recorded.",
    "certifications_older": "Earlier certificates not shown: {n}.",
    # projects
    "projects_none": "Not recorded: no project documented for this producer.",
    # checklist
    "answered": "answered",
    "not_answered": "not answered",
    "not_applicable": "not applicable",
    "checklist_score": "{answered} of {applicable} applicable questions answered",
    "pledge": "Pledge",
    # link
    "link_text": "Scan for the full records of this coffee",
    # methodology
    "methodology": (
        "Prices are in US dollars per pound (lb) of green coffee; 1 lb = 0.45359237 kg. "
        "The C price is the ICE coffee futures price quoted in US cents per lb at the date the "
        "price was fixed. FOB is the price at the export port. The farm-gate price is what the "
        "producer received, converted to green coffee with the outturn factor and to US "
        "dollars with the exchange rate shown. The Fairtrade floor is the higher of the "
        "Fairtrade minimum and the C price, plus the Fairtrade Premium (0.20 USD/lb) — shown "
        "for comparison, not as a claim of certification. Living-income reference prices are "
        "Fairtrade's. Figures are rounded only for display: dollars to cents, prices per lb to "
        "4 decimals, percentages to 0.1. “Not recorded” means we do not have the figure; we do "
        "not estimate it. Locations are rounded to about 1 km; people are named only with "
        "their consent."
    ),
    "lir_source": "Living-income reference: {source}.",
}

DEFAULT_TERMS: dict[str, str] = {
    "in_person": "in person",
    "ptbf": "price to be fixed",
    "fixed": "fixed price",
    "parchment": "dry parchment",
    "cherry": "fresh cherry",
    "dry_cherry": "dried cherry",
    "farm": "farm",
    "estate": "estate",
    "cooperative": "cooperative",
    "washing_station": "washing station",
    "producer": "producer",  # a producer whose kind is not recorded
}


def _topic_terms() -> dict[str, str]:
    from ..domain.model import TOPIC_LABELS

    return {t.value: label for t, label in TOPIC_LABELS.items()}


DEFAULT_TERMS.update(_topic_terms())
