"""Editors for the records that hang on a producer: people, plots, certifications,
commitments and projects."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ..domain import geo
from ..domain.harvest import harvest_name, parse_harvest
from ..domain.model import (
    Certification,
    Commitment,
    Consent,
    ConsentScope,
    Person,
    Plot,
    Project,
    ProjectCategory,
    Role,
    Scheme,
)
from ..domain.words import NOT_RECORDED
from ..errors import KNOWN_ERRORS
from .editor import EditorDialog
from .widgets import (
    DateEdit,
    FieldError,
    muted,
    parse_date,
    parse_decimal,
    parse_int,
    parse_list,
    text_of,
)


class EnumCombo(QComboBox):
    """A choice of enum members. (Qt turns str-based enum members into plain str, so the
    item data is the member's value and :meth:`current` turns it back.)"""

    def __init__(self, enum: type, current: Any = None,
                 labels: dict[Any, str] | None = None, not_recorded: bool = False,
                 choose: bool = False) -> None:
        super().__init__()
        self.enum = enum
        if not_recorded:  # an explicit choice, first: the fact is not known (current() is None)
            self.addItem(NOT_RECORDED[:1].upper() + NOT_RECORDED[1:], "")
        elif choose:  # a fact the record needs, never filled in for the user: "Choose…" first
            self.addItem(CHOOSE, "")
        for member in enum:  # type: ignore[attr-defined]
            text = (labels or {}).get(member) or str(getattr(member, "label", member.value))
            self.addItem(text[:1].upper() + text[1:], member.value)
        if current is not None:
            self.set_current(current)

    def current(self) -> Any:
        data = self.currentData()
        return self.enum(data) if data else None

    def set_current(self, member: Any) -> None:
        self.setCurrentIndex(max(0, self.findData("" if member is None else member.value)))


class YesNoCombo(QComboBox):
    """A yes/no fact that may be not recorded: "Not recorded" first (``None``), then the two
    answers in the caller's words ("Organic" / "Conventional"). (Qt item data holds text, not
    ``None`` or a bool.)"""

    def __init__(self, yes: str, no: str) -> None:
        super().__init__()
        self.addItem(NOT_RECORDED[:1].upper() + NOT_RECORDED[1:], "")
        self.addItem(yes, "yes")
        self.addItem(no, "no")

    def current(self) -> bool | None:
        data = self.currentData()
        return None if not data else data == "yes"

    def set_current(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[value])


CHOOSE = "Choose…"


def enum_combo(enum: type, current: Any = None) -> EnumCombo:
    return EnumCombo(enum, current)


def choice_combo(enum: type) -> EnumCombo:
    """A required choice that starts on "Choose…": the dialog never picks a role, a scheme or a
    category the user did not (:func:`chosen` refuses to save without one)."""
    return EnumCombo(enum, choose=True)


def chosen(combo: EnumCombo, field: str, label: str) -> Any:
    """The member chosen in a :func:`choice_combo`, or a :class:`FieldError` saying to choose."""
    member = combo.current()
    if member is None:
        raise FieldError(field, f"{label}: choose one")
    return member


def data_combo(items: list[tuple[str, Any]]) -> QComboBox:
    """A choice of (text, data) items that are not enum members (filters, modes)."""
    c = QComboBox()
    for label, data in items:
        c.addItem(label, data)
    return c


def set_data(combo: QComboBox, data: Any) -> None:
    """Select the item holding ``data`` (the first item when none does)."""
    combo.setCurrentIndex(max(combo.findData(data), 0))


class ProducerChoice(QComboBox):
    """Pick a producer (for records created outside a producer page)."""

    def __init__(self, ctx: Any) -> None:
        super().__init__()
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for pid, name, country in ctx.store.producer_choices():
            self.addItem(f"{name} ({country})", pid)
        self.setCurrentIndex(-1)

    def producer_id(self) -> int:
        pid = self.currentData()
        if pid is None or self.currentText() != self.itemText(self.currentIndex()):
            raise FieldError("producer", "Producer: choose a producer from the list")
        return int(pid)


class _ProducerRecordDialog(EditorDialog):
    """Records that belong to a producer: ``producer_id`` comes from the record, the caller,
    or a producer chooser."""

    def producer_field(self, form: QFormLayout) -> None:
        self.producer_box: ProducerChoice | None = None
        if self.record is None and self.extra.get("producer_id") is None:
            self.producer_box = ProducerChoice(self.ctx)
            self.add("producer", "Producer", self.producer_box)

    def producer_id(self) -> int:
        if self.record is not None:
            return int(self.record.producer_id)
        if self.producer_box is not None:
            return self.producer_box.producer_id()
        return int(self.extra["producer_id"])


# -- people ------------------------------------------------------------------------------------
class PersonDialog(_ProducerRecordDialog):
    title = "Person"

    def build(self, form: QFormLayout) -> None:
        self.producer_field(form)
        self.name = self.add("name", "Name", QLineEdit())
        self.role = self.add("role", "Role", EnumCombo(Role, not_recorded=True))
        self.phone = self.add("phone", "Phone", QLineEdit())
        self.email = self.add("email", "Email", QLineEdit())
        self.consent = self.add("consent", "Consent", QCheckBox(
            "Agreed to appear in customer documents"))
        self.given_on = self.add("given_on", "Consent given on", DateEdit())
        scopes = QWidget()
        row = QHBoxLayout(scopes)
        row.setContentsMargins(0, 0, 0, 0)
        self.scope_boxes = {}
        for s in ConsentScope:
            cb = QCheckBox(s.value)
            self.scope_boxes[s] = cb
            row.addWidget(cb)
        row.addStretch(1)
        self.add("scope", "May show their", scopes)
        self.withdrawn_on = self.add("withdrawn_on", "Consent withdrawn on", DateEdit())
        self.consent_note = self.add("consent_note", "Consent note", QLineEdit())
        self.quote = self.add("quote", "Quote", QPlainTextEdit())
        self.quote.setFixedHeight(64)
        self.pseudonymised = self.add("pseudonymised", "", QCheckBox(
            "Pseudonymise (never name this person)"))
        self.consent.toggled.connect(self._consent_toggled)
        self._consent_toggled(False)

    def _consent_toggled(self, on: bool) -> None:
        for w in (self.given_on, self.withdrawn_on, self.consent_note,
                  *self.scope_boxes.values()):
            w.setEnabled(on)

    def load(self, p: Person) -> None:
        self.name.setText(p.name)
        self.role.set_current(p.role)
        self.phone.setText(p.phone)
        self.email.setText(p.email)
        self.quote.setPlainText(p.quote)
        self.pseudonymised.setChecked(p.pseudonymised)
        if p.consent is not None:
            self.consent.setChecked(True)
            self.given_on.setText(text_of(p.consent.given_on))
            self.withdrawn_on.setText(text_of(p.consent.withdrawn_on))
            self.consent_note.setText(p.consent.note)
            for s, cb in self.scope_boxes.items():
                cb.setChecked(s in p.consent.scope)

    def collect(self) -> Person:
        name = self.name.text().strip()
        if not name:
            raise FieldError("name", "Name: enter the person's name")
        email = self.email.text().strip()
        if email and ("@" not in email or email.startswith("@") or email.endswith("@")):
            raise FieldError("email", f"Email: “{email}” is not an email address")
        consent = None
        if self.consent.isChecked():
            given = parse_date(self.given_on.text(), "given_on", "Consent given on",
                               required=True)
            withdrawn = parse_date(self.withdrawn_on.text(), "withdrawn_on",
                                   "Consent withdrawn on")
            if withdrawn is not None and given is not None and withdrawn < given:
                raise FieldError("withdrawn_on", "Consent cannot be withdrawn before it was given")
            scope = frozenset(s for s, cb in self.scope_boxes.items() if cb.isChecked())
            if not scope:
                raise FieldError("scope", "Consent: tick what may be shown (name, quote, photo)")
            consent = Consent(given, scope, withdrawn, self.consent_note.text().strip())
        base = self.record or Person(producer_id=self.producer_id(), name=name)
        return replace(base, name=name, role=self.role.current(),
                       phone=self.phone.text().strip(), email=email, consent=consent,
                       quote=self.quote.toPlainText().strip(),
                       pseudonymised=self.pseudonymised.isChecked())


# -- plots -------------------------------------------------------------------------------------
AREA_TOLERANCE = 0.05  # typed and outline areas further apart than this are questioned


def area_question(typed: str, outline_ha: float) -> str:
    """A question when the typed area and the outline's disagree by more than 5 %."""
    got = typed_area(typed)
    if got is None or outline_ha <= 0:
        return ""
    area = float(got)
    apart = abs(area - outline_ha) / outline_ha
    if apart <= AREA_TOLERANCE:
        return ""
    return (f". The typed area, {area:,.2f} ha, is {apart:.0%} "
            f"{'less' if area < outline_ha else 'more'}: which is right? (The typed area is "
            "the one saved.)")


def typed_area(typed: str) -> Decimal | None:
    """The area as typed so far (None: none, or not a number yet)."""
    try:
        area = Decimal(typed.replace(",", ".").strip())
    except ArithmeticError:
        return None
    return area if area.is_finite() and area > 0 else None


def parse_coordinates(text: str) -> dict | None:
    """Lines of "latitude, longitude" (as a GPS shows them) → a GeoJSON Point or Polygon."""
    points: list[list[float]] = []
    for n, line in enumerate(text.strip().splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = [x for x in line.replace(";", ",").replace("\t", ",").split(",") if x.strip()]
        if len(parts) == 1:
            parts = line.split()
        if len(parts) != 2:
            raise FieldError("coords", f"Coordinates line {n}: write “latitude, longitude”")
        try:
            lat, lon = float(parts[0]), float(parts[1])
        except ValueError:
            raise FieldError("coords", f"Coordinates line {n}: “{line}” is not two numbers"
                             ) from None
        if not -90 <= lat <= 90:
            raise FieldError("coords", f"Coordinates line {n}: latitude {lat} is outside −90…90")
        if not -180 <= lon <= 180:
            raise FieldError("coords",
                             f"Coordinates line {n}: longitude {lon} is outside −180…180")
        points.append([round(lon, 7), round(lat, 7)])
    if not points:
        return None
    if len(points) == 1:
        return {"type": "Point", "coordinates": points[0]}
    if points[0] != points[-1]:
        points.append(list(points[0]))
    if len(points) < 4:
        raise FieldError("coords", "Coordinates: a polygon needs at least 3 corners "
                                   "(or give one point)")
    geom = {"type": "Polygon", "coordinates": [points]}
    try:
        geo.validate_geometry(geom)
    except geo.GeometryError as exc:
        raise FieldError("coords", f"Coordinates: {exc}") from None
    return geom


def coordinates_text(geom: dict | None) -> str:
    if not geom:
        return ""
    if geom["type"] == "Point":
        pts = [geom["coordinates"]]
    else:
        pts = geom["coordinates"][0][:-1]
    return "\n".join(f"{p[1]:.6f}, {p[0]:.6f}" for p in pts)


class PlotDialog(_ProducerRecordDialog):
    title = "Plot"

    def build(self, form: QFormLayout) -> None:
        self.producer_field(form)
        self.name = self.add("name", "Name", QLineEdit())
        self.area = self.add("area", "Area (ha)", QLineEdit())
        self.coords = self.add("coords", "Coordinates", QPlainTextEdit())
        self.coords.setPlaceholderText("one “latitude, longitude” per line:\n"
                                       "one line = a point, 3 or more = the plot's outline")
        self.coords.setFixedHeight(96)
        self.geo_info = QLabel("")
        self.geo_info.setObjectName("muted")
        self.geo_info.setWordWrap(True)  # a long message wraps, it is never cut, and its
        self.geo_info.setAlignment(Qt.AlignmentFlag.AlignTop)  # three lines are kept for it:
        self.geo_info.setFixedHeight(self.geo_info.fontMetrics().lineSpacing() * 3 + 2)  # still
        form.addRow("", self.geo_info)
        from .plotmap import PlotMap  # the outline on the country's borders, as it is typed

        self.setMinimumWidth(620)  # room for the map beside the labels
        self.preview = PlotMap()
        self.preview.setMinimumSize(360, 190)
        self.preview.setAccessibleName("The plot on the map")
        form.addRow("", self.preview)
        self.altitude = self.add("altitude", "Altitude (masl)", QLineEdit())
        self.varieties = self.add("varieties", "Varieties", QLineEdit())
        self.varieties.setPlaceholderText("comma-separated, e.g. Castillo, Caturra")
        self.shade = self.add("shade", "Shade cover (%)", QLineEdit())
        self.planted = self.add("planted", "Planted on", DateEdit())
        self.forest = self.add("forest", "Forest after 31 Dec 2020", data_combo(
            [("Not known", "unknown"), ("No", "no"), ("Yes", "yes")]))
        form.addRow("", muted("EUDR: plots over 4 ha need an outline, not only a point."))
        self.coords.textChanged.connect(self._update_geo_info)
        self.area.textChanged.connect(self._update_geo_info)
        self._update_geo_info()

    def _country(self) -> str:
        try:
            return self.ctx.store.producer(self.producer_id()).country
        except (FieldError, LookupError, KeyError, TypeError, ValueError):
            return ""

    def _update_geo_info(self) -> None:
        try:
            geom = parse_coordinates(self.coords.toPlainText())
        except FieldError as exc:
            self.geo_info.setText(str(exc))
            self.preview.set_plots([])
            return
        name = self.name.text().strip() or "this plot"
        self.preview.set_plots([Plot(0, name, geometry=geom)] if geom else [],
                               self._country())
        if geom is None:
            self.geo_info.setText("")
        elif geom["type"] == "Point":  # the EUDR file's rule, said while typing
            said = geo.point_area_problem(typed_area(self.area.text()))
            self.geo_info.setText("A point" + (f". EUDR: {said}" if said else ""))
        else:
            outline = geo.geometry_area_ha(geom) or 0.0
            text = f"Outline of {len(geom['coordinates'][0]) - 1} corners, {outline:,.2f} ha"
            self.geo_info.setText(text + area_question(self.area.text(), outline))

    def load(self, p: Plot) -> None:
        self.name.setText(p.name)
        self.area.setText(text_of(p.area_ha))
        self.coords.setPlainText(coordinates_text(p.geometry))
        self.altitude.setText(text_of(p.altitude_m))
        self.varieties.setText(text_of(p.varieties))
        self.shade.setText(text_of(p.shade_pct))
        self.planted.setText(text_of(p.planted_on))
        set_data(self.forest, {None: "unknown", False: "no", True: "yes"}[p.forest_after_2020])

    def collect(self) -> Plot:
        name = self.name.text().strip()
        if not name:
            raise FieldError("name", "Name: give the plot a name")
        area = parse_decimal(self.area.text(), "area", "Area", positive=True,
                             maximum=Decimal(100000))
        geom = parse_coordinates(self.coords.toPlainText())
        if area is None and geom is not None and geom["type"] == "Polygon":
            area = Decimal(str(round(geo.geometry_area_ha(geom) or 0, 2))) or None
        altitude = parse_int(self.altitude.text(), "altitude", "Altitude", minimum=-500,
                             maximum=6000)
        shade = parse_int(self.shade.text(), "shade", "Shade cover", minimum=0, maximum=100)
        planted = parse_date(self.planted.text(), "planted", "Planted on")
        base = self.record or Plot(producer_id=self.producer_id(), name=name)
        return replace(base, name=name, area_ha=area, geometry=geom, altitude_m=altitude,
                       varieties=parse_list(self.varieties.text()), shade_pct=shade,
                       planted_on=planted,
                       forest_after_2020={"unknown": None, "no": False,
                                          "yes": True}[self.forest.currentData()])


# -- certifications ----------------------------------------------------------------------------
class CertificationDialog(_ProducerRecordDialog):
    title = "Certification"

    def build(self, form: QFormLayout) -> None:
        self.producer_field(form)
        self.scheme = self.add("scheme", "Scheme", choice_combo(Scheme))
        self.number = self.add("number", "Certificate number", QLineEdit())
        self.holder = self.add("holder", "Holder", QLineEdit())
        self.valid_from = self.add("valid_from", "Valid from", DateEdit())
        self.valid_to = self.add("valid_to", "Valid to", DateEdit())

    def load(self, c: Certification) -> None:
        self.scheme.set_current(c.scheme)
        self.number.setText(c.number)
        self.holder.setText(c.holder)
        self.valid_from.setText(text_of(c.valid_from))
        self.valid_to.setText(text_of(c.valid_to))

    def collect(self) -> Certification:
        start = parse_date(self.valid_from.text(), "valid_from", "Valid from")
        end = parse_date(self.valid_to.text(), "valid_to", "Valid to", required=True)
        if start and end and end < start:
            raise FieldError("valid_to", "Valid to: a certificate cannot expire before it starts")
        scheme = chosen(self.scheme, "scheme", "Scheme")
        base = self.record or Certification(self.producer_id(), scheme)
        return replace(base, scheme=scheme,
                       number=self.number.text().strip(), holder=self.holder.text().strip(),
                       valid_from=start, valid_to=end)


# -- commitments -------------------------------------------------------------------------------
def _harvest(text: str, field: str, label: str) -> int:
    if not text.strip():
        raise FieldError(field, f"{label}: enter a harvest like 2025 or 2024/25")
    try:
        return parse_harvest(text.strip())
    except ValueError as exc:
        raise FieldError(field, f"{label}: {exc}") from None


class CommitmentDialog(_ProducerRecordDialog):
    title = "Commitment"

    def build(self, form: QFormLayout) -> None:
        self.producer_field(form)
        self.first = self.add("first", "First harvest", QLineEdit())
        self.last = self.add("last", "Last harvest", QLineEdit())
        for w in (self.first, self.last):
            w.setPlaceholderText("e.g. 2025 or 2024/25")
        self.volume = self.add("volume", "Volume per harvest (kg green)", QLineEdit())
        self.floor = self.add("floor", "Price floor (USD/lb FOB)", QLineEdit())
        self.terms = self.add("terms", "Terms", QPlainTextEdit())
        self.terms.setFixedHeight(72)
        form.addRow("", muted("Give a volume, a price floor, or both."))

    def load(self, c: Commitment) -> None:
        try:  # the harvests named by the producer's calendar, as everywhere
            p = self.ctx.store.producer(c.producer_id)
            country, months = p.country, p.harvest_months
        except KNOWN_ERRORS:  # no such producer: named without its calendar
            country, months = "", ()
        self.first.setText(harvest_name(c.first_harvest, country, months))
        self.last.setText(harvest_name(c.last_harvest, country, months))
        self.volume.setText(text_of(c.volume_kg))
        self.floor.setText(text_of(c.price_floor_usd_lb))
        self.terms.setPlainText(c.terms)

    def collect(self) -> Commitment:
        first = _harvest(self.first.text(), "first", "First harvest")
        last = _harvest(self.last.text(), "last", "Last harvest")
        if last < first:
            raise FieldError("last", "Last harvest: it is before the first harvest")
        volume = parse_decimal(self.volume.text(), "volume", "Volume", positive=True)
        floor = parse_decimal(self.floor.text(), "floor", "Price floor", positive=True,
                              maximum=Decimal(100))
        if volume is None and floor is None:
            raise FieldError("volume", "Give a volume, a price floor, or both")
        base = self.record
        if base is None:
            return Commitment(self.producer_id(), first, last, volume, floor,
                              self.terms.toPlainText().strip())
        return replace(base, first_harvest=first, last_harvest=last, volume_kg=volume,
                       price_floor_usd_lb=floor, terms=self.terms.toPlainText().strip())


# -- projects ----------------------------------------------------------------------------------
class ProjectDialog(_ProducerRecordDialog):
    title = "Project"

    def build(self, form: QFormLayout) -> None:
        self.producer_field(form)
        self.year = self.add("year", "Year", QLineEdit())
        self.category = self.add("category", "Category", choice_combo(ProjectCategory))
        amount_row = QWidget()
        row = QHBoxLayout(amount_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.amount = QLineEdit()
        self.currency = QLineEdit("USD")
        self.currency.setMaximumWidth(70)
        row.addWidget(self.amount, 1)
        row.addWidget(self.currency)
        self.add("amount", "Amount", amount_row)
        self.fields["amount"] = self.amount
        self.fields["currency"] = self.currency
        self.description = self.add("description", "What it funded", QPlainTextEdit())
        self.description.setFixedHeight(80)

    def load(self, p: Project) -> None:
        self.year.setText(str(p.year))
        self.category.set_current(p.category)
        self.amount.setText(text_of(p.amount))
        self.currency.setText(p.currency)
        self.description.setPlainText(p.description)

    def collect(self) -> Project:
        year = parse_int(self.year.text(), "year", "Year", minimum=1900, maximum=2100,
                         required=True)
        amount = parse_decimal(self.amount.text(), "amount", "Amount", minimum=Decimal(0),
                               required=True)
        currency = self.currency.text().strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise FieldError("currency", f"Currency: “{currency}” is not a code like USD")
        category = chosen(self.category, "category", "Category")
        base = self.record
        desc = self.description.toPlainText().strip()
        if base is None:
            return Project(self.producer_id(), year, category, amount, currency, desc)
        return replace(base, year=year, category=category, amount=amount,
                       currency=currency, description=desc)
