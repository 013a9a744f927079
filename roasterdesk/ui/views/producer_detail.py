"""One producer: the editable profile and a tab per kind of record."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...domain.countries import BOUNDING_BOXES, country_code, country_name
from ...domain.harvest import harvest_name
from ...domain.model import Producer, ProducerKind
from ...domain.words import plural
from ...errors import KNOWN_ERRORS
from .. import wheel
from ..conflict_badge import set_title
from ..editors import EnumCombo
from ..undo import save_record
from ..widgets import (
    ErrorLabel,
    FieldError,
    heading,
    mark_invalid,
    muted,
    parse_decimal,
    parse_int,
    parse_list,
    text_of,
)
from .history import HistoryTab
from .producer_tabs import (
    CertificationsTab,
    CommitmentsTab,
    LotsTab,
    MembersTab,
    PeopleTab,
    PlotsTab,
    ProjectsTab,
    VisitsTab,
)

if TYPE_CHECKING:
    from ..context import AppContext

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def parse_months(text: str) -> tuple[int, ...]:
    out = []
    for part in parse_list(text.replace(" ", ",")):
        key = part[:3].capitalize()
        if key in MONTHS:
            out.append(MONTHS.index(key) + 1)
            continue
        try:
            n = int(part)
        except ValueError:
            raise FieldError("months", f"Harvest months: “{part}” is not a month") from None
        if not 1 <= n <= 12:
            raise FieldError("months", f"Harvest months: {n} is not a month (1–12)")
        out.append(n)
    return tuple(sorted(set(out)))


def country_label(code: str) -> str:
    """"Colombia (CO)" for a country the table knows, else the code alone."""
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


_LABELLED = re.compile(r"^.*\(([A-Za-z]{2})\)\s*$")


def parse_country(text: str) -> str:
    """The ISO-2 code of what was typed or picked: a name, a code, or "Colombia (CO)"."""
    m = _LABELLED.match(text.strip())
    code = m.group(1).upper() if m else country_code(text)
    if code is None:
        raise FieldError("country", f"Country: “{text.strip()}” is not a country we know; enter "
                                    "its name or two-letter ISO code, e.g. Colombia or CO")
    return code


def country_completer(edit: QLineEdit) -> QCompleter:
    """Suggest the coffee origins the country table knows, matching anywhere in the name."""
    labels = sorted(country_label(code) for code in BOUNDING_BOXES)
    completer = QCompleter(labels, edit)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    edit.setCompleter(completer)
    return completer


class ProfileForm(QWidget):
    """The producer's own fields. Edits are kept in the form until Save (Ctrl+S)."""

    saved = Signal(object)
    dirty_changed = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        wheel.install()  # an unfocused dropdown or spin box scrolls the form instead
        self.ctx = ctx
        self.producer: Producer | None = None
        self._dirty = False
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        host = QWidget()
        lay = QVBoxLayout(host)
        lay.setContentsMargins(16, 14, 16, 14)
        lay.setSpacing(10)
        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, QWidget] = {}

        def add(key: str, label: str, w: QWidget) -> Any:
            self.fields[key] = w
            form.addRow(label, w)
            if isinstance(w, QLineEdit):
                w.textEdited.connect(self._edited)
            elif isinstance(w, QPlainTextEdit):
                w.textChanged.connect(self._edited)
            elif isinstance(w, QComboBox):
                w.currentIndexChanged.connect(self._edited)
            return w

        self.name = add("name", "Name", QLineEdit())
        self.kind = add("kind", "Kind", EnumCombo(ProducerKind, not_recorded=True))
        self.country = add("country", "Country", QLineEdit())
        self.country.setPlaceholderText("a name or ISO code, e.g. Colombia or CO")
        self.country.setMaximumWidth(300)
        self.country_completer = country_completer(self.country)
        self.country_completer.activated.connect(self._edited)
        self.parent_box = QComboBox()
        self.fields["parent"] = self.parent_box
        self.parent_box.currentIndexChanged.connect(self._edited)
        member_row = QWidget()
        row = QHBoxLayout(member_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.parent_box, 1)
        self.parent_link = QLabel()
        self.parent_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.parent_link.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.parent_link.linkActivated.connect(self._open_parent)
        row.addWidget(self.parent_link)
        form.addRow("Member of", member_row)
        self.region = add("region", "Region", QLineEdit())
        self.municipality = add("municipality", "Municipality", QLineEdit())
        alt = QWidget()
        row = QHBoxLayout(alt)
        row.setContentsMargins(0, 0, 0, 0)
        self.alt_min, self.alt_max = QLineEdit(), QLineEdit()
        for w, ph in ((self.alt_min, "lowest"), (self.alt_max, "highest")):
            w.setPlaceholderText(ph)
            w.setMaximumWidth(110)
            w.textEdited.connect(self._edited)
        row.addWidget(self.alt_min)
        row.addWidget(QLabel("to"))
        row.addWidget(self.alt_max)
        row.addWidget(QLabel("masl"))
        row.addStretch(1)
        form.addRow("Altitude", alt)
        self.fields["alt_min"], self.fields["alt_max"] = self.alt_min, self.alt_max
        self.total_area = add("total_area", "Total area (ha)", QLineEdit())
        self.coffee_area = add("coffee_area", "Coffee area (ha)", QLineEdit())
        for w in (self.total_area, self.coffee_area):
            w.setMaximumWidth(140)
        self.varieties = add("varieties", "Varieties", QLineEdit())
        self.varieties.setPlaceholderText("comma-separated")
        self.processes = add("processes", "Processing methods", QLineEdit())
        self.processes.setPlaceholderText("comma-separated, e.g. washed, natural")
        self.months = add("months", "Harvest months", QLineEdit())
        self.months.setPlaceholderText("e.g. Apr, May, Jun or 4, 5, 6")
        self.notes = add("notes", "Notes", QPlainTextEdit())
        self.notes.setMinimumHeight(90)
        lay.addLayout(form)
        self.error = ErrorLabel()
        bar = QHBoxLayout()  # under the scrolling form: Save is always in sight
        bar.setContentsMargins(16, 8, 16, 8)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("primary")
        self.save_button.setToolTip("Save the profile (Ctrl+S)")
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        bar.addWidget(self.save_button)
        bar.addWidget(self.revert_button)
        self.state = muted("")
        self.state.setWordWrap(False)  # one line beside the buttons
        bar.addWidget(self.state)
        # a message takes the strip (two lines kept for it, shown or not): the form never moves
        self.error.setFixedHeight(self.error.fontMetrics().lineSpacing() * 2 + 4)
        keep = self.error.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.error.setSizePolicy(keep)
        bar.addWidget(self.error, 1)
        lay.addStretch(1)
        scroll.setWidget(host)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)
        self.scroll = scroll
        self._set_dirty(False)

    # -- state -------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def _edited(self, *_: Any) -> None:
        if not self._loading:
            self._set_dirty(True)

    def _set_dirty(self, dirty: bool) -> None:
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        new = getattr(self, "producer", None) is None
        self.state.setText(("A new producer: not saved yet" if new else "Unsaved changes")
                           if dirty else "")
        self.dirty_changed.emit(dirty)

    def _fill_parents(self, current: int | None, own: int | None) -> None:
        self.parent_box.clear()
        self.parent_box.addItem("—", None)
        for pid, name in self.ctx.store.groups(keep=current):
            if pid != own:
                self.parent_box.addItem(name, pid)
        self.parent_box.setCurrentIndex(max(0, self.parent_box.findData(current)))

    def _show_parent_link(self, p: Producer | None) -> None:
        """A member's saved cooperative, as a link that opens its page."""
        pid = p.parent_id if p is not None else None
        name = self.parent_box.itemText(self.parent_box.findData(pid)) if pid else ""
        self.parent_link.setText(f'<a href="{pid}">Open {escape(name)} ›</a>' if name else "")
        self.parent_link.setVisible(bool(name))

    def _open_parent(self, href: str) -> None:
        self.ctx.messages.open_record.emit("producer", int(href))

    def load(self, p: Producer | None) -> None:
        self._loading = True
        try:
            self.producer = p
            blank = p is None
            self.name.setText("" if blank else p.name)
            # a new producer's kind starts "not recorded": never an invented "farm"
            self.kind.set_current(None if blank else p.kind)
            self.country.setText("" if blank else country_label(p.country))
            self._fill_parents(None if blank else p.parent_id, None if blank else p.id)
            self._show_parent_link(p)
            self.region.setText("" if blank else p.region)
            self.municipality.setText("" if blank else p.municipality)
            self.alt_min.setText("" if blank else text_of(p.altitude_min_m))
            self.alt_max.setText("" if blank else text_of(p.altitude_max_m))
            self.total_area.setText("" if blank else text_of(p.total_area_ha))
            self.coffee_area.setText("" if blank else text_of(p.coffee_area_ha))
            self.varieties.setText("" if blank else text_of(p.varieties))
            self.processes.setText("" if blank else text_of(p.processes))
            self.months.setText("" if blank else ", ".join(MONTHS[m - 1]
                                                           for m in p.harvest_months))
            self.notes.setPlainText("" if blank else p.notes)
        finally:
            self._loading = False
        self.error.clear_error()
        for w in self.fields.values():
            mark_invalid(w, False)
        self._set_dirty(blank)

    # -- validation and saving ---------------------------------------------------------------
    def collect(self) -> Producer:
        name = self.name.text().strip()
        if not name:
            raise FieldError("name", "Name: enter the producer's name")
        country = parse_country(self.country.text())
        lo = parse_int(self.alt_min.text(), "alt_min", "Lowest altitude", minimum=-500,
                       maximum=6000)
        hi = parse_int(self.alt_max.text(), "alt_max", "Highest altitude", minimum=-500,
                       maximum=6000)
        if lo is not None and hi is not None and lo > hi:
            raise FieldError("alt_max", "Altitude: the highest is below the lowest")
        total = parse_decimal(self.total_area.text(), "total_area", "Total area",
                              minimum=Decimal(0))
        coffee = parse_decimal(self.coffee_area.text(), "coffee_area", "Coffee area",
                               minimum=Decimal(0))
        if total is not None and coffee is not None and coffee > total:
            raise FieldError("coffee_area", "Coffee area: larger than the total area")
        months = parse_months(self.months.text())
        fields = dict(
            name=name, kind=self.kind.current(), country=country,
            region=self.region.text().strip(), municipality=self.municipality.text().strip(),
            altitude_min_m=lo, altitude_max_m=hi, total_area_ha=total, coffee_area_ha=coffee,
            varieties=parse_list(self.varieties.text()),
            processes=parse_list(self.processes.text()), harvest_months=months,
            parent_id=self.parent_box.currentData(), notes=self.notes.toPlainText().strip())
        if self.producer is None:
            return Producer(**fields)
        return replace(self.producer, **fields)

    def save(self) -> bool:
        for w in self.fields.values():
            mark_invalid(w, False)
        try:
            p = self.collect()
        except FieldError as exc:
            self.error.show_error(str(exc))
            w = self.fields.get(exc.field)
            if w is not None:
                mark_invalid(w, True)
                w.setFocus()
                self.scroll.ensureWidgetVisible(w)
            return False
        except ValueError as exc:
            self.error.show_error(str(exc)[:1].upper() + str(exc)[1:])
            return False
        try:
            stored = save_record(self.ctx, p)
        except KNOWN_ERRORS as exc:
            self.error.show_error(f"Not saved: {exc}")
            return False
        self.load(stored)
        self.ctx.messages.info.emit(f"Saved {stored.name}")
        self.saved.emit(stored)
        return True

    def revert(self) -> None:
        self.load(self.producer)


