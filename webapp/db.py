"""Database session setup that every capability relies on: SQLite's driver, pragmas and BEGIN.

PostgreSQL needs nothing here. The hooks are registered on SQLAlchemy's Engine and Pool classes
when this module is imported (create_app imports it), so every engine the app or a test makes
gets them. docs/sqlite.md explains the policy and the measurements behind it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from types import ModuleType
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

# The SQLite library WAL needs when several processes write: 3.51.3 fixed the WAL-reset race
# (a checkpoint racing a commit could lose committed writes), present since 3.7.0; 3.44.6 and
# 3.50.7 have the fix backported. Python's own sqlite3 is linked to the system's library
# (3.40.1 on Debian 12), so a deployment uses pysqlite3, whose wheels bundle a fixed one.
FIXED_SQLITE = ((3, 51, 3), (3, 50, 7), (3, 44, 6))
BUSY_TIMEOUT_MS = 20_000  # a write waits its turn this long before the request fails
QUEUE_SECONDS = 10.0  # how long a writer queues on the lock file before asking SQLite itself


def wal_safe(version: tuple[int, ...]) -> bool:
    """Whether this SQLite version has the WAL-reset fix (3.51.3 on, or a backport)."""
    version = tuple(version[:3])
    return version >= FIXED_SQLITE[0] or any(fixed <= version < (fixed[0], fixed[1] + 1)
                                             for fixed in FIXED_SQLITE[1:])


def sqlite_module() -> ModuleType:
    """The DB-API module for SQLite: pysqlite3 when installed with a WAL-safe library, else sqlite3."""
    try:
        from pysqlite3 import dbapi2  # type: ignore[import-not-found]
    except ImportError:
        return sqlite3.dbapi2
    return dbapi2 if wal_safe(dbapi2.sqlite_version_info) else sqlite3.dbapi2


def engine_options(uri: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The engine options for a database URL: SQLite files get the WAL-safe driver (sqlite_module)."""
    options = dict(options or {})
    if uri.startswith("sqlite") and "module" not in options:
        options["module"] = sqlite_module()
    return options


def _is_sqlite(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.split(".")[0] in ("sqlite3", "pysqlite3")


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait rather than fail on a lock."""
    if _is_sqlite(dbapi_connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()
        # The driver's own BEGIN is switched off: _sqlite_begin emits it (see there).
        dbapi_connection.isolation_level = None


# SQLite transactions, after SQLAlchemy's recipe (SQLite dialect docs, "Serializable isolation /
# Savepoints / Transactional DDL"), with one rule added: every transaction that writes takes the
# write lock at its BEGIN (BEGIN IMMEDIATE). A transaction begins deferred, so reads are never
# serialized; its first write (INSERT, UPDATE, DELETE, SAVEPOINT, DDL) ends that read-only
# transaction and begins IMMEDIATE on the same connection, waiting its turn. A deferred
# transaction that wrote itself would fail at once with "database is locked" whenever another
# process committed since it began reading (in WAL mode a reader cannot upgrade a stale
# snapshot), and the request would lose its write. What was read before the first write may
# thus be older than the write, as on PostgreSQL (READ COMMITTED): a write that must decide on
# what it reads under the lock asks for the lock before reading, with the execution option below
# (the store: store/services/scope.py) or take_write_lock (a review decision).
SQLITE_BEGIN_IMMEDIATE = "jifen_sqlite_begin_immediate"
_STATE = "jifen_sqlite_transaction"  # in the connection record's info: "read" or "write"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "SAVEPOINT", "CREATE", "DROP", "ALTER")


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    if conn.dialect.name == "sqlite":
        if conn.get_execution_options().get(SQLITE_BEGIN_IMMEDIATE):
            _begin_writing(conn)
        else:
            conn.exec_driver_sql("BEGIN")
            conn.info[_STATE] = "read"


@event.listens_for(Engine, "before_cursor_execute")
def _first_write_takes_the_lock(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                                executemany: bool) -> None:
    if conn.info.get(_STATE) == "read" and conn.dialect.name == "sqlite" \
            and statement.lstrip()[:9].upper().startswith(_WRITES):
        conn.connection.dbapi_connection.execute("COMMIT")  # the read-only part: nothing to lose
        conn.info[_STATE] = None
        _begin_writing(conn)


def take_write_lock(connection: Any) -> None:
    """Hold SQLite's write lock from now until the transaction ends, so that what is read next is
    read under it (a no-op when the transaction already writes, and on PostgreSQL, where the caller
    locks the rows it decides on with FOR UPDATE)."""
    if connection.dialect.name == "sqlite" and connection.info.get(_STATE) == "read":
        connection.connection.dbapi_connection.execute("COMMIT")
        connection.info[_STATE] = None
        _begin_writing(connection)


def _begin_writing(conn: Any) -> None:
    database = conn.engine.url.database
    if database not in (None, "", ":memory:") and not database.startswith("file:"):
        _queue(conn.info, f"{database}.write-lock")
    conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE")
    conn.info[_STATE] = "write"


@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _transaction_ended(conn: Any) -> None:
    conn.info.pop(_STATE, None)
    _leave(conn.info)  # just before the driver's COMMIT: the next writer's first try may wait a ms


# SQLite's own wait for the lock sleeps longer and longer (1, 2, 5 … 100 ms), so under contention
# the lock often sits free while every waiter sleeps. Writers first queue on a lock file beside
# the database, polling it every millisecond, then take SQLite's lock at once. One file per
# database, opened once per thread (a lock is held by an open file, so threads and processes
# queue alike); released when the connection goes back to the pool, after its COMMIT or ROLLBACK.
# A writer that waited QUEUE_SECONDS goes on to SQLite's own wait (busy_timeout), so a lock file
# held by a stuck transaction never blocks forever.
_lock_files = threading.local()
_HELD = "jifen_write_lock_file"


def _queue(info: dict[str, Any], path: str) -> None:
    if _HELD in info:
        return
    files = _lock_files.__dict__.setdefault("files", {})
    if path not in files:
        files[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + QUEUE_SECONDS
    while True:
        try:
            fcntl.flock(files[path], fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() > deadline:
                return
            time.sleep(0.001)
        else:
            info[_HELD] = files[path]
            return


@event.listens_for(Pool, "checkin")
def _leave_the_queue(_dbapi_connection: Any, record: Any) -> None:
    if record is not None:
        record.info.pop(_STATE, None)
        _leave(record.info)


def _leave(info: dict[str, Any]) -> None:
    if _HELD in info:
        fcntl.flock(info.pop(_HELD), fcntl.LOCK_UN)


@event.listens_for(Pool, "invalidate")
def _invalidated(_dbapi_connection: Any, record: Any, _exception: Any) -> None:
    _leave_the_queue(_dbapi_connection, record)
