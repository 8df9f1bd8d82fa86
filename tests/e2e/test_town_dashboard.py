"""The town's dashboard on a 360×640 phone: the problems first, the village table scrolling inside its
card, the month × village trend drawn as SVG by the server, and nothing fetched from the internet."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.worlds.browser import login, password_of, screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_the_town_admin_reads_the_dashboard_and_its_chart_on_a_phone(page, base):
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))
    login(page, base, "town", password_of("town"))
    page.goto(f"{base}/town/dashboard")
    expect(page.locator("h1")).to_have_text("全镇调度看板")
    expect(page.locator("#problems h2")).to_have_text("请先关注")
    expect(page.locator("tr[data-village=YF] td").first).to_contain_text("油房村")
    chart = page.locator("#trend svg")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["height"] > 80
    assert page.locator("#trend svg rect").count() >= 12 + 2 * 12  # the town's bars, two villages' cells
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the dashboard scrolls sideways at 360px"
    page.locator("#trend").scroll_into_view_if_needed()
    screenshot(page, "town-dashboard-360.png")
    assert hosts == {urlparse(base).netloc}, f"fetched from elsewhere: {hosts}"
