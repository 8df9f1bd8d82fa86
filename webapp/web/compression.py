"""Compressed responses for every text type: the scoring page's budget is counted compressed
(≤ 60 KB on a first load, htmx included).

The `Date` header is the HTTP server's to write (gunicorn, werkzeug's server and nginx each add
one). Flask-Compress answers conditional requests through werkzeug's `make_conditional`, which adds
a second one (as `send_file` does); a browser joins the two ("Thu, …, Thu, …"), `Date.parse`
gives NaN and the phone's roster copy read from the cache broke on it (issue 15). The app sends
none."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from webapp.extensions import compress


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_STREAMS", False)  # its streaming path never closes the file
    app.after_request(_no_date)  # registered before Compress's hook, so it runs after it
    compress.init_app(app)
    app.after_request(_buffer_static)  # after_request hooks run in reverse: this one before Compress's


def _no_date(response: Response) -> Response:
    """Leave the `Date` header to the HTTP server, which always writes one: never two."""
    response.headers.pop("Date", None)
    return response


def _buffer_static(response: Response) -> Response:
    """Read a static text file into memory so it is compressed whole (the file is closed as usual)."""
    if request.endpoint == "static" and response.status_code == 200 and response.direct_passthrough \
            and response.mimetype in current_app.config.get("COMPRESS_MIMETYPES", ()):
        response.direct_passthrough = False
        response.make_sequence()
    return response
