"""The login throttle counts in one place for every worker process: under `jifen serve` with four workers
the 11th attempt on a username within a minute is refused, whichever worker answers it (the access log
shows several workers refusing)."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from tests.factories import Factory
from tests.worlds.pages import csrf_token
from tests.worlds.server import answers_by_worker, production_server
from webapp.app import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.people.services.users import create_user

ATTEMPTS = 24  # more than twice the limit of 10 a minute, within one minute


def prepare(url: str, data_dir: Path) -> None:
    """The schema (with the shared rate-limit table) and a village admin "cunweihui", committed."""
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": url, "DATA_DIR": str(data_dir)})
    with app.app_context():
        db.create_all()
        village = Factory().village()
        create_user("cunweihui", "password123", "village_admin", village_id=village.id)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def attempt(base: str, cookies: dict[str, str], token: str, password: str) -> int:
    """One login attempt on its own connection (Connection: close), so any of the workers may take it."""
    answer = requests.post(f"{base}/login", data={"username": "cunweihui", "password": password,
                                                  "csrf_token": token},
                           cookies=cookies, headers={"Connection": "close"}, allow_redirects=False, timeout=20)
    return answer.status_code


def test_the_eleventh_login_attempt_within_a_minute_is_refused_by_every_worker(database_url, tmp_path):
    """24 wrong passwords sent 6 at a time to 4 workers: exactly 10 are checked (401), the rest get 429,
    and then even the right password is refused."""
    prepare(database_url, tmp_path)
    with production_server(database_url, tmp_path, workers=4) as base:
        page = requests.get(f"{base}/login", timeout=20)
        token, cookies = csrf_token(page.text), page.cookies.get_dict()
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = Counter(pool.map(lambda _: attempt(base, cookies, token, "wrong-password"), range(ATTEMPTS)))
        assert answers == {401: 10, 429: ATTEMPTS - 10}
        assert attempt(base, cookies, token, "password123") == 429
    by_worker = answers_by_worker(tmp_path, "POST", "/login")
    assert sum(by_worker.values()) == ATTEMPTS + 1, by_worker  # every attempt is in the access log
    refusing = {worker for worker, status in by_worker if status == 429}
    assert len(refusing) >= 2, f"one worker refused them all, nothing shared is shown: {by_worker}"
