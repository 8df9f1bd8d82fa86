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
    login_manager.session_protection = "strong"    # The user loader is the people capability's (webapp/people/routes/auth.py): plumbing knows no models.


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
