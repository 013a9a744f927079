"""The fixture gives a real PostgreSQL server (no mock): a query runs on it."""

import psycopg


def test_real_postgres_answers(hub_url, pg_cluster):
    with psycopg.connect(hub_url) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()[0]
        assert int(version) >= 140000
        assert conn.execute("SELECT current_database()").fetchone()[0].startswith("hub")
    assert (pg_cluster.data / "PG_VERSION").exists()
