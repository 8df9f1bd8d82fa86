"""A grid worker's session on a phone (issue 15): it survives another user agent and another address
(webapp/web/guards.py), the phone can ask whether it is still logged in, and logging in again leads
back to 打分 (webapp/people/routes/auth.py)."""

from __future__ import annotations

import pytest

from tests.worlds.pages import csrf_token

PHONE_PAGE = "Mozilla/5.0 (Linux; Android 13; M2012K11AC) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
SERVICE_WORKER = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/121.0 Safari/537.36"


@pytest.fixture
def scorer(make):
    village = make.village()
    return make.user("scorer", "wanggeyuan", grid_id=make.grid(village).id)


def log_in(client, next_url: str | None = None, **environ):
    page = client.get("/login", environ_base=environ)
    return client.post("/login" + (f"?next={next_url}" if next_url else ""), environ_base=environ,
                       data={"username": "wanggeyuan", "password": "password123",
                             "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_a_request_with_another_user_agent_and_address_stays_logged_in(client, scorer):
    """The page logs in; the service worker (another user agent) and the phone on another cell (another
    address) are still the same logged-in worker."""
    phone = {"HTTP_USER_AGENT": PHONE_PAGE, "REMOTE_ADDR": "10.0.0.5"}
    assert log_in(client, **phone).status_code == 302
    assert client.get("/score", environ_base=phone).status_code == 200
    worker = {"HTTP_USER_AGENT": SERVICE_WORKER, "REMOTE_ADDR": "10.0.0.5"}
    assert client.get("/score", environ_base=worker).status_code == 200
    moved = {"HTTP_USER_AGENT": PHONE_PAGE, "REMOTE_ADDR": "172.16.3.9"}
    assert client.get("/score", environ_base=moved).status_code == 200
    assert client.get("/session", environ_base=worker).get_json()["user"] == scorer.id


def test_the_session_state_says_who_is_logged_in_with_a_current_token_never_cached(client, scorer):
    anonymous = client.get("/session")
    assert anonymous.status_code == 200 and anonymous.get_json()["user"] is None
    assert "no-store" in anonymous.headers["Cache-Control"]
    log_in(client)
    state = client.get("/session").get_json()
    assert state["user"] == scorer.id and state["csrf"]
    # The token is the session's: a device registration posted with it is accepted.
    answer = client.post("/api/v1/devices", json={"name": "test phone"}, headers={"X-CSRFToken": state["csrf"]})
    assert answer.status_code == 201


def test_logging_in_again_from_a_cached_scoring_page_returns_to_it(client, scorer):
    """重新登录 goes to the login page with next=/score; after the login, and for a browser that is
    already logged in, the answer leads back to /score; a logout asked for with next= keeps it."""
    answer = log_in(client, next_url="/score")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/score")
    assert client.get("/login?next=/score").headers["Location"].endswith("/score")
    assert client.get("/login?next=https://evil.example/").headers["Location"].endswith("/home")
    token = client.get("/session").get_json()["csrf"]
    logout = client.post("/logout?next=/score", data={"csrf_token": token})
    assert logout.status_code == 302 and logout.headers["Location"].endswith("/login?next=/score")
    assert client.get("/session").get_json()["user"] is None
