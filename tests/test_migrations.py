"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

Each test migrates a database of its own: a fresh SQLite file, or a throwaway
PostgreSQL database (`jifen_mig_<random>`) created next to `test` and dropped afterwards,
so nothing clashes with the tables of the other tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests.worlds.databases import head_revision, throwaway_postgres_database
from webapp.app import MIGRATIONS, create_app
from webapp.config import TestConfig
from webapp.extensions import db


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path) -> Iterator[str]:
    """The URL of an empty database of each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        with throwaway_postgres_database() as url:
            yield url


@pytest.fixture
def migrated_app(tmp_path):
    """Build an app on a given URL; its engine is disposed at the end (so the database can be dropped)."""
    apps = []

    def build(url: str):
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(tmp_path / "data")})
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def schema_differences() -> list:
    """What autogenerate would write to turn the database into the models' schema (types and defaults too)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, db.metadata)


def current_revision() -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def test_migrations_have_a_single_head():
    """The scripts form one line of history: `jifen db upgrade` has one head to go to."""
    config = AlembicConfig()
    config.set_main_option("script_location", MIGRATIONS)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrading_an_empty_database_produces_exactly_the_models_schema(empty_database, migrated_app):
    """Upgrade to head, then autogenerate finds nothing to add, drop or alter."""
    app = migrated_app(empty_database)
    with app.app_context():
        upgrade()
        assert schema_differences() == []
        assert current_revision() == head_revision()


def test_healthz_reports_the_head_revision_after_an_upgrade(empty_database, migrated_app):
    """A migrated database answers /healthz with the head revision and its backend."""
    app = migrated_app(empty_database)
    with app.app_context():
        upgrade()
    body = app.test_client().get("/healthz").get_json()
    assert body["schema_revision"] == head_revision()
    assert body["database"] == ("sqlite" if empty_database.startswith("sqlite") else "postgresql")


def test_sqlite_downgrades_to_base_and_upgrades_again(tmp_path, migrated_app):
    """Downgrade to base leaves no model table behind; upgrading again restores the exact schema."""
    app = migrated_app(f"sqlite:///{tmp_path / 'roundtrip.db'}")
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        assert current_revision() is None

        upgrade()
        assert schema_differences() == []
        assert current_revision() == head_revision()
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())


def test_upgrading_twice_is_harmless(tmp_path, migrated_app):
    """`jifen db upgrade` on a database already at head changes nothing."""
    app = migrated_app(f"sqlite:///{tmp_path / 'twice.db'}")
    with app.app_context():
        upgrade()
        upgrade()
        assert schema_differences() == []
        assert current_revision() == head_revision()
