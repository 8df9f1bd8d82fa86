"""Error pages that answer HTML or JSON as the client wants, and roll back.

They roll back before rendering (a failed PostgreSQL transaction cannot even load the user the page
shows); the commit point (transaction.py) would roll an answer of 400 or more back anyway. Refusals
have their own handler there."""

from __future__ import annotations

from flask import Flask, jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.extensions import db
from webapp.web.htmx import render


def wants_json() -> bool:
    """API paths and clients that prefer JSON get JSON errors."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood."),
        403: _("You do not have permission to see this."),
        404: _("Not found."),
        405: _("This action is not allowed here."),
        413: _("The upload is too large."),
        429: _("Too many attempts. Please wait a minute and try again."),
        500: _("Something went wrong on the server. Nothing was saved."),
    }


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        message = _("The form expired or was sent from elsewhere. Please reload the page and try again.")
        return _answer(400, message)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        db.session.rollback()
        code = error.code or 500
        return _answer(code, _messages().get(code, error.name))

    @app.errorhandler(Exception)
    def server_error(error: Exception):  # type: ignore[no-untyped-def]
        db.session.rollback()
        if app.testing:  # let the test see the real traceback
            raise error
        app.logger.exception("unhandled error")
        return _answer(500, _messages()[500])


def _answer(code: int, message: str):  # type: ignore[no-untyped-def]
    if wants_json():
        return jsonify(error=message, status=code), code
    return render("error.html", status=code, code=code, message=message)
