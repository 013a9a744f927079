"""The lot editor's EUDR section: the lot's own DDS and the upstream references received.

Saved on its own button, through the store (``save_dds``): a DDS is filed in TRACES apart from
the lot's economics, and recording it must not wait for the rest of the form to be valid.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

if TYPE_CHECKING:
    from ..context import AppContext

STATUSES = ("", "draft", "submitted", "available", "rejected", "withdrawn", "archived")


class DdsSection(QGroupBox):
    """Own DDS (reference, verification number, submission date, status) and upstream
    references (one per line: ``reference`` or ``reference; verification; supplier``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("EUDR due diligence (DDS)", parent)
        self.ctx = ctx
        self.lot_id: int | None = None
        form = QFormLayout(self)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("not recorded")
        self.verification = QLineEdit()
        self.verification.setPlaceholderText("not recorded")
        self.submitted = QLineEdit()
        self.submitted.setPlaceholderText("YYYY-MM-DD, not recorded")
        self.status = QComboBox()
        self.status.addItems([s or "not recorded" for s in STATUSES])
        self.upstream = QPlainTextEdit()
        self.upstream.setPlaceholderText("reference; verification; supplier — one per line")
        self.upstream.setMaximumHeight(70)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.save_btn = QPushButton("Save DDS")
        form.addRow("Reference number", self.reference)
        form.addRow("Verification number", self.verification)
        form.addRow("Submitted on", self.submitted)
        form.addRow("Status", self.status)
        form.addRow("Upstream DDS", self.upstream)
        form.addRow(self.message)
        form.addRow(self.save_btn)
        self.save_btn.clicked.connect(self.save)
        self.load(None)

    def load(self, lot_id: int | None) -> None:
        self.lot_id = lot_id
        self.setEnabled(lot_id is not None)
        self.message.setText("" if lot_id is not None else "Save the lot first.")
        own: Any = None
        upstream: list[Any] = []
        if lot_id is not None:
            for d in self.ctx.store.dds_of_lot(lot_id):
                if d.role == "own":
                    own = d
                else:
                    upstream.append(d)
        self._own = own
        self._upstream = upstream
        self.reference.setText(own.reference if own else "")
        self.verification.setText(own.verification if own else "")
        self.submitted.setText(own.submitted_on.isoformat() if own and own.submitted_on else "")
        self.status.setCurrentIndex(STATUSES.index(own.status) if own else 0)
        self.upstream.setPlainText("\n".join(
            "; ".join(x for x in (d.reference, d.verification, d.supplier) if x) if not
            d.supplier or d.verification else f"{d.reference}; ; {d.supplier}"
            for d in upstream))

    def save(self) -> bool:
        from ...store.errors import ValidationError
        from ...store.eudr_records import Dds

        if self.lot_id is None:
            return False
        text = self.submitted.text().strip()
        try:
            on = date.fromisoformat(text) if text else None
        except ValueError:
            self.message.setText(f"Submitted on: {text!r} is not a date (YYYY-MM-DD)")
            return False
        wanted = []
        for n, line in enumerate(self.upstream.toPlainText().splitlines(), 1):
            parts = [p.strip() for p in line.split(";")]
            if not parts[0]:
                if any(parts):
                    self.message.setText(f"Upstream DDS line {n}: the reference comes first")
                    return False
                continue
            wanted.append((parts + ["", ""])[:3])
        store = self.ctx.store
        try:
            ref = self.reference.text().strip()
            status = STATUSES[self.status.currentIndex()]
            if ref:
                fields = {"reference": ref, "verification": self.verification.text().strip(),
                          "submitted_on": on, "status": status}
                store.save_dds(Dds(**{**self._own.__dict__, **fields}) if self._own
                               else Dds(self.lot_id, "own", **fields))
            elif self._own is not None:
                store.delete_dds(self._own.id)
            kept = {(d.reference, d.verification, d.supplier): d for d in self._upstream}
            for ref_, ver, sup in wanted:
                if (ref_, ver, sup) not in kept:
                    store.save_dds(Dds(self.lot_id, "upstream", ref_, ver, supplier=sup))
            for key, d in kept.items():
                if list(key) not in wanted:
                    store.delete_dds(d.id)
        except ValidationError as exc:
            self.message.setText(str(exc))
            return False
        self.load(self.lot_id)
        self.message.setText("DDS saved.")
        return True
