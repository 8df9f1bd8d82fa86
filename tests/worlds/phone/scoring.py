"""Driving the scoring pages on a 360×640 phone like a grid worker: open a page and wait for its
script, fill the forms, read the outbox and the drafts kept in IndexedDB."""

from __future__ import annotations

import io
import random
import time

from PIL import Image
from sqlalchemy import select

from tests.worlds.browser import screenshot
from webapp.people.models.geo import Grid
from webapp.people.models.household import Household
from webapp.people.models.user import User



def wait_js(page, expression: str, timeout: float = 20.0):
    """Poll a (possibly async) expression in the page until it is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for: {expression}")
        time.sleep(0.15)


def ready(page) -> None:
    """The page's script has read the outbox and the bootstrap (from IndexedDB or the network)."""
    page.wait_for_selector("#scoring[data-ready='1']", state="attached")


def go(page, url: str) -> None:
    page.goto(url)
    ready(page)


def jpeg(width: int = 800, height: int = 600) -> bytes:
    """A noisy photo (it compresses like a real one)."""
    rng = random.Random(7)
    image = Image.new("RGB", (width // 8, height // 8))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(image.width * image.height)])
    buffer = io.BytesIO()
    image.resize((width, height)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def outbox(page) -> list[dict]:
    return page.evaluate("Jifen.Outbox.list(Jifen.page.user)")


def draft(page, form: str, code: str):
    """The draft the phone keeps for this form and household (None once saved or discarded)."""
    return page.evaluate(f"Jifen.Outbox.meta('draft:' + Jifen.page.user + ':{form}:{code}')")


def pick(page, item: str) -> None:
    """Choose an item on the event form: open its category, tap it."""
    radio = page.locator(f"input[name=item][value='{item}']")
    page.locator("details.cat", has=radio).locator("summary").click()
    page.locator("label.pick", has=radio).click()


def grid_households(db_session) -> tuple[User, list[Household]]:
    """The demo grid worker and the households of the grid, by code."""
    user = db_session.scalar(select(User).where(User.username == "grid"))
    grid = db_session.get(Grid, user.grants[0].grid_id)
    households = db_session.scalars(select(Household).where(Household.grid_id == grid.id).order_by(Household.code)).all()
    return user, list(households)


def shot(page, name: str, full_page: bool = False) -> None:
    """A screenshot for a person to look at (under tests/e2e/screenshots/)."""
    screenshot(page, f"a2-{name}.png", full_page=full_page)
