"""The login throttle's shared counters (webapp/web/rate_limit_storage.py)."""

from __future__ import annotations

from pathlib import Path

from webapp.db import sqlite_module
from webapp.web.rate_limit_storage import DatabaseStorage


def test_counters_use_the_same_sqlite_library_as_the_app(tmp_path: Path):
    """Two SQLite libraries on one WAL file (the system's 3.40 has the WAL-reset race) let concurrent
    logins under several workers read a "malformed" database: the counters' engine must use the
    app's library."""
    storage = DatabaseStorage(database_url=f"sqlite:///{tmp_path / 'jifen.db'}")
    assert storage.engine.dialect.dbapi is sqlite_module()
