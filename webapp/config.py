"""Configuration classes, read from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


def load_env_file(path: str | os.PathLike[str] | None = None) -> str | None:
    """Read KEY=value lines from an env file into the environment (what is already set wins):
    `path`, else $JIFEN_ENV_FILE. Returns the file read, if any. docs/deployment.md shows one."""
    path = path or os.environ.get("JIFEN_ENV_FILE")
    if not path:
        return None
    from dotenv import load_dotenv

    if not Path(path).is_file():
        raise FileNotFoundError(f"env file not found: {path}")
    load_dotenv(path, override=False)
    return str(path)


load_env_file()  # before the classes below read the environment


def database_url() -> str | None:
    """$JIFEN_DATABASE_URL, else $DATABASE_URL (as PaaS hosts set it); postgres:// and postgresql://
    become postgresql+psycopg:// (the driver installed). None: the SQLite file in the data folder."""
    url = os.environ.get("JIFEN_DATABASE_URL") or os.environ.get("DATABASE_URL") or None
    if url:
        for scheme in ("postgres://", "postgresql://"):
            if url.startswith(scheme):
                return "postgresql+psycopg://" + url[len(scheme):]
    return url


def data_dir(instance_path: str) -> Path:
    """Where the database and photos live: $JIFEN_DATA_DIR, else the instance folder."""
    return Path(os.environ.get("JIFEN_DATA_DIR") or instance_path)


class Config:
    """Production defaults; every secret and location comes from the environment."""

    SECRET_KEY = os.environ.get("JIFEN_SECRET_KEY")
    # None means "SQLite file in the data directory", decided in create_app.
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")
    # Behind a reverse proxy (nginx): how many proxies set X-Forwarded-For/-Proto/-Host (werkzeug's
    # ProxyFix trusts that many hops), so the client's address and https are the real ones. 0: none.
    PROXY_HOPS = int(os.environ.get("JIFEN_PROXY_HOPS") or 0)
    # The public address printed in card and door-plate QR codes (https://jifen.example.cn/);
    # unset: the address the printing request came in on (webapp/web/public_url.py).
    PUBLIC_URL = os.environ.get("JIFEN_PUBLIC_URL") or None
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
    # Photos and attachments (docs/storage.md): JIFEN_STORAGE=disk (files under the data folder, the
    # default) or s3 (an S3-compatible bucket: MinIO, Aliyun OSS, Tencent COS). Either way the app
    # serves them after its access checks; JIFEN_S3_PRESIGNED=1 answers with a 60-second link instead.
    STORAGE = os.environ.get("JIFEN_STORAGE") or "disk"
    S3_ENDPOINT_URL = os.environ.get("JIFEN_S3_ENDPOINT_URL") or None
    S3_BUCKET = os.environ.get("JIFEN_S3_BUCKET") or None
    S3_REGION = os.environ.get("JIFEN_S3_REGION") or None
    S3_ACCESS_KEY_ID = os.environ.get("JIFEN_S3_ACCESS_KEY_ID") or None
    S3_SECRET_ACCESS_KEY = os.environ.get("JIFEN_S3_SECRET_ACCESS_KEY") or None
    S3_PREFIX = os.environ.get("JIFEN_S3_PREFIX") or ""
    S3_ADDRESSING_STYLE = os.environ.get("JIFEN_S3_ADDRESSING_STYLE") or "auto"  # path: MinIO; virtual: OSS, COS
    S3_SIGNATURE_VERSION = os.environ.get("JIFEN_S3_SIGNATURE_VERSION") or "s3v4"  # "s3" (V2) if a provider needs it
    S3_PRESIGNED = os.environ.get("JIFEN_S3_PRESIGNED") == "1"


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
    STORAGE = "disk"  # tests choose S3 themselves (tests/worlds/object_store.py), never from the environment
    S3_PRESIGNED = False
