"""The request's one commit point, and what a refusal that reaches the edge becomes.

Services change data and flush; they never commit (Indico's operations; docs/architecture.md).
Here, once the view has answered, the request's transaction is committed when the answer is a
success (status below 400) and rolled back otherwise, so a route that answers a refusal itself
with 422 writes nothing. The commit happens in after_request, before the response (a redirect
included) leaves the server. Store writes begin their own locked transaction inside the service
(store/services/scope.py); this commit is what ends it and releases the lock.

A Refusal that a route does not catch is answered here, after a rollback: 404 for NotFound; for
JSON clients a JSON error with the refusal's status; for htmx a 422 fragment with the message;
for a full page a flash and a redirect back to the page the form was on. A refused read (a GET
whose query names no real month or period) is a bad request: 400.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, flash, g, jsonify, redirect, request, session, url_for
from markupsafe import Markup
from werkzeug.exceptions import MethodNotAllowed, NotFound as NoRoute
from werkzeug.routing import MapAdapter, RequestRedirect

from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.web.errors import wants_json
from webapp.web.htmx import is_htmx, render
from webapp.web.safe_redirect import safe_next, same_site_path

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask) -> None:
    app.after_request(commit_or_roll_back)
    app.register_error_handler(Refusal, answer_refusal)


def commit_or_roll_back(response: Response) -> Response:
    """Commit what the request wrote if it succeeded; roll it back if not (or if it was refused)."""
    if not db.session.registry.has():  # the request never touched the database
        return response
    current = db.session()
    if response.status_code >= 400 or g.get("refused"):
        current.rollback()
    elif current.in_transaction():
        try:
            current.commit()
        except Exception:
            current.rollback()
            session.pop("_flashes", None)  # "saved" was not true after all; the error page says so
            raise
    return response


def discard() -> None:
    """Drop what a refused call flushed, for a route that answers the refusal itself and reads the
    data again to do so (the counter's panel, a review row, a form page at 422). The commit point
    would roll back anyway; this does it before the answer is rendered."""
    db.session.rollback()


def answer_refusal(error: Refusal):  # type: ignore[no-untyped-def]
    """Roll back, then tell the user why, in the form their request wants."""
    db.session.rollback()
    g.refused = True
    message = error.translated()
    status = error.status
    if not isinstance(error, NotFound) and request.method in READS:
        status = 400
    if wants_json():
        return jsonify(error=message, status=status), status
    if isinstance(error, NotFound) or request.method in READS:
        return render("error.html", status=status, code=status, message=message)
    if is_htmx():
        fragment = Markup('<p class="flash flash-error" role="alert">{}</p>').format(message)
        response = Response(fragment, status, mimetype="text/html")
        response.vary.add("HX-Request")
        return response
    flash(message, "error")
    return redirect(back_to_the_page())


def back_to_the_page() -> str:
    """Where a refused form goes back to: the form's own `next`, else the page it was posted from
    (the Referer, when it is this site), else the nearest page above the action's URL (so
    /store/stock/in?store=1 goes back to /store/stock?store=1), else the home page."""
    chosen = safe_next(request.form.get("next")) or same_site_path(request.referrer, request.host)
    if chosen:
        return chosen
    adapter = current_app.url_map.bind_to_environ(request.environ)
    query = request.query_string.decode("latin-1")
    parts = request.path.rstrip("/").split("/")
    while len(parts) > 1:
        path = "/".join(parts)
        if _shows_a_page(adapter, path):
            return request.script_root + (f"{path}?{query}" if query else path)
        parts.pop()
    return url_for("main.home")


def _shows_a_page(adapter: MapAdapter, path: str) -> bool:
    try:
        adapter.match(path, method="GET")
    except (RequestRedirect, NoRoute, MethodNotAllowed):
        return False
    return True
