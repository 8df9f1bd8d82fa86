"""Database session setup that every capability relies on: SQLite's pragmas and its BEGIN.

PostgreSQL needs nothing here. The hooks are registered on SQLAlchemy's Engine class when this
module is imported (create_app imports it), so every engine the app or a test makes gets them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait rather than fail on a lock."""
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
        # The driver's own BEGIN is switched off: _sqlite_begin emits it (see there).
        dbapi_connection.isolation_level = None


# SQLite transactions, after SQLAlchemy's recipe (SQLite dialect docs, "Serializable isolation /
# Savepoints / Transactional DDL"). The driver's legacy mode begins a transaction only at the first
# INSERT/UPDATE/DELETE, so what a request read before writing was not part of its transaction; with
# the driver's BEGIN off, every transaction begins here instead. A transaction that must not lose a
# race (the store's redemption and stock writes) asks for BEGIN IMMEDIATE, the write lock at its
# start, with the execution option below; all others begin deferred, so reads are not serialized.
SQLITE_BEGIN_IMMEDIATE = "jifen_sqlite_begin_immediate"


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        immediate = conn.get_execution_options().get(SQLITE_BEGIN_IMMEDIATE)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
