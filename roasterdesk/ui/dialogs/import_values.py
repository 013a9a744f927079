"""The import dialog's value mapping: a value the file writes its own way ("Washd", "Wet / Washed")
mapped once to the value meant, kept with the saved mapping (``"_values"`` of a mapping file).

:class:`ValueMapper` lists the unknown values of the last check (field, value and the nearest
known values) and lets the user say what each means; the dialog checks again with the map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ...services import fields as FS
from ...services import vocab

if TYPE_CHECKING:
    from ...services.importing import ImportPlan


def unknown_values(plan: ImportPlan, mapping: dict[int, str]) -> list[tuple[str, str, list[str]]]:
    """(field key, value as written, nearest known values) of every distinct unknown value."""
    headers = plan.table.headers
    key_of = {headers[i] or f"#{i + 1}": k for i, k in mapping.items() if i < len(headers)}
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str, list[str]]] = []
    for p in plan.errors:
        key = key_of.get(p.column)
        if key is None or not p.value or not p.reason.startswith("unknown "):
            continue
        if (key, FS.fold(p.value)) in seen:
            continue
        seen.add((key, FS.fold(p.value)))
        near = p.reason.partition("; nearest: ")[2]
        out.append((key, p.value, [n.strip() for n in near.split(vocab.NEAREST_SEP.strip())
                                   if n.strip()]))
    return out


class ValueMapper(QWidget):
    """"Value in the file" → "means" → Map. Emits ``mapped(field key, value, meant)``."""

    mapped = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = "lots"
        self.value = QComboBox()
        self.value.setMinimumContentsLength(24)
        self.value.currentIndexChanged.connect(self._choices)
        self.meant = QComboBox()
        self.meant.setEditable(True)
        self.meant.setMinimumContentsLength(16)
        self.button = QPushButton("Map this value")
        self.button.clicked.connect(self._map)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel("Unknown value"))
        lay.addWidget(self.value, 2)
        lay.addWidget(QLabel("means"))
        lay.addWidget(self.meant, 1)
        lay.addWidget(self.button)
        self.setVisible(False)

    def show_values(self, kind: str, values: list[tuple[str, str, list[str]]]) -> None:
        self.kind = kind
        self.value.blockSignals(True)
        self.value.clear()
        for key, text, near in values:
            self.value.addItem(f"{FS.spec(kind, key).label}: {text}", (key, text, near))
        self.value.blockSignals(False)
        self._choices()
        self.setVisible(bool(values))

    def _choices(self) -> None:
        data = self.value.currentData()
        self.meant.clear()
        if data:
            self.meant.addItems(data[2])
        self.button.setEnabled(data is not None)

    def _map(self) -> None:
        data = self.value.currentData()
        meant = self.meant.currentText().strip()
        if data and meant:
            self.mapped.emit(data[0], data[1], meant)
