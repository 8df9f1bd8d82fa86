"""The county's databases: created when absent, and read back for a county built before (--no-build)."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, make_url, select, text

from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.points.models.entry import Entry


def describe(towns: int) -> dict:
    """What the measures need of a county built before (--no-build)."""
    villages = db.session.execute(select(Village.id, Village.code).order_by(Village.id)).all()
    return {"villages": [{"id": vid, "code": code} for vid, code in villages], "towns": towns}


def entry_count() -> int:
    return db.session.scalar(select(db.func.count()).select_from(Entry)) or 0


def ensure_database(url: str) -> None:
    """Create the database the URL names if it is absent (on the same server's `postgres` database)."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": target.database}).first():
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def add_missing_indexes() -> list[str]:
    """Create the models' indexes a county built earlier lacks (the schema moved on since): returns their names."""
    added = []
    with db.engine.begin() as conn:
        inspector = inspect(conn)
        for table in db.metadata.sorted_tables:
            present = {index["name"] for index in inspector.get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in present:
                    index.create(conn)
                    added.append(index.name)
    return added
