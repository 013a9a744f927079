"""The visit editor: date, mode, participants, purposes, the structured observations of
docs/domain.md (seen with no issue / seen with an issue found / reported / not checked, each with
a note), notes, follow-ups and photos
(dropped on the photo strip or chosen with a file dialog; copied into the attachments folder on
save)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImageReader, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.model import (
    Evidence,
    FollowUp,
    Observation,
    Outcome,
    Photo,
    Purpose,
    Topic,
    Visit,
    VisitMode,
)
from ..conflict_badge import set_title
from ..editors import CHOOSE
from ..widgets import (
    DateEdit,
    FieldError,
    heading,
    mark_invalid,
    muted,
    parse_date,
    parse_list,
)
from .record_page import RecordEditor

if TYPE_CHECKING:
    from ..context import AppContext
from .producer_picker import ProducerPicker

EVIDENCE_CHOICES = (  # how a topic was checked and, seen in person, what it showed
    ("not_checked", "not checked"),
    ("observed/no_issue", "seen: no issue"),
    ("observed/issue", "seen: issue"),
    ("observed", "seen: ?"),
    ("reported", "reported"),
)
EVIDENCE_TIP = ("seen: checked in person, with what it showed: no issue, or an issue found "
                "(say what in the note); 'seen: ?' = the outcome was not recorded; reported = "
                "told by the producer, not seen. Only 'seen: no issue' supports the labour "
                "item of the transparency checklist.")


def choice_of(obs: Observation | None) -> str:
    """The dropdown's key for an observation (evidence, then its outcome when seen)."""
    if obs is None:
        return Evidence.NOT_CHECKED.value
    return obs.evidence.value + (f"/{obs.outcome.value}" if obs.outcome is not None else "")


def observation_of(topic: Topic, key: str, note: str) -> Observation:
    evidence, _, outcome = key.partition("/")
    return Observation(topic, Evidence(evidence), note, Outcome(outcome) if outcome else None)
EARLIEST = date(1950, 1, 1)


