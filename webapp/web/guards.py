"""Flask-Login settings and the role guards the routes use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webapp.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    # "basic", not "strong": Flask-Login's session identifier is a hash of the client's IP and user
    # agent. "strong" ends the session when it changes, and on a grid worker's phone it changes all
    # the time: the service worker may send another user agent than its page (so the precache of the
    # scoring pages never happened), and a phone moving between cells and Wi-Fi changes IP. "basic"
    # only marks such a session not fresh. What protects a stolen cookie instead: HTTPS-only,
    # HttpOnly cookies, and the server-side session token (a password change, a revoked device or
    # logging out ends every session of the user; webapp/people/routes/auth.py). docs/offline.md.
    login_manager.session_protection = "basic"
    # The user loader is the people capability's (webapp/people/routes/auth.py): plumbing knows no models.


def role_required(*role_names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Log-in required, and one of the roles (scope is checked per object by the services)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            held = {g.role for g in current_user.grants}
            if not held.intersection(role_names):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
