"""Databases for the tests: the PostgreSQL server the suite may use, throwaway databases on it,
and the head of the migration scripts."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, make_url, text

from webapp.app import MIGRATIONS

POSTGRES_URL = os.environ.get(
    "JIFEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def skip_or_fail(reason: str) -> None:
    """Skip with a stated reason, or fail when CI demands every backend."""
    if os.environ.get("JIFEN_NO_SKIP") == "1":
        pytest.fail(f"required by JIFEN_NO_SKIP=1: {reason}")
    pytest.skip(reason)


def postgres_problem() -> str | None:
    """Why the PostgreSQL server cannot be used, or None when it answers."""
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}"
    return None


def head_revision() -> str:
    """The single head of the migration scripts shipped in webapp/migrations."""
    config = AlembicConfig()
    config.set_main_option("script_location", MIGRATIONS)
    return ScriptDirectory.from_config(config).get_current_head()


@contextmanager
def throwaway_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; yields its URL and drops it afterwards."""
    problem = postgres_problem()
    if problem:
        skip_or_fail(problem)
    name = f"jifen_mig_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
