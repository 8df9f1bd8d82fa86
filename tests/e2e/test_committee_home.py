"""The committee's to-do home and the close form on a phone (360×640, Chinese), in the demo village."""

from __future__ import annotations

from tests.worlds.browser import login, password_of, screenshot

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_committee_home_is_a_to_do_list_that_fits_a_phone(page, base):
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/home")
    todo = page.locator("div.todo li")
    assert todo.count() >= 1
    assert page.locator("div.todo li.todo-review a").count() == 1  # the demo's ~250 entries wait
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the home page scrolls sideways at 360px"
    screenshot(page, "home-todo-360.png")
    page.locator("div.todo li.todo-review a").click()
    page.wait_for_url("**/review**")


def test_the_close_form_defaults_to_the_period_just_ended(page, base):
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/home")
    page.goto(page.locator("div.todo a[href*='/admin/publications']").first.get_attribute("href")
              if page.locator("div.todo a[href*='/admin/publications?']").count() else f"{base}/admin/publications")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "publications-close-360.png")


def test_the_picker_states_the_rule_and_finds_a_household_as_one_types(page, base):
    """Close the demo's oldest month (nothing was recorded in it: the page asks first, and closes it on
    *Close anyway*); in its picker, type a household's code: it is found without a page load, beside the
    rule (10-15 示范户)."""
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/admin/publications")
    options = page.locator("select[name=period] option")
    page.select_option("select[name=period]", options.last.get_attribute("value"))
    page.locator("form[action$='/close'] button.primary").click()
    page.locator("#confirm-close").wait_for()
    screenshot(page, "publications-confirm-close-360.png")
    with page.expect_navigation():
        page.locator("#confirm-close button.primary").click()  # close anyway
    page.wait_for_url("**/admin/publications/*")
    picker = page.locator("#picker")
    assert "10–15" in picker.inner_text()
    assert page.locator("#picker input[name=model]").count() <= 20  # the proposals (none: no points), not 150
    page.fill("#picker input[name=q]", "YF0150")
    page.locator("#pick-results input[name=model]").first.wait_for()
    assert page.locator("#pick-results input[name=model]").count() == 1
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "publication-picker-360.png")
    picker.screenshot(path=str(screenshot(page, "publication-picker-card-360.png", full_page=False)))
