"""The offline app shell's files and their versioned URLs: what the service worker keeps, and the
content hashes that make a new release a new URL (the scoring routes serve the worker itself)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app, url_for

# What the service worker keeps for offline use: the app shell (as the pages link it) …
SHELL = (
    "css/app.css", "vendor/htmx-2.0.11/htmx.min.js", "vendor/idb-8.0.4/umd.js",
    "fieldwork/outbox.js", "fieldwork/sync.js", "fieldwork/camera.js", "fieldwork/scoring.js", "fieldwork/sw-register.js",
    "fieldwork/drafts.js", "fieldwork/forms.js", "fieldwork/event.js", "fieldwork/inspection.js", "fieldwork/pages.js",
    "web/page.js", "manifest.webmanifest", "icons/icon.svg", "icons/icon-192.png",
)  # (the 512 px icons are fetched by the browser when it installs the app, not needed offline)
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
