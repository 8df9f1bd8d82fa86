"""Language and large type: cookies, so they work before login and on shared phones."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for

from webapp.web.safe_redirect import safe_next

bp = Blueprint("prefs", __name__, url_prefix="/prefs")

ONE_YEAR = 365 * 24 * 3600


def _back():
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.post("/language")
def language():
    lang = request.form.get("lang", "")
    if lang not in current_app.config["LANGUAGES"]:
        abort(400)
    response = _back()
    response.set_cookie("lang", lang, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response


@bp.post("/large-type")
def large_type():
    on = request.cookies.get("large_type") != "1"
    response = _back()
    response.set_cookie("large_type", "1" if on else "0", max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
