"""The offline app shell's files and their versioned URLs: what the service worker keeps, and the
content hashes that make a new release a new URL (the scoring routes serve the worker itself)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from flask import Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from markupsafe import Markup

# What the service worker keeps for offline use: the app shell (as the pages link it; not htmx,
# which the scoring pages do without: fieldwork/_layout.html) …
SHELL = (
    "css/app.css", "vendor/idb-8.0.4/umd.js",
    "fieldwork/outbox.js", "fieldwork/sync.js", "fieldwork/camera.js", "fieldwork/scoring.js", "fieldwork/sw-register.js",
    "fieldwork/drafts.js", "fieldwork/forms.js", "fieldwork/event.js", "fieldwork/inspection.js", "fieldwork/pages.js",
    "web/page.js", "manifest.webmanifest", "icons/icon.svg",
)  # (the PNG icons are fetched by the browser when it installs the app, not needed offline)
# Linked by base.html as they are (the release-named cache keeps them fresh).
UNVERSIONED = ("css/app.css", "vendor/htmx-2.0.11/htmx.min.js", "manifest.webmanifest", "icons/icon.svg",
               "icons/icon-192.png")


def asset_hashes() -> dict[str, str]:
    """Content hash of each shell file, and "" for the whole release (shell + templates)."""
    app = current_app
    cached = app.extensions.get("jifen_assets")
    if cached and not app.debug:
        return cached
    static = Path(app.static_folder or "")
    release = hashlib.sha256()
    hashes = {}
    for name in SHELL:
        digest = hashlib.sha256((static / name).read_bytes()).hexdigest()
        hashes[name] = digest[:12]
        release.update(f"{name}:{digest}\n".encode())
    for template in sorted((Path(app.root_path) / "templates" / "fieldwork").glob("*")):
        release.update(template.read_bytes())
    css = (Path(app.root_path) / "templates" / "fieldwork" / "scoring.css").read_bytes()
    hashes["scoring.css"] = hashlib.sha256(css).hexdigest()[:12]
    hashes[""] = release.hexdigest()[:16]
    app.extensions["jifen_assets"] = hashes
    return hashes


def asset_url(filename: str) -> str:
    """A static URL carrying its content hash (?v=…), so a new release is a new URL."""
    if filename in UNVERSIONED:
        return url_for("static", filename=filename)
    return url_for("static", filename=filename, v=asset_hashes().get(filename, ""))


def stylesheet_url() -> str:
    return url_for("scoring.stylesheet", v=asset_hashes()["scoring.css"])


def json_utf8(value: object) -> Markup:
    """JSON for a script file (not HTML): characters as UTF-8, 3 bytes each rather than a 6-byte escape."""
    return Markup(json.dumps(value, ensure_ascii=False, sort_keys=True))


def strings_script() -> str:
    """The scoring scripts' strings in the user's language, as a script (fieldwork/_strings.html)."""
    return render_template("fieldwork/_strings.html")


def strings_url() -> str:
    """/score/strings.js with the hash of its bytes in this language: cached once, not in every page."""
    app = current_app
    memo = app.extensions.setdefault("jifen_strings", {})
    locale = str(get_locale())
    if locale not in memo or app.debug:
        memo[locale] = hashlib.sha256(strings_script().encode()).hexdigest()[:12]
    return url_for("scoring.strings", v=memo[locale])


def cache_versioned(response: Response) -> Response:
    """A shell file asked for at its current ?v= never changes: the browser keeps it without asking
    again, so the service worker's precache of what the page just loaded comes from the HTTP cache."""
    version = request.args.get("v")
    if version and request.endpoint == "static" and response.status_code in (200, 304) \
            and version == asset_hashes().get((request.view_args or {}).get("filename", "")):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        response.headers.pop("Last-Modified", None)  # never asked again: its ETag is enough,
        response.set_etag(version)  # and the content hash is one (shorter than mtime-size-checksum)
    return response


def versioned(response: Response, digest: str, scope: str = "public") -> Response:
    """A generated shell file: kept for good when asked for at the hash of its bytes, else revalidated."""
    current = request.args.get("v") == digest
    response.headers["Cache-Control"] = f"{scope}, max-age=31536000, immutable" if current else "no-cache"
    response.set_etag(digest)
    return response.make_conditional(request)
