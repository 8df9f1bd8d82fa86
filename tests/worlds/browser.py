"""What browser tests share besides their fixtures: the phone's viewport, logging in through the
real form, the demo passwords, and screenshots for a person to look at."""

from __future__ import annotations

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[1] / "e2e" / "screenshots"
VIEWPORT = {"width": 360, "height": 640}


def login(page, base: str, username: str, password: str) -> None:
    """Fill in the real login form and submit it; wait until the home page (or a redirect from it) loads."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button.primary")


def password_of(username: str) -> str:
    """The demo password of a demo username."""
    from webapp.demo.accounts import DEMO_ACCOUNTS

    return next(pw for _role, name, pw in DEMO_ACCOUNTS if name == username)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot under tests/e2e/screenshots/ (gitignored) for a human to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path
