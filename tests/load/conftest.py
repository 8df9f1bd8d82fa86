"""The load tests' databases: an empty one of each backend per test, served by gunicorn."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.worlds.databases import throwaway_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    """An empty database of each backend, of this test's own."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jifen.db'}"
    else:
        with throwaway_postgres_database() as url:
            yield url
