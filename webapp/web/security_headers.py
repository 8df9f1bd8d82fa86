"""Security headers on every answer, and no `Server:` banner naming the software that serves it.

Pages: a Content-Security-Policy that Jifen's own files satisfy — scripts only from this site
(no inline script, no inline event handler, no eval: behaviour lives in webapp/static/…), no
framing (`frame-ancestors 'none'` and X-Frame-Options: DENY, so the counter and the admin pages
cannot be overlaid by another site), no plugins, forms posting only here. `style-src` allows
'unsafe-inline': the poster and the print pages compute their layout per page into style
attributes (columns, font size), which no nonce or hash can cover, and htmx adds its indicator
style element; a style cannot run code, and every value in those attributes is escaped.
`img-src` and `media-src` allow `blob:` (the scoring page previews a photo before it is sent) and
`data:`. JSON data islands (`<script type="application/json">`) are not executed, so the policy
does not concern them.

Every answer: X-Content-Type-Options: nosniff and Referrer-Policy: same-origin (a household's or
a list's address never leaks to another site). The policy is set on HTML only: a service worker
script would otherwise take the page policy as its own.

The banner: Werkzeug's development server and gunicorn both add `Server: …` after the app has
answered, so the app cannot take it off its response. For gunicorn, `init_app` patches its
response's default header lines when the app is loaded inside a gunicorn worker (gunicorn has no
setting for it). `jifen serve` and `jifen demo` both serve under gunicorn.
"""

from __future__ import annotations

import sys

from flask import Flask, Response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "media-src 'self' blob:; "
    "connect-src 'self'; "
    "worker-src 'self'; "
    "manifest-src 'self'; "
    "object-src 'none'; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
PAGES = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Frame-Options": "DENY"}


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)
    if "gunicorn" in sys.modules:
        hide_gunicorn_banner()


def add_security_headers(response: Response) -> Response:
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        for name, value in PAGES.items():
            response.headers.setdefault(name, value)
    response.headers.pop("Server", None)
    return response


def hide_gunicorn_banner() -> None:
    """gunicorn writes "Server: gunicorn" in every answer's first lines; leave that line out."""
    from gunicorn.http import wsgi

    if getattr(wsgi.Response.default_headers, "_bannerless", False):
        return
    original = wsgi.Response.default_headers

    def default_headers(self):
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers._bannerless = True  # type: ignore[attr-defined]
    wsgi.Response.default_headers = default_headers
