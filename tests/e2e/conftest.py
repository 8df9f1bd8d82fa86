"""Real-browser fixtures: a seeded demo server on a free port, headless Chromium, a 360×640 phone page.

The server and the browser start once per session (the demo seed takes a few seconds);
every test gets a fresh browser context, so cookies (login, language, large type) never leak.
With JIFEN_NO_SKIP=1 a missing Chromium or Playwright fails instead of skipping.
"""

from __future__ import annotations

import threading
import warnings
from datetime import date
from pathlib import Path

import pytest

from tests.worlds.browser import VIEWPORT
from tests.worlds.databases import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Every test in this folder needs a real browser."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_path() -> str:
    """Debian's Chromium, and Playwright to drive it; otherwise skip (or fail in CI)."""
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not available: {CHROMIUM} does not exist")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        skip_or_fail(f"Chromium not available: Playwright does not import ({exc})")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The demo app on a throwaway SQLite database, seeded once for the session."""
    from flask_migrate import upgrade

    from webapp.app import MIGRATIONS, create_app
    from webapp.config import DemoConfig
    from webapp.demo.seed import seed_demo
    from webapp.extensions import db

    tmp = tmp_path_factory.mktemp("e2e")
    app = create_app(DemoConfig, {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/e2e.db",
        "DATA_DIR": str(tmp),
        "SERVER_NAME": None,
        # Every test logs in through the real form from 127.0.0.1; the demo limit (10 a minute) would trip.
        "LOGIN_RATE_LIMIT": "1000 per minute",
    })
    with app.app_context():
        if (Path(MIGRATIONS) / "env.py").exists():
            with warnings.catch_warnings():
                # The stock Flask-Migrate env.py calls db.get_engine() first (deprecated in
                # Flask-SQLAlchemy 3.1); under filterwarnings=error that warning would abort the upgrade.
                warnings.filterwarnings("ignore", message="'get_engine' is deprecated", category=DeprecationWarning)
                upgrade()
        else:  # migrations not written yet: the models are the schema
            db.create_all()
        seed_demo(date.today())
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """The base URL of the demo app, served by werkzeug in a daemon thread."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def db_session(live_app):
    """The live app's database session, in an app context of the test thread (read-only use)."""
    from webapp.extensions import db

    with live_app.app_context():
        yield db.session
        db.session.remove()


@pytest.fixture(scope="session")
def browser(browser_path):
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=browser_path, headless=True, args=LAUNCH_ARGS)
    except Exception as exc:  # noqa: BLE001 - a browser that will not start is "not available"
        pw.stop()
        skip_or_fail(f"Chromium not available: it did not start ({type(exc).__name__}: {exc})")
    yield chromium
    chromium.close()
    pw.stop()


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized page (360×640, zh-CN) in its own context: no cookies from other tests."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN")
    context.set_default_timeout(5000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def base(live_server) -> str:
    return live_server


@pytest.fixture
def open_phone(browser, tmp_path):
    """Open a phone with a persistent profile (IndexedDB, caches, service worker, cookies kept on
    disk): calling it again with the same folder is the same phone after its browser was closed.
    Returns the context; its first tab is `context.pages[0]`.

    Background Sync is hidden from the pages: a service worker woken by it runs outside Playwright's
    offline emulation (the browser itself never lost its network), so it would upload while the test
    says "offline". The page's own triggers (open, online, visible, timer, button) are what is tested."""
    opened = []

    def open_(profile: Path | None = None, **options):
        context = browser.browser_type.launch_persistent_context(
            str(profile or tmp_path / "phone"), executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS,
            viewport=VIEWPORT, device_scale_factor=1, locale="zh-CN", **options,
        )
        context.set_default_timeout(15000)
        if not context.pages:
            context.new_page()
        opened.append(context)
        # No Background Sync registrations (see above): the page sees no SyncManager.
        context.add_init_script("Object.defineProperty(ServiceWorkerRegistration.prototype, 'sync', "
                                "{get() { return undefined; }, configurable: true})")
        return context

    yield open_
    for context in opened:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass
