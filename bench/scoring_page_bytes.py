"""Bytes over the wire for the grid worker's scoring page (/score), compressed, as a phone sees them.

    python bench/scoring_page_bytes.py            # prints a Markdown table
    python bench/scoring_page_bytes.py --append   # … and appends it to docs/benchmarks.md

A seeded demo server runs in this process behind a byte-counting WSGI wrapper; headless Chromium
(/usr/bin/chromium) opens /score with a fresh persistent profile at 360×640, already logged in:

1. first load: the page and everything it pulls (CSS, scripts, strings, manifest and icons, the
   roster bootstrap, the device token, a first sync) plus the service worker's install (sw.js,
   its imported scripts, the precache of the shell, pages and bootstrap) — goal ≤ 60 KB (issue 16;
   asserted by tests/e2e/phone/test_first_load_bytes.py, which calls measure());
2. repeat load online: the page again (network first: the page and bootstrap are refetched);
3. repeat load offline: the page again with the network cut (all from the service worker).

Two views of the same traffic: what the server sent (status line, headers and body after
compression, counted in the WSGI wrapper: it includes the service worker's own requests) and what
Chromium reports for the page (CDP Network.loadingFinished encodedDataLength, the page target only).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import threading
import time
import warnings
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
GOAL_FIRST = 60 * 1024


class ByteCounter:
    """WSGI wrapper: bytes of status line, headers and body of every response, per path."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.rows: list[tuple[str, int, str]] = []

    def reset(self) -> list[tuple[str, int, str]]:
        with self.lock:
            rows, self.rows = self.rows, []
        return rows

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
        seen = {"head": 0, "encoding": ""}

        def counting_start(status, headers, exc_info=None):
            seen["head"] = len(f"HTTP/1.1 {status}\r\n") + sum(len(f"{k}: {v}\r\n") for k, v in headers) + 2
            seen["encoding"] = {k.lower(): v for k, v in headers}.get("content-encoding", "")
            return start_response(status, headers, exc_info)

        body = 0
        result = self.app(environ, counting_start)
        try:
            for chunk in result:
                body += len(chunk)
                yield chunk
        finally:
            if hasattr(result, "close"):
                result.close()
            with self.lock:
                self.rows.append((f"{environ['REQUEST_METHOD']} {path}", seen["head"] + body, seen["encoding"]))


