"""A PostgreSQL cluster for the whole session, and a fresh hub database per test."""

from __future__ import annotations

import itertools

import pytest

from tests.pg import Cluster, remove, start_cluster

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = start_cluster()
    yield cluster
    remove(cluster)


@pytest.fixture
def hub_url(pg_cluster: Cluster) -> str:
    """An empty database on the session's cluster (a hub before `server init`)."""
    return pg_cluster.create_database(f"hub{next(_names)}")
