"""Facts for /healthz."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db


def schema_revision() -> str | None:
    """The Alembic revision the database is at, or None if it was never migrated."""
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        db.session.rollback()
        return None
