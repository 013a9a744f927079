"""Search and counts across record kinds."""

from __future__ import annotations

from dataclasses import dataclass

from .base import StoreBase
from .kinds import TABLES
from .sql import fts_query


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "producer" | "visit" | "lot"
    id: int
    title: str
    snippet: str


class SearchQueries(StoreBase):
    """Part of :class:`~roasterdesk.store.store.Store` (a mixin: ``self`` is the store)."""

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Full-text search over producer names, lot codes and visit notes (prefix match)."""
        query = fts_query(text)
        if not query:
            return []
        hits: list[SearchHit] = []
        specs = (
            ("producer", "producers_fts", "producers", "p.name", "p.region"),
            ("lot", "lots_fts", "lots", "p.code", "p.name"),
            ("visit", "visits_fts", "visits", "p.date",
             "snippet(visits_fts, 0, '[', ']', '…', 12)"),
        )
        for kind, fts, table, title, snip in specs:
            sql = (
                f"SELECT p.id, {title}, {snip} FROM {fts} JOIN {table} p ON p.id = {fts}.rowid "
                f"WHERE {fts} MATCH ? AND p.deleted_at IS NULL ORDER BY rank LIMIT ?"
            )
            for id_, t, s in self.db.execute(sql, [query, limit]):
                hits.append(SearchHit(kind, id_, str(t), str(s or "")))
        return hits

    def counts(self) -> dict[str, int]:
        """Live records per table (tombstones left out)."""
        tables = [t.name for t in TABLES.values() if t.counted]
        return {t: self.db.execute(f"SELECT count(*) FROM {t} WHERE deleted_at IS NULL"
                                   ).fetchone()[0] for t in tables}

    # -- lookups for pickers and lists: plain rows, no domain objects ------------------------
