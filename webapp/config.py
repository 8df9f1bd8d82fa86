"""Configuration classes, read from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


def data_dir(instance_path: str) -> Path:
    """Where the database and photos live: $JIFEN_DATA_DIR, else the instance folder."""
    return Path(os.environ.get("JIFEN_DATA_DIR") or instance_path)


class Config:
    """Production defaults; every secret and location comes from the environment."""

    SECRET_KEY = os.environ.get("JIFEN_SECRET_KEY")
    # None means "SQLite file in the data directory", decided in create_app.
    SQLALCHEMY_DATABASE_URI = os.environ.get("JIFEN_DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("JIFEN_INSECURE_COOKIES") != "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None  # a form opened in the morning must still post at noon
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Shared by every worker process: None means the app's own database (a `rate_limit` table, see
    # webapp/web/rate_limit_storage.py); JIFEN_RATELIMIT_STORAGE may name Redis (redis://host:6379).
    RATELIMIT_STORAGE_URI = os.environ.get("JIFEN_RATELIMIT_STORAGE") or None
    LOGIN_RATE_LIMIT = "10 per minute; 30 per hour"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)  # and it ends at logout (User.session_token)
    DEMO_MODE = False
    TIMEZONE = "Asia/Shanghai"
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's method for new password hashes


class DemoConfig(Config):
    """`jifen demo`: plain http on localhost, demo accounts listed on the login page."""

    # Always the SQLite file in the data folder: the demo's published passwords must never
    # land in a real database named by JIFEN_DATABASE_URL.
    SQLALCHEMY_DATABASE_URI = None
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    DEMO_MODE = True


class TestConfig(Config):
    """Tests: a throwaway database, CSRF on (tests send the token), no secure cookies."""

    TESTING = True
    SECRET_KEY = "test-secret"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_STORAGE_URI = "memory://"
    # scrypt costs ~100 ms a hash and the suite makes over a thousand; never use this outside tests.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