class ProducerDetail(QWidget):
    """Header, profile and the record tabs of one producer."""

    back = Signal()
    step = Signal(int)  # previous (-1) / next (+1) producer in the list
    created = Signal(int)

    TABS = ("Profile", "Members", "People", "Plots", "Certifications", "Visits", "Lots",
            "Commitments", "Projects", "History")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.producer_id: int | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 16, 24, 16)
        lay.setSpacing(10)
        top = QHBoxLayout()
        self.back_button = QPushButton("← All producers")
        self.back_button.clicked.connect(self.back.emit)
        top.addWidget(self.back_button)
        top.addStretch(1)
        self.prev_button = QPushButton("‹ Previous")
        self.next_button = QPushButton("Next ›")
        self.prev_button.setToolTip("Previous producer (Alt+Up)")
        self.next_button.setToolTip("Next producer (Alt+Down)")
        self.prev_button.clicked.connect(lambda: self.step.emit(-1))
        self.next_button.clicked.connect(lambda: self.step.emit(1))
        top.addWidget(self.prev_button)
        top.addWidget(self.next_button)
        lay.addLayout(top)
        self.title = heading("")
        self.subtitle = muted("")
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.profile = ProfileForm(ctx)
        self.profile.saved.connect(self._profile_saved)
        self.profile.dirty_changed.connect(lambda _d: self._update_steps())
        self.members = MembersTab(ctx)
        store = ctx.store
        self.people = PeopleTab(ctx, lambda pid: ctx.store.people(pid),
                                hint="Consent decides who may appear in customer documents.")
        self.plots = PlotsTab(ctx, lambda pid: ctx.store.plots(pid))
        self.certifications = CertificationsTab(ctx, lambda pid: ctx.store.certifications(pid))
        self.visits = VisitsTab(ctx, lambda pid: ctx.store.visits(pid))
        self.lots = LotsTab(ctx)
        self.commitments = CommitmentsTab(ctx)
        self.projects = ProjectsTab(ctx, lambda pid: ctx.store.projects(pid))
        self.history = HistoryTab(ctx)
        del store
        for name, w in zip(self.TABS, (self.profile, self.members, self.people, self.plots,
                                       self.certifications, self.visits, self.lots,
                                       self.commitments, self.projects, self.history), strict=True):
            self.tabs.addTab(w, name)
        self._loaded: set[int] = set()
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)

    def tab(self, name: str) -> QWidget:
        return self.tabs.widget(self.TABS.index(name))

    def show_producer(self, producer_id: int | None) -> None:
        self.producer_id = producer_id
        self._loaded = set()
        p = self.ctx.store.producer(producer_id) if producer_id is not None else None
        self._header(p)
        self.profile.load(p)
        for i in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(i, p is not None)
        self._members_tab(p)
        if p is None:
            self.tabs.setCurrentIndex(0)
            self.profile.name.setFocus()
        self._update_steps()
        self._tab_changed(self.tabs.currentIndex())

    def _update_steps(self) -> None:
        """Previous/Next only from a saved record without unsaved edits (stepping away from
        a new or edited producer would leave it behind)."""
        ok = self.producer_id is not None and not self.profile.dirty
        tip = "" if ok else " — save or revert first"
        for b, text in ((self.prev_button, "Previous producer (Alt+Up)"),
                        (self.next_button, "Next producer (Alt+Down)")):
            b.setEnabled(ok)
            b.setToolTip(text + tip)

    def _header(self, p: Producer | None) -> None:
        if p is None:
            self.title.setText("New producer")
            self.subtitle.setText("Fill in the profile and save; then add people, plots and "
                                  "the rest.")
            return
        set_title(self.title, self.ctx, p.name, "producers", p.uuid)
        kind = p.kind.label.capitalize() if p.kind else "Kind not recorded"
        bits = [kind, p.country, p.region, p.altitude_label]
        rel = self.ctx.store.relationship(p.id)  # type: ignore[arg-type]
        if rel.first_harvest:
            since = harvest_name(rel.first_harvest, p.country, p.harvest_months)
            bits.append(f"buying since {since} ({plural(rel.harvests_bought, 'harvest')})")
        self.subtitle.setText(" · ".join(b for b in bits if b))

    def _members_tab(self, p: Producer | None) -> None:
        """Only a cooperative or washing station has members (a farm names its own under
        “Member of”)."""
        i = self.TABS.index("Members")
        # a kind not recorded may be a group: its members are shown rather than hidden
        group = p is not None and p.kind in (ProducerKind.COOPERATIVE,
                                             ProducerKind.WASHING_STATION, None)
        if not group and self.tabs.currentIndex() == i:
            self.tabs.setCurrentIndex(0)
        self.tabs.setTabVisible(i, group)

    def _tab_changed(self, index: int) -> None:
        """Tabs load when first shown (a producer with 10,000 lots opens instantly)."""
        if self.producer_id is None or index <= 0 or index in self._loaded:
            return
        self._loaded.add(index)
        self.tabs.widget(index).load(self.producer_id)  # type: ignore[attr-defined]

    def reload(self) -> None:
        if self.producer_id is None:
            return
        try:
            p = self.ctx.store.producer(self.producer_id)
        except KNOWN_ERRORS:  # deleted (e.g. its creation was undone)
            self.back.emit()
            return
        self._header(p)
        if not self.profile.dirty:
            self.profile.load(p)
        self._members_tab(p)
        self._loaded = set()
        self._tab_changed(self.tabs.currentIndex())

    def _profile_saved(self, p: Producer) -> None:
        new = self.producer_id is None
        self.producer_id = p.id
        self._header(p)
        for i in range(1, self.tabs.count()):
            self.tabs.setTabEnabled(i, True)
        self._members_tab(p)
        self._update_steps()  # a new producer saved: Previous and Next step from it now
        if new:
            self.created.emit(p.id)

    def maybe_leave(self) -> bool:
        """Ask about unsaved profile edits; False keeps the user here."""
        if not self.profile.dirty:
            return True
        if self.producer_id is None and not self.profile.name.text().strip():
            return True  # an untouched new-producer form
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          "The producer's profile has unsaved changes.",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.profile.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.profile.revert()
            return True
        return False
