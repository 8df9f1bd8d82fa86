"""Fixtures: an app per database backend, a client, a logged-in helper, factories.

Every database test runs on SQLite, and on PostgreSQL when one answers at
$JIFEN_TEST_POSTGRES_URL (default: the local server's `test` database).
With JIFEN_NO_SKIP=1 (CI), a missing PostgreSQL or Chromium fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, make_url, text

from tests.factories import Factory
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db, limiter

# The rules-engine fixtures (seed schemes, tallies) serve every capability's tests.
pytest_plugins = ("tests.rule_files",)

POSTGRES_URL = os.environ.get(
    "JIFEN_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def skip_or_fail(reason: str) -> None:
    """Skip with a stated reason, or fail when CI demands every backend."""
    if os.environ.get("JIFEN_NO_SKIP") == "1":
        pytest.fail(f"required by JIFEN_NO_SKIP=1: {reason}")
    pytest.skip(reason)


def _postgres_problem() -> str | None:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}"
    return None


@pytest.fixture(scope="session")
def postgres_url():
    """A database of this test run's own on the PostgreSQL server, so parallel runs never collide."""
    problem = _postgres_problem()
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
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app) -> Factory:
    """Factories for towns, villages, households, users, schemes and entries."""
    return Factory()


CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html) or re.compile(r'"X-CSRFToken": "([^"]+)"').search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Auth:
    """Log a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = "password123", follow: bool = False):
        page = self.client.get("/login")
        token = csrf_token(page.get_data(as_text=True))
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=follow,
        )

    def logout(self):
        page = self.client.get("/home")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)
