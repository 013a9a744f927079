"""Overview: what needs the buyer's attention now. Every item opens its record."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.harvest import harvest_label
from ...domain.relationship import CommitmentState, evaluate_commitment
from ...store import Store
from ...store.store import current_harvest
from ..widgets import heading, muted

if TYPE_CHECKING:
    from ..context import AppContext

EXPIRY_DAYS = 90
FOLLOW_UP_SOON_DAYS = 14
MAX_ITEMS = 100
WARN = QColor("#b3261e")


@dataclass(frozen=True)
class Item:
    text: str
    kind: str
    id: int
    urgent: bool = False
    detail: str = ""


def expiring_certifications(store: Store, today: date) -> list[Item]:
    """Certificates ending within 90 days (or ended in the last 30) and not yet renewed."""
    rows = store.db.execute(
        "SELECT c.producer_id, p.name, c.scheme, c.number, c.valid_to FROM certifications c "
        "JOIN producers p ON p.id = c.producer_id "
        "WHERE c.valid_to BETWEEN :past AND :limit AND NOT EXISTS ("
        "  SELECT 1 FROM certifications n WHERE n.producer_id = c.producer_id "
        "  AND n.scheme = c.scheme AND n.valid_to > c.valid_to) "
        "ORDER BY c.valid_to LIMIT :n",
        {"past": (today - timedelta(days=30)).isoformat(),
         "limit": (today + timedelta(days=EXPIRY_DAYS)).isoformat(), "n": MAX_ITEMS})
    items = []
    for pid, name, scheme, number, valid_to in rows:
        days = (date.fromisoformat(valid_to) - today).days
        when = (f"expired {-days} days ago" if days < 0 else "expires today" if days == 0
                else f"expires in {days} days")
        num = f" {number}" if number else ""
        items.append(Item(f"{name} — {scheme}{num} {when} ({valid_to})", "producer", pid,
                          urgent=days <= 30))
    return items


def follow_ups_due(store: Store, today: date) -> list[Item]:
    rows = store.db.execute(
        "SELECT f.visit_id, f.what, f.who, f.due, p.name FROM follow_ups f "
        "JOIN visits v ON v.id = f.visit_id JOIN producers p ON p.id = v.producer_id "
        "WHERE f.done = 0 AND f.due IS NOT NULL AND f.due <= :soon ORDER BY f.due LIMIT :n",
        {"soon": (today + timedelta(days=FOLLOW_UP_SOON_DAYS)).isoformat(), "n": MAX_ITEMS})
    items = []
    for visit_id, what, who, due, name in rows:
        days = (date.fromisoformat(due) - today).days
        when = (f"overdue by {-days} days" if days < 0 else "due today" if days == 0
                else f"due in {days} days")
        by = f" ({who})" if who else ""
        items.append(Item(f"{what}{by} — {name}, {when}", "visit", visit_id, urgent=days < 0))
    return items


def commitments_at_risk(store: Store, today: date) -> list[Item]:
    """Commitments covering this harvest whose volume or price floor is not met yet."""
    h = current_harvest(today)
    rows = store.db.execute(
        "SELECT c.id, c.producer_id, p.name FROM commitments c "
        "JOIN producers p ON p.id = c.producer_id "
        "WHERE c.first_harvest <= :h AND c.last_harvest >= :h ORDER BY p.name LIMIT :n",
        {"h": h, "n": MAX_ITEMS})
    items = []
    for cid, pid, name in rows.fetchall():
        commitment = next(c for c in store.commitments(pid) if c.id == cid)
        lots = store.lots_where("producer_id = ? AND +harvest = ?", [pid, h])  # by producer
        this_year = replace(commitment, first_harvest=h, last_harvest=h)
        result = evaluate_commitment(this_year, lots, h)
        if result.state is CommitmentState.KEPT:
            continue
        gaps = []
        if result.volume_met is False and result.committed_kg is not None:
            gaps.append(f"{result.delivered_kg:,.0f} of {result.committed_kg:,.0f} kg bought")
        if result.price_met is False and result.average_fob_usd_lb is not None:
            gaps.append(f"FOB {result.average_fob_usd_lb.quantize(Decimal('0.01'))} below "
                        f"floor {commitment.price_floor_usd_lb} USD/lb")
        if result.price_met is None and commitment.price_floor_usd_lb is not None:
            gaps.append("no priced lot yet")
        items.append(Item(f"{name} — {harvest_label(h)}: {'; '.join(gaps) or 'not met yet'}",
                          "commitment", cid, urgent=result.volume_met is False))
    return items


def lots_missing_data(store: Store, today: date) -> tuple[list[Item], int]:
    """Lots of the last two harvests whose impact statement would have gaps."""
    h = current_harvest(today)
    where = ("l.status != 'cancelled' AND l.harvest >= :h AND m.answered < m.applicable")
    total = store.db.execute(
        f"SELECT count(*) FROM lots l JOIN lot_metrics m ON m.lot_id = l.id WHERE {where}",
        {"h": h - 1}).fetchone()[0]
    rows = store.db.execute(
        f"SELECT l.id, l.code, p.name, m.answered, m.applicable, m.missing FROM lots l "
        f"JOIN lot_metrics m ON m.lot_id = l.id JOIN producers p ON p.id = l.producer_id "
        f"WHERE {where} ORDER BY l.harvest DESC, m.answered, l.code LIMIT :n",
        {"h": h - 1, "n": MAX_ITEMS})
    items = []
    for lot_id, code, name, answered, applicable, missing in rows:
        first = (missing or "").split("; ")[0]
        items.append(Item(f"{code} ({name}) — {answered} of {applicable} answered; "
                          f"missing: {first}{' …' if ';' in (missing or '') else ''}",
                          "lot", lot_id, detail=missing or ""))
    return items, int(total)


class Card(QFrame):
    def __init__(self, title: str, empty_text: str, ctx: AppContext) -> None:
        super().__init__()
        self.setObjectName("card")
        self.ctx = ctx
        self.empty_text = empty_text
        lay = QVBoxLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setSpacing(6)
        top = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("h2")
        self.count = QLabel("")
        self.count.setObjectName("muted")
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.count)
        lay.addLayout(top)
        self.list = QListWidget()
        self.list.setObjectName("items")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        lay.addWidget(self.list, 1)

    def set_items(self, items: list[Item], total: int | None = None) -> None:
        self.list.clear()
        total = len(items) if total is None else total
        self.count.setText(f"{total:,}")
        if not items:
            empty = QListWidgetItem(self.empty_text)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)
            return
        for it in items:
            w = QListWidgetItem(("● " if it.urgent else "") + it.text)
            w.setData(Qt.ItemDataRole.UserRole, (it.kind, it.id))
            w.setToolTip(it.detail or it.text)
            if it.urgent:
                w.setForeground(WARN)
            self.list.addItem(w)
        if total > len(items):
            more = QListWidgetItem(f"… and {total - len(items):,} more")
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(more)

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.ctx.messages.open_record.emit(*target)


class OverviewPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(12)
        lay.addWidget(heading("Overview"))
        self.summary = muted("")
        lay.addWidget(self.summary)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.certs = Card("Certifications expiring within 90 days",
                          "No certificate ends in the next 90 days.", ctx)
        self.follow_ups = Card("Follow-ups due or overdue", "Nothing is due.", ctx)
        self.commitments = Card("Commitments at risk this harvest",
                                "Every commitment for this harvest is on track.", ctx)
        self.lots = Card("Lots whose impact statement would have gaps",
                         "Every recent lot has the data its statement needs.", ctx)
        grid.addWidget(self.certs, 0, 0)
        grid.addWidget(self.follow_ups, 0, 1)
        grid.addWidget(self.commitments, 1, 0)
        grid.addWidget(self.lots, 1, 1)
        lay.addLayout(grid, 1)
        self._task: Any = None
        self._generation = 0
        self.loading = False
        self.refresh()

    def refresh(self) -> None:
        """The quick lists at once; the two that read many lots in a background task."""
        today = self.today or date.today()
        c = self.ctx.store.counts()
        self.summary.setText(
            f"{c['producers']:,} producers · {c['visits']:,} visits · {c['lots']:,} lots · "
            f"harvest {harvest_label(current_harvest(today))} · {today:%d %B %Y}")
        self.certs.set_items(expiring_certifications(self.ctx.store, today))
        self.follow_ups.set_items(follow_ups_due(self.ctx.store, today))
        for card in (self.commitments, self.lots):
            card.count.setText("checking…")
        if self._task is not None:
            self._task.cancel()
        db_path = self.ctx.db_path
        self.loading = True

        def work(progress: object, cancelled: object) -> tuple:
            with Store.open(db_path, create=False) as store:
                return commitments_at_risk(store, today), lots_missing_data(store, today)

        self._generation += 1
        self._task = self.ctx.tasks.run(
            work, on_done=lambda result, gen=self._generation: self._slow_done(gen, result))

    def _slow_done(self, generation: int, result: tuple) -> None:
        if generation != self._generation:
            return  # a newer refresh is on its way
        risks, (items, total) = result
        self.commitments.set_items(risks)
        self.lots.set_items(items, total)
        self._task = None
        self.loading = False

    def open_record(self, id_: int) -> None:  # the overview has no records of its own
        self.refresh()
