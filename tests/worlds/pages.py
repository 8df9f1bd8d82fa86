"""Driving the pages with a test client: the CSRF token of a form, logging in through the real login
form, posting a form, and a message as a Chinese page shows it."""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext

CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_RE.search(html) or re.compile(r'"X-CSRFToken": "([^"]+)"').search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Auth:
    """Log a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, username: str, password: str = "password123", follow: bool = False):
        page = self.client.get("/login")
        token = csrf_token(page.get_data(as_text=True))
        return self.client.post(
            "/login",
            data={"username": username, "password": password, "csrf_token": token},
            follow_redirects=follow,
        )

    def logout(self):
        page = self.client.get("/home")
        return self.client.post("/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def post(client, page_url: str, url: str, data: dict, **kwargs):
    """Open a page for its CSRF token, then post a form."""
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


def zh(msgid: str, **params) -> str:
    """A message as the Chinese page shows it (the msgid itself until it is translated)."""
    with force_locale("zh_CN"):
        return gettext(msgid, **params)
