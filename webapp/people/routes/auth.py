"""Log in and out; and who the logged-in user of a session is."""

from __future__ import annotations

import hmac

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from webapp.extensions import db, limiter, login_manager
from webapp.people.models.user import User
from webapp.people.services import audit
from webapp.people.services.accounts import authenticate, demo_accounts
from webapp.people.services.household_login import wrong_pin_message
from webapp.web.htmx import render
from webapp.web.safe_redirect import safe_next

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The logged-in user of a session or a remember-me cookie (Flask-Login asks once per request).

    The cookie says "<id>:<session token>" (User.get_id); a token the user no longer holds (after a
    logout, a password change, deactivation or a revoked device) or an inactive user is nobody."""
    ident, _, token = (user_id or "").partition(":")
    if not ident.isdigit() or not token:
        return None
    user = db.session.get(User, int(ident))
    if user is None or not user.active or not user.session_token:
        return None
    return user if hmac.compare_digest(user.session_token, token) else None


class LoginForm(FlaskForm):
    username = StringField(validators=[DataRequired(), Length(max=64)])
    password = PasswordField(validators=[DataRequired(), Length(max=128)])
    remember = BooleanField(default=False)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _username_key() -> str:
    """Throttle per account as well as per address, so one IP cannot try many passwords on one user."""
    return "login:" + (request.form.get("username") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_username_key)
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.username.data.strip(), form.password.data)
        if user is None:
            wrong_pin = wrong_pin_message(form.username.data)  # a household is told whom to ask
            error = wrong_pin.translated() if wrong_pin else _("Wrong username or password.")
        else:
            login_user(user, remember=form.remember.data)
            audit.record(user.id, "auth.login", "user", user.id, device=request.user_agent.string[:100])
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    accounts = demo_accounts() if current_app.config.get("DEMO_MODE") else []
    status = 401 if error else 200
    return render("people/login.html", form=form, error=error, accounts=accounts, status=status)


@bp.get("/session")
def session_state():
    """Who this session's user is, and a CSRF token for it (JSON, never cached): a phone showing a
    cached page asks, to tell an expired login from a live one and to post with a current token."""
    user_id = current_user.id if current_user.is_authenticated else None
    response = current_app.json.response({"user": user_id, "csrf": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    logout_user()
    user.end_sessions()  # the old session cookie and any remember-me cookie, on every device, stop working
    audit.record(user.id, "auth.logout", "user", user.id)
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login", next=safe_next(request.args.get("next"))))  # 重新登录 on the phone
