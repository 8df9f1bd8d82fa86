"""Compressed responses for every text type: the scoring page's budget is counted compressed
(≤ 60 KB on a first load, htmx included)."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from webapp.extensions import compress


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_STREAMS", False)  # its streaming path never closes the file
    compress.init_app(app)
    app.after_request(_buffer_static)  # after_request hooks run in reverse: this one before Compress's


def _buffer_static(response: Response) -> Response:
    """Read a static text file into memory so it is compressed whole (the file is closed as usual)."""
    if request.endpoint == "static" and response.status_code == 200 and response.direct_passthrough \
            and response.mimetype in current_app.config.get("COMPRESS_MIMETYPES", ()):
        response.direct_passthrough = False
        response.make_sequence()
    return response
