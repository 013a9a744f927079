"""The database schema, built step by step with :class:`sqlite_utils.Migrations`.

Rules for adding a migration: write it as a function in a module of its own under
:mod:`roasterdesk.store.migrations` (named as the step), append it to ``STEPS`` below (never
edit a released one, never reorder), and bump ``SCHEMA_COMPAT`` only when an older RoasterDesk
could no longer read or write the file safely.
Each migration runs in one transaction together with its record in ``_sqlite_migrations``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from .migrations.m001_core import m001_core
from .migrations.m002_reference_defaults import m002_reference_defaults
from .migrations.m003_lot_sort_indexes import m003_lot_sort_indexes
from .migrations.m004_sync_ready import m004_sync_ready
from .migrations.m005_statement_facts import m005_statement_facts
from .migrations.m006_eudr_dds import m006_eudr_dds
from .migrations.m007_import_facts import m007_import_facts
from .migrations.m008_sync_hub_state import m008_sync_hub_state
from .migrations.m010_open_facts import m010_open_facts
from .migrations.m011_open_organic import m011_open_organic
from .migrations.m012_open_role import m012_open_role
from .migrations.m013_figures_again import m013_figures_again

if TYPE_CHECKING:
    from sqlite_utils import Database

MIGRATION_SET = "roasterdesk"
SCHEMA_COMPAT = 1
"""Stored as ``PRAGMA user_version``: a database with a higher number is refused."""

_F = TypeVar("_F", bound=Callable[..., Any])


class _Step(NamedTuple):
    name: str
    fn: Callable[..., Any]
    transactional: bool


class LazyMigrations:
    """The steps of a :class:`sqlite_utils.Migrations` set, registered the same way
    (``@migrations()``), but sqlite-utils is imported only when they are applied: opening an
    up-to-date database (every start of the app) does not pay for importing it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[_Step] = []

    def __call__(self, *, name: str | None = None,
                 transactional: bool = True) -> Callable[[_F], _F]:
        def inner(fn: _F) -> _F:
            step = name or fn.__name__
            if any(m.name == step for m in self._migrations):
                raise ValueError(f"Migration '{step}' is already registered in set '{self.name}'")
            self._migrations.append(_Step(step, fn, transactional))
            return fn

        return inner

    def apply(self, db: Database, *, stop_before: str | Iterable[str] | None = None) -> None:
        from sqlite_utils import Migrations

        real = Migrations(self.name)
        for m in self._migrations:
            real(name=m.name, transactional=m.transactional)(m.fn)
        real.apply(db, stop_before=stop_before)


migrations = LazyMigrations(MIGRATION_SET)

STEPS: tuple[Callable[..., Any], ...] = (
    m001_core,
    m002_reference_defaults,
    m003_lot_sort_indexes,
    m004_sync_ready,
    m008_sync_hub_state,
    m006_eudr_dds,
    m007_import_facts,
    m005_statement_facts,
    m010_open_facts,
    m011_open_organic,
    m012_open_role,
    m013_figures_again,
)
"""Every schema step, in the order it runs (the order released databases recorded them)."""

for _step in STEPS:
    migrations()(_step)


def known_migrations() -> list[str]:
    return [m.name for m in migrations._migrations]
