"""Two laptops (two SQLite files) and a hub with one role per person, for the sync tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

from roasterdesk.services import sync
from roasterdesk.store import Store


def as_role(url: str, role: str) -> str:
    return url.replace("postgresql://postgres@", f"postgresql://{role}@")


@dataclass
class Laptop:
    path: Path
    url: str

    def open(self) -> Store:
        return Store.open(self.path)

    def sync(self) -> sync.SyncResult:
        with self.open() as store:
            return sync.sync(store, self.url)


def make_hub(url: str) -> None:
    sync.init_hub(url)
    for name, role in (("ana", "buyer"), ("ben", "buyer"), ("vic", "viewer")):
        sync.add_user(url, name, role, "pw")


def hub_count(url: str, sql: str, params: list[object] | None = None) -> int:
    with psycopg.connect(url) as conn:
        return int(conn.execute(sql, params or []).fetchone()[0])
