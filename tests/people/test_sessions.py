"""Sessions end on the server: after logout, a password change, deactivation or a revoked phone, neither the
old session cookie nor the remember-me cookie opens a page again."""

from __future__ import annotations

import pytest

from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.fieldwork.services.devices import register_device, revoke_device
from webapp.people.services.users import deactivate_user

COOKIES = ("session", "remember_token")


@pytest.fixture
def village_people(make):
    """A village with its admin and a grid worker who scores on a phone."""
    village = make.village()
    grid = make.grid(village)
    admin = make.user("village_admin", "cunweihui", village_id=village.id)
    scorer = make.user("scorer", "wanggeyuan", grid_id=grid.id)
    return {"village": village, "admin": admin, "scorer": scorer}


def log_in_remembered(client, username: str) -> dict[str, str]:
    """Log in with "remember me" ticked; the session and remember-me cookies the browser now holds."""
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"username": username, "password": "password123", "remember": "y",
                                         "csrf_token": csrf_token(page)})
    assert answer.status_code == 302
    return {name: client.get_cookie(name).value for name in COOKIES}


def opens(app, url: str, **cookies: str) -> bool:
    """Whether a browser holding only these cookies is let into the page (rather than sent to log in)."""
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser.get(url).status_code == 200


def test_the_old_session_cookie_opens_nothing_after_logout(app, client, village_people):
    """A copy of the session cookie works while logged in and is refused once the user logs out."""
    cookies = log_in_remembered(client, "cunweihui")
    assert opens(app, "/admin/audit", session=cookies["session"])
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/home").get_data(as_text=True))})
    assert not opens(app, "/admin/audit", session=cookies["session"])


def test_the_remember_me_cookie_alone_opens_nothing_after_logout(app, client, village_people):
    """The remember-me cookie alone logs the browser in until the user logs out; then it is refused."""
    cookies = log_in_remembered(client, "cunweihui")
    assert opens(app, "/admin/audit", remember_token=cookies["remember_token"])
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/home").get_data(as_text=True))})
    assert not opens(app, "/admin/audit", remember_token=cookies["remember_token"])


def test_logout_on_one_browser_ends_the_session_on_another(app, client, village_people):
    """Logging out ends every session of the user, not only the browser's own."""
    other = log_in_remembered(app.test_client(), "cunweihui")
    log_in_remembered(client, "cunweihui")
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/home").get_data(as_text=True))})
    assert not opens(app, "/admin/audit", **other)


def test_a_password_change_ends_the_sessions_opened_with_the_old_password(app, client, village_people):
    """After a new password is set, both cookies of the old login are refused."""
    cookies = log_in_remembered(client, "cunweihui")
    village_people["admin"].set_password("a-new-password-2026")
    db.session.commit()
    assert not opens(app, "/admin/audit", session=cookies["session"])
    assert not opens(app, "/admin/audit", remember_token=cookies["remember_token"])


def test_deactivating_an_account_ends_its_sessions_for_good(app, client, village_people):
    """A deactivated user's cookies are refused at once, and stay refused if the account is reactivated."""
    cookies = log_in_remembered(client, "cunweihui")
    deactivate_user(village_people["admin"])
    db.session.commit()
    assert not opens(app, "/admin/audit", session=cookies["session"])
    village_people["admin"].active = True
    db.session.commit()
    assert not opens(app, "/admin/audit", session=cookies["session"])
    assert not opens(app, "/admin/audit", remember_token=cookies["remember_token"])


def test_revoking_a_phone_ends_its_users_web_sessions(app, client, village_people):
    """When the admin revokes a grid worker's phone, the worker's browser sessions end too."""
    device, _token = register_device(village_people["scorer"], "红米")
    db.session.commit()
    cookies = log_in_remembered(client, "wanggeyuan")
    assert opens(app, "/home", **cookies)
    revoke_device(village_people["admin"], str(device.public_id))
    db.session.commit()
    assert not opens(app, "/home", session=cookies["session"])
    assert not opens(app, "/home", remember_token=cookies["remember_token"])


def test_a_new_login_after_logout_works(client, auth, village_people):
    """Ending the sessions does not lock the user out: logging in again opens the pages."""
    log_in_remembered(client, "cunweihui")
    auth.logout()
    assert auth.login("cunweihui").status_code == 302
    assert client.get("/admin/audit").status_code == 200
