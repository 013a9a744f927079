"""Page-flow helpers of the statement: a section that may start at a page foot only with its
first rows, never as a bare heading."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Table


class LeadIn(Flowable):  # type: ignore[misc]
    """A heading (and intro) with the table that follows, allowed to split inside the table.

    It starts on the current page only when the heading, the table's header row and its first
    ``rows`` data rows fit there; otherwise the whole section moves to the next page. A table
    that fits stays whole; a longer one splits by rows (its header repeats), so a statement
    needs no more pages than its content does, and no heading is left alone at a page foot.
    """

    def __init__(self, content: list[Flowable], *, rows: int = 1) -> None:
        super().__init__()
        self.content = [x for f in content
                        for x in (f._content if isinstance(f, KeepTogether) else [f])]
        self.rows = rows
        self._need = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        total, need, seen_table = 0.0, 0.0, False
        for f in self.content:
            _, h = f.wrap(aw, ah)
            h += f.getSpaceBefore() + f.getSpaceAfter()
            total += h
            if seen_table:
                continue
            if isinstance(f, Table):
                seen_table = True
                heights: list[float] = list(f._rowHeights)
                lead = int(getattr(f, "repeatRows", 0) or 0) + self.rows
                need += sum(heights[:lead])
            else:
                need += h
        self._need = need
        self.width, self.height = aw, total
        return aw, 0xFFFFFF  # as KeepTogether: never drawn itself, the frame always splits it

    def split(self, aw: float, ah: float) -> list[Any]:
        self.wrap(aw, ah)
        return list(self.content) if ah >= self._need else []

    def draw(self) -> None:  # pragma: no cover - split, never drawn (see wrap)
        raise AssertionError("LeadIn is always split into its parts")
