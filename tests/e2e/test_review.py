"""The review queue in a real browser: the demo reviewer on a 360×640 phone decides entries through
htmx, row by row, without a page load."""

from __future__ import annotations

from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot
from webapp.points.models.entry import Entry

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def status_of(db_session, row_id: str) -> str:
    db_session.rollback()  # a new read transaction: SQLite WAL would keep showing the last snapshot
    return db_session.scalar(select(Entry.status).where(Entry.id == int(row_id.split("-")[1])))


def test_the_demo_reviewer_approves_one_entry_and_rejects_another_with_a_reason(page, base, db_session):
    """Approve, a refused reject (a blank reason), then a reject with a reason: each row changes in place."""
    login(page, base, "review", password_of("review"))
    page.goto(f"{base}/review")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the review queue scrolls sideways at 360px"
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "review-360.png", full_page=False)
    page.evaluate("window.notReloaded = true")  # gone if anything loads the whole page

    approvable = page.locator("article[data-review-row]").filter(
        has=page.locator("form input[name=action][value=approve]")).first
    first_id = approvable.get_attribute("id")
    approvable.locator("form:has(input[value=approve]) button").click()
    approved = page.locator(f"#{first_id}")
    expect(approved.locator(".rq-outcome")).to_be_visible()
    expect(approved.locator("input[name=action]")).to_have_count(0)
    assert status_of(db_session, first_id) == "approved"

    rejectable = page.locator("article[data-review-row]").filter(
        has=page.locator("form input[name=action][value=reject]")).first
    second_id = rejectable.get_attribute("id")
    assert second_id != first_id
    row = page.locator(f"#{second_id}")
    row.locator("details:has(input[value=reject]) summary").click()
    row.locator("form:has(input[value=reject]) textarea").fill("   ")
    row.locator("form:has(input[value=reject]) button").click()
    expect(row.locator(".rq-error")).to_be_visible()  # 422: the reason, inside the row
    assert status_of(db_session, second_id) == "recorded"

    row.locator("details:has(input[value=reject]) summary").click()
    row.locator("form:has(input[value=reject]) textarea").fill("照片与事项不符")
    row.locator("form:has(input[value=reject]) button").click()
    expect(page.locator(f"#{second_id} .rq-outcome")).to_contain_text("照片与事项不符")
    assert status_of(db_session, second_id) == "rejected"

    assert page.evaluate("window.notReloaded === true"), "a decision loaded the whole page"
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the decided rows scroll sideways at 360px"
    page.locator(f"#{first_id}").scroll_into_view_if_needed()
    screenshot(page, "review-decided-360.png", full_page=False)


def test_filtering_the_queue_swaps_the_list_and_keeps_the_url(page, base):
    """Choosing a filter asks htmx for the list only, and the address bar keeps the filter."""
    login(page, base, "review", password_of("review"))
    page.goto(f"{base}/review")
    page.evaluate("window.notReloaded = true")
    page.select_option("select[name=item]", "inspection")
    expect(page).to_have_url(f"{base}/review?item=inspection")
    expect(page.locator("#queue-list")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")


def test_the_queue_fits_a_360px_phone_in_large_type(page, base):
    """Large type (20 px) for older reviewers: still nothing scrolls sideways."""
    login(page, base, "review", password_of("review"))
    page.context.add_cookies([{"name": "large_type", "value": "1", "url": base}])
    page.goto(f"{base}/review")
    expect(page.locator("html.large-type")).to_have_count(1)
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the review queue scrolls sideways at 360px in large type"
    page.locator("article[data-review-row] details.rq-decide summary").first.click()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "an open decision form scrolls sideways in large type"
    screenshot(page, "review-large-360.png", full_page=False)


def test_a_page_of_unflagged_entries_is_approved_after_one_confirmation(page, base):
    """The queue's batch button: a confirmation page that says how many, then the result page."""
    login(page, base, "review", password_of("review"))
    page.goto(f"{base}/review")
    with page.expect_navigation():
        page.locator("a[href*='/review/batch/page']").click()
    expect(page.locator("form[action*='/review/batch/page'] button.primary")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the batch confirmation scrolls sideways at 360px"
    screenshot(page, "review-batch-confirm-360.png", full_page=False)
    with page.expect_navigation():
        page.locator("form[action*='/review/batch/page'] button.primary").click()
    expect(page.locator("#batch-result")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the batch result scrolls sideways at 360px"
    screenshot(page, "review-batch-result-360.png")
    page.goto(f"{base}/review/meetings")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the meetings page scrolls sideways at 360px"
    screenshot(page, "review-meetings-360.png")
