"""Each answer goes out in the accepted encoding that comes out smallest (issue 16): Flask-Compress
alone sends zstd whenever it is accepted, and zstd at its default level is the largest here. Static
files are compressed once per content and encoding, at the slow levels, and memoised."""

from __future__ import annotations

import gzip
from pathlib import Path

import brotli
from flask_compress.compat import compression as compat

from webapp.web import compression
from webapp.web.compression import accepted, smallest

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
HTMX = "/static/vendor/htmx-2.0.11/htmx.min.js"


def decoded(body: bytes, encoding: str | None) -> bytes:
    return {"gzip": gzip.decompress, "br": brotli.decompress, "zstd": compat.zstd.decompress,
            None: lambda b: b}[encoding](body)


def test_gzip_is_chosen_when_it_is_smaller_than_zstd(client):
    """A page asked for with "zstd, gzip": gzip, the smaller here (Flask-Compress would send zstd)."""
    with client.get("/login", headers={"Accept-Encoding": "zstd, gzip"}) as answer:
        body = answer.get_data()
        assert answer.headers["Content-Encoding"] == "gzip"
    page = decoded(body, "gzip")
    assert len(body) <= len(compat.zstd.compress(page, 3))


def test_the_smallest_of_the_accepted_encodings_is_kept():
    page = (STATIC / "css" / "app.css").read_bytes()
    for encodings in (["gzip", "zstd"], ["br", "gzip", "zstd"], ["zstd"]):
        encoding, body = smallest(page, encodings)
        assert encoding in encodings and decoded(body, encoding) == page
        assert len(body) == min(len(smallest(page, [other])[1]) for other in encodings), encodings


def test_a_chromium_request_gets_brotli_for_the_phones_scripts_and_each_body_decodes(client):
    for path in (HTMX, "/static/fieldwork/sync.js", "/sw.js"):
        with client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}) as answer:
            assert answer.status_code == 200
            encoding = answer.headers["Content-Encoding"]
            body = decoded(answer.get_data(), encoding)
        assert encoding == "br", path
        assert "Accept-Ranges" not in answer.headers  # ranges of encoded bytes are not offered
        if path.startswith("/static/"):
            assert body == (STATIC / path.removeprefix("/static/")).read_bytes()


def test_a_static_file_is_compressed_once_and_revalidates_with_its_encoded_etag(client, monkeypatch):
    calls = []

    def counted(name, compress):  # type: ignore[no-untyped-def]
        return lambda data: calls.append(name) or compress(data)

    monkeypatch.setattr(compression, "_SMALLEST", {name: counted(name, f) for name, f in compression._SMALLEST.items()})
    compression._memo.clear()
    with client.get(HTMX, headers={"Accept-Encoding": "gzip, zstd"}) as first:
        etag, body = first.headers["ETag"], first.get_data()
    with client.get(HTMX, headers={"Accept-Encoding": "gzip, zstd"}) as second:
        assert second.get_data() == body
    assert sorted(calls) == ["gzip", "zstd"]  # once per encoding, not per request
    assert etag.endswith(':' + first.headers["Content-Encoding"] + '"')
    with client.get(HTMX, headers={"Accept-Encoding": "gzip, zstd", "If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.get_data() == b""


def test_accept_encoding_is_read_with_its_quality_factors():
    assert accepted("gzip, deflate, br, zstd") == ["br", "gzip", "zstd"]
    assert accepted("gzip;q=0, br") == ["br"]
    assert accepted("*") == ["br", "gzip", "zstd"]
    assert accepted("identity") == [] and accepted("") == []