# -- photos --------------------------------------------------------------------------------------
class PhotoStrip(QListWidget):
    """Thumbnails of a visit's photos; accepts dropped image files."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(QSize(96, 72))
        self.setGridSize(QSize(116, 100))
        self.setFlow(QListWidget.Flow.LeftToRight)
        self.setWrapping(True)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setMinimumHeight(110)
        self.setMaximumHeight(130)
        self.setToolTip("Drop photos here")

    def _paths(self, event: Any) -> list[Path]:
        md = event.mimeData()
        if not md.hasUrls():
            return []
        return [Path(u.toLocalFile()) for u in md.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if self._paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:  # noqa: N802
        if self._paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        paths = self._paths(event)
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


def _thumbnail(path: Path) -> QIcon:
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(QSize(192, 144), Qt.AspectRatioMode.KeepAspectRatio))
    img = reader.read()
    if img.isNull():
        return QIcon()
    return QIcon(QPixmap.fromImage(img))


# -- the editor ------------------------------------------------------------------------------------
class VisitEditor(RecordEditor):
    """Edits one visit; ``save()`` writes it (undoable) when every field is valid."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.visit: Visit | None = None
        self._errors: dict[str, str] = {}
        self._photos: list[Photo] = []
        self._pending: list[Path] = []  # new photos, copied into the attachments folder on save

        self.title = heading("New visit", 2)
        self.producer = ProducerPicker(ctx)
        self.date = DateEdit()
        self.mode = QComboBox()  # a new visit starts on "Choose…": never "in person" unasked
        self.mode.addItem(CHOOSE, None)
        for m in VisitMode:
            self.mode.addItem(m.label, m)
        self.participants = QLineEdit()
        self.participants.setPlaceholderText("Names, separated by commas")
        self.purposes: dict[Purpose, QCheckBox] = {p: QCheckBox(p.value) for p in Purpose}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Producer", self.producer)
        form.addRow("Date", self.date)
        form.addRow("Mode", self.mode)
        form.addRow("Participants", self.participants)
        prow = QGridLayout()
        for i, cb in enumerate(self.purposes.values()):
            prow.addWidget(cb, i // 3, i % 3)
        form.addRow("Purpose", prow)

        # structured observations: one row per topic
        obs_box = QGroupBox("Observations")
        grid = QGridLayout(obs_box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        self.evidence: dict[Topic, QComboBox] = {}
        self.obs_note: dict[Topic, QLineEdit] = {}
        for r, topic in enumerate(Topic):
            combo = QComboBox()
            for ev, label in EVIDENCE_CHOICES:
                combo.addItem(label, ev)
            combo.setToolTip(EVIDENCE_TIP)
            note = QLineEdit()
            note.setPlaceholderText("note")
            note.setMinimumWidth(180)  # a note is read, not guessed from its first letters
            note.textChanged.connect(note.setToolTip)  # the whole note on hover
            label = QLabel(topic.label)
            label.setWordWrap(True)  # long topic names wrap on a narrow pane: notes keep room
            grid.addWidget(label, r, 0)
            grid.addWidget(combo, r, 1)
            grid.addWidget(note, r, 2)
            self.evidence[topic] = combo
            self.obs_note[topic] = note
        grid.setColumnStretch(2, 1)

        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What you saw, heard and agreed")
        self.notes.setMinimumHeight(110)
        self.notes.setMaximumHeight(220)

        # follow-ups
        fu_box = QGroupBox("Follow-ups")
        fu_layout = QVBoxLayout(fu_box)
        self.follow_ups = QTableWidget(0, 4)
        self.follow_ups.setHorizontalHeaderLabels(["What", "Who", "Due (YYYY-MM-DD)", "Done"])
        self.follow_ups.verticalHeader().hide()
        hh = self.follow_ups.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.follow_ups.setMinimumHeight(96)
        self.follow_ups.setMaximumHeight(170)
        self.add_follow_up_btn = QPushButton("Add follow-up")
        self.remove_follow_up_btn = QPushButton("Remove")
        brow = QHBoxLayout()
        brow.addWidget(self.add_follow_up_btn)
        brow.addWidget(self.remove_follow_up_btn)
        brow.addStretch(1)
        fu_layout.addWidget(self.follow_ups)
        fu_layout.addLayout(brow)

        # photos
        ph_box = QGroupBox("Photos")
        ph_layout = QVBoxLayout(ph_box)
        self.photo_strip = PhotoStrip()
        self.add_photos_btn = QPushButton("Add photos…")
        self.remove_photo_btn = QPushButton("Remove")
        prow2 = QHBoxLayout()
        prow2.addWidget(self.add_photos_btn)
        prow2.addWidget(self.remove_photo_btn)
        prow2.addWidget(muted("or drop image files on the strip"))
        prow2.addStretch(1)
        ph_layout.addWidget(self.photo_strip)
        ph_layout.addLayout(prow2)

        bar = self._save_bar()

        body = QWidget()
        lay = QVBoxLayout(body)
        lay.addWidget(self.title)
        lay.addLayout(form)
        lay.addWidget(obs_box)
        lay.addWidget(QLabel("Notes"))
        lay.addWidget(self.notes)
        lay.addWidget(fu_box)
        lay.addWidget(ph_box)
        lay.addStretch(1)
        scroll = self._scrolling(body)
        self.setMinimumWidth(480)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, 1)
        outer.addLayout(bar)

        # wiring
        for w in (self.date, self.participants):
            w.textChanged.connect(self._changed)
        self.producer.picked.connect(self._changed)
        self.mode.currentIndexChanged.connect(self._changed)
        for cb in self.purposes.values():
            cb.toggled.connect(self._changed)
        for topic in Topic:
            self.evidence[topic].currentIndexChanged.connect(self._changed)
            self.obs_note[topic].textChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        self.follow_ups.itemChanged.connect(self._changed)
        self.add_follow_up_btn.clicked.connect(lambda: self.add_follow_up())
        self.remove_follow_up_btn.clicked.connect(self._remove_follow_up)
        self.add_photos_btn.clicked.connect(self._choose_photos)
        self.remove_photo_btn.clicked.connect(self._remove_photo)
        self.photo_strip.files_dropped.connect(self.add_photo_files)
        self.new_visit()

    # -- loading ---------------------------------------------------------------------------
    def new_visit(self, producer_id: int | None = None) -> None:
        self.load(None, producer_id=producer_id)

    def load(self, visit: Visit | None, producer_id: int | None = None) -> None:
        self._loading = True
        try:
            self.visit = visit
            v = visit
            set_title(self.title, self.ctx,
                      "New visit" if v is None else f"Visit of {v.date.isoformat()}",
                      "visits", v.uuid if v else None)
            self.producer.set_producer(v.producer_id if v else producer_id)
            self.date.setText((v.date if v else date.today()).isoformat())
            self.mode.setCurrentIndex(max(0, self.mode.findData(v.mode)) if v else 0)
            self.participants.setText(", ".join(v.participants) if v else "")
            self.participants.setCursorPosition(0)
            for p, cb in self.purposes.items():
                cb.setChecked(bool(v and p in v.purposes))
            for topic in Topic:
                obs = v.observation(topic) if v else None
                self.evidence[topic].setCurrentIndex(
                    self.evidence[topic].findData(choice_of(obs)))
                self.obs_note[topic].setText(obs.note if obs else "")
                self.obs_note[topic].setCursorPosition(0)
                self.obs_note[topic].setToolTip(obs.note if obs else "")
            self.notes.setPlainText(v.notes if v else "")
            self.follow_ups.setRowCount(0)
            for f in (v.follow_ups if v else ()):
                self.add_follow_up(f.what, f.who, f.due.isoformat() if f.due else "", f.done,
                                   uuid=f.uuid)
            self._photos = list(v.photos) if v else []
            self._pending = []
            self._show_photos()
        finally:
            self._loading = False
        self._set_dirty(False)
        self.validate()

    def revert(self) -> None:
        self.load(self.visit, producer_id=self.producer.producer_id)

    # -- follow-ups ------------------------------------------------------------------------
    def add_follow_up(self, what: str = "", who: str = "", due: str = "", done: bool = False,
                      uuid: str | None = None) -> int:
        t = self.follow_ups
        was = self._loading
        self._loading = True
        row = t.rowCount()
        t.insertRow(row)
        first = QTableWidgetItem(what)
        first.setData(Qt.ItemDataRole.UserRole, uuid)
        t.setItem(row, 0, first)
        t.setItem(row, 1, QTableWidgetItem(who))
        t.setItem(row, 2, QTableWidgetItem(due))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                       | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if done else Qt.CheckState.Unchecked)
        t.setItem(row, 3, check)
        self._loading = was
        if not was:
            self._changed()
            t.setCurrentCell(row, 0)
        return row

    def _remove_follow_up(self) -> None:
        row = self.follow_ups.currentRow()
        if row >= 0:
            self.follow_ups.removeRow(row)
            self._changed()

    # -- photos ----------------------------------------------------------------------------
    def _choose_photos(self) -> None:
        from ..files import open_paths

        files = open_paths(
            self, self.ctx.settings, "Add photos",
            "Images (*.jpg *.jpeg *.png *.gif *.webp *.heic *.heif *.tif *.tiff *.bmp)")
        if files:
            self.add_photo_files(files)

    def add_photo_files(self, paths: list[Path]) -> None:
        from ...services.attachments import PHOTO_EXTENSIONS, safe_extension

        refused = []
        for p in paths:
            p = Path(p)
            if p.is_file() and safe_extension(p.name) in PHOTO_EXTENSIONS:
                if p not in self._pending:
                    self._pending.append(p)
            else:
                refused.append(p.name or str(p))
        if refused:
            self.ctx.messages.warning.emit("Not added (not a photo file): " + ", ".join(refused))
        self._show_photos()
        self._changed()

    def _remove_photo(self) -> None:
        item = self.photo_strip.currentItem()
        if item is None:
            return
        kind, value = item.data(Qt.ItemDataRole.UserRole)
        if kind == "stored":
            self._photos = [p for p in self._photos if p.sha256 != value]
        else:
            self._pending = [p for p in self._pending if str(p) != value]
        self._show_photos()
        self._changed()

    def _show_photos(self) -> None:
        from ...errors import UserError
        from ...services.attachments import photo_path

        self.photo_strip.clear()
        for ph in self._photos:
            try:
                path: Path | None = photo_path(self.ctx.attachments_dir, ph)
            except UserError:
                path = None
            found = path is not None and path.is_file()
            name = ph.caption or ph.filename
            # a photo whose file is gone is said so (statements leave it out), never a blank
            item = QListWidgetItem(_thumbnail(path) if found and path else QIcon(),
                                   name if found else f"{name} (file missing)")
            item.setData(Qt.ItemDataRole.UserRole, ("stored", ph.sha256))
            item.setToolTip(ph.filename if found else (
                f"{ph.filename}: not found in the attachments folder"
                f"{f' ({path})' if path else ''}; statements leave it out. Restore the file "
                "there, or remove the photo."))
            self.photo_strip.addItem(item)
        for p in self._pending:
            item = QListWidgetItem(_thumbnail(p), p.name)
            item.setData(Qt.ItemDataRole.UserRole, ("pending", str(p)))
            item.setToolTip(f"{p} (copied when you save)")
            self.photo_strip.addItem(item)

    @property
    def photo_count(self) -> int:
        return len(self._photos) + len(self._pending)

    # -- validation ------------------------------------------------------------------------
    def _recheck(self) -> None:
        self.validate()

    def _follow_ups(self) -> tuple[FollowUp, ...]:
        out = []
        t = self.follow_ups
        for r in range(t.rowCount()):
            items = [t.item(r, c) for c in range(3)]
            what, who, due_text = (it.text().strip() if it is not None else "" for it in items)
            done_item = t.item(r, 3)
            done = done_item is not None and done_item.checkState() == Qt.CheckState.Checked
            if not what and not who and not due_text:
                continue
            label = f"Follow-up {r + 1}"
            if not what:
                raise FieldError("follow_ups", f"{label}: say what needs doing")
            due = parse_date(due_text, "follow_ups", f"{label} due date")
            if due is not None and not EARLIEST <= due <= date.today() + timedelta(days=3650):
                raise FieldError("follow_ups", f"{label}: due date {due} is out of range")
            first = t.item(r, 0)
            uuid = first.data(Qt.ItemDataRole.UserRole) if first is not None else None
            kw = {"uuid": uuid} if uuid else {}
            out.append(FollowUp(what=what, who=who, due=due, done=done, **kw))
        return tuple(out)

    def build(self) -> Visit:
        """The visit as the fields describe it; raises FieldError on bad input."""
        pid = self.producer.producer_id
        if pid is None:
            raise FieldError("producer", "Producer: pick one from the list")
        day = parse_date(self.date.text(), "date", "Date", required=True)
        assert day is not None
        if day > date.today() + timedelta(days=1):
            raise FieldError("date", f"Date: {day} is in the future (log a visit once it "
                             "happened; plan it as a follow-up)")
        if day < EARLIEST:
            raise FieldError("date", f"Date: {day} is before {EARLIEST.year}")
        if self.mode.currentData() is None:  # an in-person visit counts on the checklist
            raise FieldError("mode", "Mode: choose how the visit was made (in person, call, "
                             "video or message)")
        base = self.visit
        recorded = [o.topic for o in base.observations] if base is not None else []
        observations = []
        for topic in [*recorded, *(t for t in Topic if t not in recorded)]:
            obs = observation_of(topic, self.evidence[topic].currentData(),
                                 self.obs_note[topic].text().strip())
            # "not checked" without a note is only stored when the visit said so explicitly
            if obs.evidence is not Evidence.NOT_CHECKED or obs.note or topic in recorded:
                observations.append(obs)
        fields: dict[str, Any] = dict(
            producer_id=pid, date=day, mode=VisitMode(self.mode.currentData()),
            participants=parse_list(self.participants.text()),
            purposes=tuple(p for p, cb in self.purposes.items() if cb.isChecked()),
            observations=tuple(observations), notes=self.notes.toPlainText().strip(),
            follow_ups=self._follow_ups(), photos=tuple(self._photos),
        )
        try:
            return replace(base, **fields) if base is not None else Visit(**fields)
        except ValueError as exc:
            raise FieldError("", str(exc)) from exc

    def validate(self) -> bool:
        for w in (self.producer, self.date, self.mode, self.follow_ups):
            mark_invalid(w, False)
        try:
            self.build()
        except FieldError as exc:
            self.save_btn.setEnabled(False)
            if not self.dirty:  # an untouched new visit: no scolding before any typing
                self.error.clear_error()
                return False
            widget = {"producer": self.producer, "date": self.date, "mode": self.mode,
                      "follow_ups": self.follow_ups}.get(exc.field)
            mark_invalid(widget, True)
            self.error.show_error(str(exc))
            self.save_btn.setEnabled(False)
            return False
        self.error.clear_error()
        self.save_btn.setEnabled(self.dirty)
        return True

    # -- saving ----------------------------------------------------------------------------
    def save(self) -> bool:
        if not self.validate():
            return False
        return self._store(self.build(),
                           lambda stored: f"Visit of {stored.date.isoformat()} saved",
                           prepare=self._with_new_photos)

    def _with_new_photos(self, visit: Visit) -> Visit:
        """The visit with the pending photos copied into the attachments folder."""
        from ...services.attachments import add_photo

        photos = list(visit.photos)
        for path in self._pending:
            photo = add_photo(path, self.ctx.attachments_dir)
            if all(p.sha256 != photo.sha256 for p in photos):
                photos.append(photo)
        return replace(visit, photos=tuple(photos))
