"""Compressed answers carry one `Date` header, written by the HTTP server (issue 15).

Flask-Compress answers conditional requests through werkzeug's `make_conditional`, which adds a
`Date`; the HTTP server adds its own. A browser joins the two into one value that `Date.parse`
cannot read, and the phone's roster copy read from the cache broke on it. Counted on the raw
wire (http.client keeps repeated headers apart), under gunicorn as `jifen serve` runs it and under
werkzeug's server (`flask run`, the browser tests)."""

from __future__ import annotations

import http.client
import threading
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest

from tests.worlds.server import production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db

COMPRESSED = ("/login", "/static/fieldwork/sync.js", "/sw.js")


def date_headers(base: str, path: str) -> tuple[str | None, list[str]]:
    """(Content-Encoding, every Date header) of a GET that accepts gzip and brotli, read off the wire."""
    url = urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip, deflate, br"})
        answer = connection.getresponse()
        answer.read()
        return answer.getheader("Content-Encoding"), [v for k, v in answer.getheaders() if k.lower() == "date"]
    finally:
        connection.close()


def empty_database(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'jifen.db'}"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(tmp_path)})
    with app.app_context():
        db.create_all()
        db.session.commit()
        db.engine.dispose()
    return url


@contextmanager
def werkzeug_server(tmp_path):
    from werkzeug.serving import make_server

    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": empty_database(tmp_path), "DATA_DIR": str(tmp_path)})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_the_app_leaves_the_date_header_to_the_http_server(client):
    """A compressed page, a compressed static file and an uncompressed one: the app itself writes no Date."""
    for path in COMPRESSED:
        with client.get(path, headers={"Accept-Encoding": "gzip"}) as answer:
            assert answer.status_code == 200 and answer.headers.get("Content-Encoding") == "gzip", path
            assert answer.headers.getlist("Date") == [], path
    with client.get("/static/icons/icon-192.png") as answer:
        assert answer.status_code == 200 and answer.headers.getlist("Date") == []


@pytest.mark.parametrize("path", COMPRESSED)
def test_a_compressed_answer_from_werkzeugs_server_carries_exactly_one_date(tmp_path, path):
    with werkzeug_server(tmp_path) as base:
        encoding, dates = date_headers(base, path)
    assert encoding in ("gzip", "br")
    assert len(dates) == 1 and parsedate_to_datetime(dates[0]) is not None


def test_a_compressed_answer_from_the_production_server_carries_exactly_one_date(tmp_path):
    """Under `jifen serve` (gunicorn): pages, scripts and the service worker, compressed, one readable Date each."""
    url = empty_database(tmp_path)
    with production_server(url, tmp_path, workers=1) as base:
        answers = {path: date_headers(base, path) for path in COMPRESSED}
    for path, (encoding, dates) in answers.items():
        assert encoding in ("gzip", "br"), path
        assert len(dates) == 1, (path, dates)
        assert parsedate_to_datetime(dates[0]) is not None
