"""Compressed responses for every text type, in whichever encoding the browser accepts that comes
out smallest: the scoring page's first load is counted compressed (≤ 60 KB, precache included).

Flask-Compress orders its algorithms once (zstd first) and sends that one whatever it gives; on
these pages zstd at its default level is the largest of the three (htmx: zstd 17.9 KB, gzip
16.9 KB, brotli 15.3 KB). So every encoding the request accepts is tried and the smallest kept.
A response with a strong ETag (static files, the scoring stylesheet) is the same bytes every
time: it is compressed once per ETag and encoding, at the slow high levels, and memoised. A page
that a route marks with `prefer_small()` (the phone's pages, its roster) is compressed per request
at brotli's quality 10: a few milliseconds for 13 % fewer bytes on a village's mobile network.

The `Date` header is the HTTP server's to write (gunicorn, werkzeug's server and nginx each add
one). Answering a conditional request through werkzeug's `make_conditional` adds a second one (as
`send_file` does); a browser joins the two ("Thu, …, Thu, …"), `Date.parse` gives NaN and the
phone's roster copy read from the cache broke on it (issue 15). The app sends none."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Callable

import brotli
from flask import Flask, Response, current_app, g, request
from flask_compress.compat import compression as _compat

from webapp.extensions import compress

# Fast levels for a page rendered per request; slow, smaller ones for bytes that are memoised.
_FAST: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=5),
    "gzip": lambda data: gzip.compress(data, 6, mtime=0),
    "zstd": lambda data: _compat.zstd.compress(data, 3),
}
_SMALL: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=10),
    "gzip": lambda data: gzip.compress(data, 9, mtime=0),
    "zstd": lambda data: _compat.zstd.compress(data, 12),
}
_SMALLEST: dict[str, Callable[[bytes], bytes]] = {
    "br": lambda data: brotli.compress(data, quality=11),
    "gzip": lambda data: gzip.compress(data, 9, mtime=0),
    "zstd": lambda data: _compat.zstd.compress(data, 19),
}
MEMO_LIMIT = 512  # entries (a release's static files × encodings fit many times over)
_memo: dict[tuple[str, str, str], bytes] = {}
_memo_lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.config.setdefault("COMPRESS_STREAMS", False)  # a streamed answer goes out as it is
    app.config["COMPRESS_REGISTER"] = False  # this module chooses the encoding (see above)
    app.after_request(_no_date)  # registered before the compressing hook, so it runs after it
    compress.init_app(app)  # its defaults: the MIME types and the minimum size
    app.after_request(_compress)
    app.after_request(_buffer_static)  # after_request hooks run in reverse: this one before _compress


def prefer_small() -> None:
    """This request's answer is worth a few milliseconds of compression for fewer bytes."""
    g.jifen_prefer_small = True


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


def accepted(accept_encoding: str) -> list[str]:
    """The encodings of ours a request accepts (q=0 refuses one; `*` accepts them all)."""
    wanted: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                pass
        wanted[name.strip()] = quality
    return [name for name in _FAST if wanted.get(name, wanted.get("*", 0.0)) > 0]


def smallest(data: bytes, encodings: list[str], memo_key: str | None = None,
             small: bool = False) -> tuple[str, bytes]:
    """(encoding, bytes) of the smallest of `encodings`; memoised under `memo_key` when given."""
    best: tuple[str, bytes] | None = None
    for encoding in encodings:
        if memo_key is None:
            body = (_SMALL if small else _FAST)[encoding](data)
        else:
            key = (memo_key, encoding, str(len(data)))
            body = _memo.get(key)  # type: ignore[assignment]
            if body is None:
                body = _SMALLEST[encoding](data)
                with _memo_lock:
                    if len(_memo) >= MEMO_LIMIT:
                        _memo.clear()
                    _memo[key] = body
        if best is None or len(body) < len(best[1]):
            best = (encoding, body)
    assert best is not None
    return best


def _compress(response: Response) -> Response:
    """Compress a whole text answer in the accepted encoding that comes out smallest."""
    config = current_app.config
    if "accept-encoding" not in response.headers.get("Vary", "").lower():
        response.vary.add("Accept-Encoding")
    encodings = accepted(request.headers.get("Accept-Encoding", ""))
    if (not encodings or response.mimetype not in config["COMPRESS_MIMETYPES"]
            or not 200 <= response.status_code < 300 or response.status_code == 206 or response.is_streamed
            or "Content-Encoding" in response.headers):
        return response
    data = response.get_data()
    if len(data) < config["COMPRESS_MIN_SIZE"]:
        return response
    etag, weak = response.get_etag()
    encoding, body = smallest(data, encodings, memo_key=f"{request.path}|{etag}" if etag and not weak else None,
                              small=g.get("jifen_prefer_small", False))
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    # Ranges of the encoded bytes are not what a client would ask for; the file's name is no use.
    response.headers.pop("Accept-Ranges", None)
    response.headers.pop("Content-Disposition", None)
    if etag and not weak:
        response.set_etag(f"{etag}:{encoding}")
    if request.method in ("GET", "HEAD"):
        response.make_conditional(request)
    return response
