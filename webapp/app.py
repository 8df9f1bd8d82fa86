"""The application factory."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask, request

from webapp import (
    db as _sqlite_setup,  # noqa: F401 - registers the SQLite connection and BEGIN hooks
    templating,
)
from webapp.capabilities import register_blueprints
from webapp.config import Config, data_dir
from webapp.extensions import babel, csrf, db, limiter, login_manager, migrate
from webapp.people.models.user import use_password_hash_method
from webapp.web import (
    bounded_input,
    compression,
    errors,
    guards,
    local_time,
    rate_limit_storage,
    security_headers,
    transaction,
)

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(config: type[Config] | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers."""
    app = Flask(__name__, instance_relative_config=True)
    bounded_input.init_app(app)  # first: the blueprints' <int:…> rules need its converter
    app.config.from_object(config or Config)
    if overrides:
        app.config.update(overrides)
    folder = Path(app.config.get("DATA_DIR") or data_dir(app.instance_path))
    folder.mkdir(parents=True, exist_ok=True)
    app.config["DATA_DIR"] = str(folder)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{folder / 'jifen.db'}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = _sqlite_setup.engine_options(  # SQLite: a WAL-safe driver
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _persistent_secret(folder)

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    csrf.init_app(app)
    rate_limit_storage.configure(app)  # the counters every worker shares, unless configured
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    # Tests choose a fast hash (TestConfig); the model is told, it never reads the app's config.
    use_password_hash_method(app.config["PASSWORD_HASH_METHOD"])

    security_headers.init_app(app)
    compression.init_app(app)
    guards.init_app(app)
    templating.init_app(app)
    local_time.init_app(app)  # the `localtime` filter: stored UTC shown in the villages' time zone
    errors.init_app(app)
    transaction.init_app(app)  # after compression: its after_request runs first, so it commits first
    register_blueprints(app)
    if app.config.get("PROXY_HOPS"):  # behind nginx: the client's address, scheme and host (docs/deployment.md)
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app


def _persistent_secret(folder: Path) -> str:
    """A demo or single-box install keeps its sessions across restarts without configuration."""
    path = folder / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _select_locale() -> str:
    """Chinese unless the user chose English (a cookie, so it works before login too).

    Outside a request (the command line) $JIFEN_LANG may choose."""
    import os

    from flask import current_app, has_request_context

    chosen = request.cookies.get("lang") if has_request_context() else os.environ.get("JIFEN_LANG")
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]
