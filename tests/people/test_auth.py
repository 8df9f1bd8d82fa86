"""Logging in: Chinese first, throttled, CSRF-protected, with safe cookies."""

from __future__ import annotations

from tests.worlds.pages import csrf_token
from webapp.config import Config


def test_login_page_is_in_chinese_by_default(client):
    """A new visitor sees Simplified Chinese."""
    page = client.get("/login").get_data(as_text=True)
    assert "登录" in page
    assert 'lang="zh-CN"' in page


def test_login_page_switches_to_english(client):
    """The language cookie chooses English."""
    page = client.get("/login")
    client.post("/prefs/language", data={"lang": "en", "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_user_logs_in_and_lands_on_their_home_page(make, auth, client):
    """Right credentials lead to the role's home page."""
    village = make.village()
    make.user("village_admin", username="admin1", village_id=village.id)
    response = auth.login("admin1")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/home")
    assert "村两委" in client.get("/home").get_data(as_text=True) or "你好" in client.get("/home").get_data(as_text=True)


def test_wrong_password_is_refused_with_a_message_in_chinese(make, auth):
    """A wrong password answers 401 with a clear message, never which part was wrong."""
    village = make.village()
    make.user("village_admin", username="admin2", village_id=village.id)
    response = auth.login("admin2", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_login_without_csrf_token_is_refused(make, client):
    """Every form needs its CSRF token."""
    village = make.village()
    make.user("village_admin", username="admin3", village_id=village.id)
    response = client.post("/login", data={"username": "admin3", "password": "password123"})
    assert response.status_code == 400


def test_repeated_failed_logins_are_throttled(make, auth):
    """After ten attempts a minute, the login answers 429 even with the right password."""
    village = make.village()
    make.user("village_admin", username="admin4", village_id=village.id)
    for _ in range(10):
        assert auth.login("admin4", "nope-nope-nope").status_code == 401
    assert auth.login("admin4").status_code == 429


def test_session_cookie_is_httponly_samesite_and_secure_outside_demo():
    """Production cookies are Secure; all are HttpOnly and SameSite=Lax."""
    assert Config.SESSION_COOKIE_HTTPONLY is True
    assert Config.SESSION_COOKIE_SAMESITE == "Lax"
    assert Config.SESSION_COOKIE_SECURE is True
    assert Config.REMEMBER_COOKIE_SECURE is True


def test_session_cookie_flags_are_sent(make, auth):
    """The session cookie travels HttpOnly with SameSite=Lax."""
    village = make.village()
    make.user("village_admin", username="admin5", village_id=village.id)
    response = auth.login("admin5")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_demo_accounts_are_listed_only_in_demo_mode(app, make, client, monkeypatch):
    """Outside demo mode the login page never shows any password."""
    village = make.village()
    make.user("village_admin", username="admin", password="demo-admin-2026", village_id=village.id)
    assert "demo-admin-2026" not in client.get("/login").get_data(as_text=True)
    monkeypatch.setitem(app.config, "DEMO_MODE", True)
    assert "demo-admin-2026" in client.get("/login").get_data(as_text=True)


def test_open_redirect_after_login_is_ignored(make, client):
    """`next` may only point inside the site."""
    village = make.village()
    make.user("village_admin", username="admin6", village_id=village.id)
    page = client.get("/login?next=https://evil.example/")
    response = client.post("/login?next=https://evil.example/", data={
        "username": "admin6", "password": "password123", "csrf_token": csrf_token(page.get_data(as_text=True)),
    })
    assert response.headers["Location"].endswith("/home")


def test_logged_out_user_is_sent_to_login(client):
    """Pages behind login redirect to the login page."""
    response = client.get("/households")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
