"""Every page carries the security headers, and no answer names the software that serves it."""

from __future__ import annotations

import requests

from tests.worlds.route_walk import as_everyone, demo_town, rules, url_for_rule
from tests.worlds.server import production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.web.security_headers import CONTENT_SECURITY_POLICY


def missing_headers(response) -> list[str]:
    """The security headers an HTML answer lacks."""
    headers = response.headers
    wanted = {
        "Content-Security-Policy": "frame-ancestors 'none'" in headers.get("Content-Security-Policy", "")
        and "script-src 'self'" in headers.get("Content-Security-Policy", ""),
        "X-Frame-Options": headers.get("X-Frame-Options") == "DENY",
        "X-Content-Type-Options": headers.get("X-Content-Type-Options") == "nosniff",
        "Referrer-Policy": headers.get("Referrer-Policy") == "same-origin",
    }
    return [name for name, present in wanted.items() if not present]


def test_every_html_page_carries_the_security_headers_for_every_role(app, client):
    """Walking every GET route of the demo town, anonymous and as each role: no HTML answer lacks a header."""
    values = demo_town()
    urls = [url_for_rule(app, rule, values) for rule in rules(app)]
    pages, lacking = 0, []
    for who, _token in as_everyone(client):
        for url in urls:
            answer = client.get(url)
            assert answer.status_code < 500, (who, url)
            if answer.mimetype == "text/html":
                pages += 1
                if missing_headers(answer):
                    lacking.append((who, url, missing_headers(answer)))
            assert answer.headers.get("X-Content-Type-Options") == "nosniff", (who, url)
            assert "Server" not in answer.headers
    assert lacking == []
    assert pages >= 8 * 40, pages  # anonymous and seven roles over the app's pages (error pages included)


def test_the_policy_allows_no_inline_script_and_no_framing():
    """The policy names no inline script, no eval and no framing by any site."""
    assert "script-src 'self';" in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY and "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY.split("script-src")[1].split(";")[0]


def test_no_template_has_an_inline_script_or_event_handler():
    """Behaviour lives in static files: templates hold no <script> with code and no on…= attribute."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "webapp" / "templates"
    found = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and 'type="application/json"' not in tag:
                found.append((path.name, tag))
        found += [(path.name, m) for m in re.findall(r"\son[a-z]+=\"", text)]
    assert found == []


def test_the_production_server_sends_no_server_banner_and_the_headers(tmp_path):
    """Under gunicorn (4 workers) no answer has a Server header; a page has its policy, a JSON answer nosniff."""
    url = f"sqlite:///{tmp_path / 'jifen.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        db.create_all()
        db.session.commit()
        db.engine.dispose()
    with production_server(url, tmp_path) as base:
        answers = [requests.get(f"{base}{path}", timeout=10) for path in ("/login", "/healthz", "/nowhere", "/sw.js")]
    assert [a.headers.get("Server") for a in answers] == [None] * 4
    login = answers[0]
    assert login.status_code == 200 and missing_headers(login) == []
    assert all(a.headers.get("X-Content-Type-Options") == "nosniff" for a in answers)
    assert "Content-Security-Policy" not in answers[3].headers  # the service worker's own script