def serve(data: Path):
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from webapp.app import MIGRATIONS, create_app
    from webapp.config import DemoConfig
    from webapp.demo.seed import seed_demo
    from webapp.extensions import db

    app = create_app(DemoConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{data}/jifen.db", "DATA_DIR": str(data),
                                  "SERVER_NAME": None, "LOGIN_RATE_LIMIT": "1000 per minute"})
    with app.app_context(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        upgrade(directory=MIGRATIONS)
        db.create_all()  # tables a migration may not create yet; a no-op otherwise
        seed_demo(date.today())
        db.session.commit()
    counter = ByteCounter(app.wsgi_app)
    app.wsgi_app = counter
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, counter


def settle(page, counter: ByteCounter, quiet: float = 1.5, limit: float = 30) -> None:
    """Wait until the server has seen no request for `quiet` seconds."""
    deadline = time.monotonic() + limit
    last = -1
    still_since = time.monotonic()
    while time.monotonic() < deadline:
        with counter.lock:
            n = len(counter.rows)
        if n != last:
            last, still_since = n, time.monotonic()
        elif time.monotonic() - still_since >= quiet:
            return
        page.wait_for_timeout(100)


def measure() -> dict:
    from playwright.sync_api import sync_playwright

    data = Path(tempfile.mkdtemp(prefix="jifen-bench-"))
    profile = Path(tempfile.mkdtemp(prefix="jifen-bench-phone-"))
    server, counter = serve(data)
    base = f"http://127.0.0.1:{server.server_port}"
    results: dict = {}
    try:
        with sync_playwright() as pw:
            context = pw.chromium.launch_persistent_context(
                str(profile), executable_path=CHROMIUM, headless=True, args=ARGS,
                viewport={"width": 360, "height": 640}, locale="zh-CN")
            context.set_default_timeout(30000)
            page = context.pages[0] if context.pages else context.new_page()
            # Log in without loading a page (the login page is not what is measured).
            login_page = context.request.get(f"{base}/login").text()
            token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login_page)[1]
            context.request.post(f"{base}/login", form={"username": "grid", "password": "demo-grid-2026",
                                                        "csrf_token": token}, max_redirects=0)
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            page_bytes: dict[str, int] = defaultdict(int)
            cdp.on("Network.loadingFinished", lambda e: page_bytes.__setitem__("sum", page_bytes["sum"] + int(e["encodedDataLength"])))

            def run(label: str, action) -> None:
                counter.reset()
                page_bytes.clear()
                action()
                settle(page, counter)
                rows = counter.reset()
                results[label] = {"server": sum(b for _r, b, _e in rows), "page": page_bytes.get("sum", 0),
                                  "requests": len(rows), "rows": rows}

            def first() -> None:
                page.goto(f"{base}/score")
                page.wait_for_selector("#scoring[data-ready='1']", state="attached")
                # Polled from outside: the page's CSP (script-src 'self') refuses wait_for_function's eval.
                deadline = time.monotonic() + 30
                while not page.evaluate("() => !!(navigator.serviceWorker.controller && "
                                        "document.documentElement.dataset.offlineReady)"):
                    if time.monotonic() > deadline:
                        raise TimeoutError("the service worker did not take the page offline-ready")
                    page.wait_for_timeout(100)

            run("first load", first)

            def again() -> None:
                page.reload()
                page.wait_for_selector("#scoring[data-ready='1']", state="attached")

            run("repeat load, online", again)
            context.set_offline(True)
            run("repeat load, offline", again)
            cdp.detach()
            context.close()
    finally:
        server.shutdown()
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)
    return results


def table(results: dict) -> str:
    lines = [
        "| load of /score | server sent (all requests, incl. service worker) | Chromium, page target (encodedDataLength) | requests | goal |",
        "|---|---|---|---|---|",
    ]
    goals = {"first load": "≤ 60 KB", "repeat load, online": "—", "repeat load, offline": "0 B"}
    for label, r in results.items():
        lines.append(f"| {label} | {r['server'] / 1024:.1f} KB ({r['server']:,} B) | {r['page'] / 1024:.1f} KB | "
                     f"{r['requests']} | {goals[label]} |")
    return "\n".join(lines)


def detail(results: dict) -> str:
    rows = sorted(results["first load"]["rows"], key=lambda r: -r[1])
    return "\n".join(f"    {b:>7,} B  {enc or 'identity':8} {req}" for req, b, enc in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--append", action="store_true", help="append the figures to docs/benchmarks.md")
    args = parser.parse_args()
    results = measure()
    print(table(results))
    print("\nfirst load, per request (server side):\n" + detail(results))
    first = results["first load"]["server"]
    print(f"\nfirst load {'within' if first <= GOAL_FIRST else 'OVER'} the 60 KB goal; "
          f"offline repeat load: {results['repeat load, offline']['server']} B reached the server")
    if args.append:
        section = (
            "\n## Scoring page bytes over the wire (`bench/scoring_page_bytes.py`)\n\n"
            "The grid worker's /score at 360×640 in headless Chromium, fresh profile, logged in; the demo "
            "server sends each answer in the accepted encoding that comes out smallest (webapp/web/compression.py). *Server sent* counts status line, headers and "
            "compressed body of every response, including the service worker's install (sw.js, its scripts, "
            "the precache of shell, pages and bootstrap), the bootstrap, the device token and the first sync. "
            "*Chromium* is the page target's encodedDataLength only.\n\n"
            "```sh\npython bench/scoring_page_bytes.py\n```\n\n" + table(results) + "\n\n"
            "First load, per request:\n\n```\n" + detail(results) + "\n```\n"
        )
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as f:
            f.write(section)


if __name__ == "__main__":
    main()
