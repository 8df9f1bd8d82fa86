"""Rate-limit counters every worker process shares: a small table in the app's own database.

Flask-Limiter counts through a `limits` storage; its memory storage counts per process, so with four
gunicorn workers a login throttle of 10 a minute let about 40 attempts through. This storage
(`jifen-database://`, registered with `limits` by its STORAGE_SCHEME) keeps the fixed-window counters
in the `rate_limit` table through an engine of its own, made from the database URL it is given.
One counter is one row, incremented by a single atomic upsert (INSERT … ON CONFLICT DO UPDATE …
RETURNING), so concurrent processes on SQLite (WAL, busy timeout) and PostgreSQL never lose a hit.

`configure(app)` chooses the storage before the limiter starts: JIFEN_RATELIMIT_STORAGE if set
(redis://… or memory://), otherwise this one on SQLALCHEMY_DATABASE_URI.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any, ClassVar

from flask import Flask
from limits.storage import Storage
from sqlalchemy import Column, Float, Integer, String, Table, case, create_engine, delete, exc, select
from sqlalchemy.dialects import postgresql, sqlite

from webapp.db import engine_options
from webapp.extensions import db

SCHEME = "jifen-database"
KEY_LENGTH = 200
SWEEP_EVERY = 60.0  # seconds between deletions of expired counters, per process

rate_limit = Table(
    "rate_limit", db.metadata,
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("hits", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),  # seconds since the epoch
)


def configure(app: Flask) -> None:
    """Point Flask-Limiter at the shared storage unless the configuration names one (call before init_app)."""
    if app.config.get("RATELIMIT_STORAGE_URI"):
        return
    app.config["RATELIMIT_STORAGE_URI"] = f"{SCHEME}://"
    options = dict(app.config.get("RATELIMIT_STORAGE_OPTIONS") or {})
    options.setdefault("database_url", app.config["SQLALCHEMY_DATABASE_URI"])
    app.config["RATELIMIT_STORAGE_OPTIONS"] = options


def _key(key: str) -> str:
    """Limiter keys hold what the client sent (a username): long ones are stored as their hash."""
    if len(key) <= KEY_LENGTH:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


class DatabaseStorage(Storage):
    """Fixed-window counters in the `rate_limit` table (Flask-Limiter's default strategy)."""

    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]  # how `limits` finds this class

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, *,
                 database_url: str | None = None, **options: Any) -> None:
        if not database_url:
            raise ValueError(f"{SCHEME}:// needs the database_url option")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        # The same SQLite library as the app's engine (webapp/db.py engine_options): two libraries on one
        # WAL file, one of them without the WAL-reset fix, made readers see a "malformed" database.
        self.engine = create_engine(database_url, **engine_options(database_url, {"pool_pre_ping": True}))
        self._insert = (postgresql if self.engine.dialect.name == "postgresql" else sqlite).insert
        self._swept_at = 0.0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add `amount` hits to the key's counter, starting a new window of `expiry` seconds if it has ended."""
        now = time.time()
        insert = self._insert(rate_limit).values(key=_key(key), hits=amount, expires_at=now + expiry)
        # A window that has ended starts again at this hit; a live one only counts it.
        current = rate_limit.c.expires_at > now
        upsert = insert.on_conflict_do_update(
            index_elements=[rate_limit.c.key],
            set_={
                "hits": case((current, rate_limit.c.hits + amount), else_=amount),
                "expires_at": case((current, rate_limit.c.expires_at), else_=now + expiry),
            },
        ).returning(rate_limit.c.hits)
        with self.engine.begin() as conn:
            hits = conn.execute(upsert).scalar_one()
        if now - self._swept_at > SWEEP_EVERY:
            self._sweep(now)
        return int(hits)

    def _sweep(self, now: float) -> None:
        self._swept_at = now
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limit).where(rate_limit.c.expires_at <= now))

    def get(self, key: str) -> int:
        with self.engine.connect() as conn:
            hits = conn.execute(select(rate_limit.c.hits).where(
                rate_limit.c.key == _key(key), rate_limit.c.expires_at > time.time())).scalar()
        return int(hits or 0)

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as conn:
            expires_at = conn.execute(select(rate_limit.c.expires_at).where(rate_limit.c.key == _key(key))).scalar()
        return float(expires_at) if expires_at and expires_at > time.time() else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(select(rate_limit.c.key).limit(1))
        except exc.SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as conn:
            return conn.execute(delete(rate_limit)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(rate_limit).where(rate_limit.c.key == _key(key)))
