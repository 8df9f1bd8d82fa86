"""Fixtures: an app per database backend, a client, a logged-in helper, factories.

Every database test runs on SQLite, and on PostgreSQL when one answers at
$JIFEN_TEST_POSTGRES_URL (default: the local server's `test` database).
With JIFEN_NO_SKIP=1 (CI), a missing PostgreSQL or Chromium fails instead of skipping.
"""

from __future__ import annotations

import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from tests.factories import Factory
from tests.worlds.databases import POSTGRES_URL, postgres_problem, skip_or_fail
from tests.worlds.pages import Auth
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db, limiter

# The rules-engine fixtures (seed schemes, tallies) serve every capability's tests.
pytest_plugins = ("tests.rule_files", "tests.worlds.object_store")  # object_store: disk and loopback S3


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test run's own on the PostgreSQL server, so parallel runs never collide."""
    problem = postgres_problem()
    if problem:
        skip_or_fail(problem)
    name = f"jifen_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend_app(request, tmp_path_factory):
    """One app per backend for the whole session, with a fresh schema."""
    data = tmp_path_factory.mktemp(f"data-{request.param}")
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{data / 'test.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(data)})
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(backend_app):
    """The backend's app with empty tables and an app context pushed."""
    with backend_app.app_context():
        _empty_tables()
        limiter.reset()
        yield backend_app
        db.session.remove()


def _empty_tables() -> None:
    with db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())


class FreshContextClient(FlaskClient):
    """Each request runs in its own app context, as in production: g, the database session,
    the logged-in user and the locale never leak from one request (or the test body) to the next."""

    def open(self, *args, **kwargs):
        db.session.commit()  # what the test body wrote is visible to the request, as if committed
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def make(app) -> Factory:
    """Factories for towns, villages, households, users, schemes and entries."""
    return Factory()


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def admin_village(make, auth):
    """Village 油房 (YF) of town FS, its admin `yfadmin` logged in."""
    village = make.village(make.town(code="FS"), code="YF")
    make.user("village_admin", username="yfadmin", village_id=village.id)
    db.session.commit()
    auth.login("yfadmin")
    return village
