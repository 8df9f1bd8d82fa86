"""/healthz: a JSON answer for load balancers and monitors, with no login.

The head revision after a real `jifen db upgrade` is proven in tests/test_migrations.py
and tests/test_cli.py; here the tables come from create_all, as in the `app` fixture.
"""

from __future__ import annotations

from sqlalchemy import func, select

import webapp
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.web.health import schema_revision


def expected_database(app) -> str:
    """The backend named by the configured URL, not by the code under test."""
    return "postgresql" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else "sqlite"


def test_healthz_answers_200_json_with_status_version_database_and_revision(app, client):
    """Anyone may ask; the answer names the app version, the backend and the schema revision."""
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.get_json() == {
        "status": "ok",
        "version": webapp.__version__,
        "database": expected_database(app),
        "schema_revision": None,
        "database_reachable": True,
        "photo_store": "ok",
        "job_queue": {"oldest_waiting_seconds": None},
    }


def test_healthz_reports_no_revision_for_tables_made_without_migrations(app, client):
    """Tables made by create_all carry no alembic_version, so the revision is null, not an error."""
    assert client.get("/healthz").get_json()["schema_revision"] is None
    assert client.get("/healthz").get_json()["schema_revision"] is None  # asking twice is as good


def test_healthz_needs_no_login_and_sets_no_session(client):
    """A monitor without cookies gets the answer, and no session cookie is handed out."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_healthz_answers_only_get(client):
    """It is read-only: a POST is refused (405), not treated as a check."""
    assert client.post("/healthz").status_code == 405


def test_missing_revision_table_leaves_the_session_usable(app, make):
    """Looking for alembic_version and not finding it must not poison the session (PostgreSQL aborts
    the transaction on a failed statement): the next query still works."""
    village = make.village()
    make.user("village_admin", username="h1", village_id=village.id)
    db.session.commit()

    assert schema_revision() is None
    assert db.session.scalar(select(func.count(User.id))) == 1
