"""The list system in a real phone-sized browser: a villager reads a list item and its one-map without
logging in, the chart fits a 360 px screen and prints as a booklet; the admin's desk shows overdue matters."""

from __future__ import annotations

import re

from tests.worlds.browser import login, password_of, screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# Every line of text in the chart, measured with the real font, lies inside the box it belongs to.
TEXT_OVERFLOW = """() => {
  const bad = [];
  for (const group of document.querySelectorAll('svg.flowchart g')) {
    const box = group.querySelector('rect');
    if (!box) continue;
    const b = box.getBBox();
    for (const t of group.querySelectorAll('text')) {
      const r = t.getBBox();
      if (r.x < b.x - 0.5 || r.x + r.width > b.x + b.width + 0.5) bad.push(t.textContent);
    }
  }
  return bad;
}"""
STEP_TOPS = """() => [...document.querySelectorAll('svg.flowchart g.step')].map(g => ({
  top: g.getBoundingClientRect().top,
  text: [...g.querySelectorAll('text.action')].map(t => t.textContent).join('')}))"""


def test_a_villager_reads_a_list_item_with_its_chart_on_a_phone(page, base):
    """No login: the village's lists, the services list, an item: the chart shows every step in order,
    in Chinese, within the 360 px screen, and no text leaves its box."""
    page.goto(f"{base}/v/YF/lists")
    expect(page.locator("h1")).to_contain_text("油房村")
    page.get_by_role("link", name=re.compile("服务群众事项清单")).click()
    page.get_by_role("link", name=re.compile("城乡居民基本养老保险参保登记")).click()
    expect(page.locator("h1")).to_have_text("城乡居民基本养老保险参保登记")
    chart = page.locator("svg.flowchart")
    expect(chart).to_be_visible()
    steps = page.evaluate(STEP_TOPS)
    assert [s["text"] for s in steps] == [
        "携带材料到村便民服务站提出申请", "审核材料，录入系统；材料不全的一次性告知", "审核并办理参保登记", "告知申请人办理结果"]
    assert [s["top"] for s in steps] == sorted(s["top"] for s in steps)
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert page.evaluate(TEXT_OVERFLOW) == []
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the item page scrolls sideways at 360px"
    screenshot(page, "lists-item-360.png")


def test_the_search_finds_an_item_as_the_villager_types(page, base):
    """Active search over the lists in force swaps in results without a full page load."""
    page.goto(f"{base}/v/YF/lists")
    page.fill("input[name=q]", "居住")
    expect(page.locator("#results")).to_contain_text("居住证明")
    assert "q=" in page.url
    assert page.evaluate(NO_HORIZONTAL_SCROLL)


def test_a_list_prints_as_a_booklet_one_item_per_a4_page(page, base):
    """The print view breaks before every item: the PDF has a cover page and at least one page per item."""
    page.goto(f"{base}/v/YF/lists/ZM/print")
    items = page.locator("article.booklet-page").count()
    assert items == 3
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('article.booklet-page')).breakBefore") == "page"
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1 + items
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, to look at the print layout
    screenshot(page, "lists-booklet-print.png")
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 360, "height": 640})
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the booklet scrolls sideways at 360px"
    screenshot(page, "lists-booklet-360.png")


def test_disclosures_are_public_and_the_service_desk_is_not(page, base):
    """The three-affairs archive reads without login; the desk log sends a visitor to the login page."""
    page.goto(f"{base}/v/YF/disclosures")
    expect(page.locator("main")).to_contain_text("财务收支公开")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "lists-disclosures-360.png")
    page.goto(f"{base}/admin/desk")
    assert "/login" in page.url


def test_the_village_admin_sees_overdue_matters_first_on_the_desk(page, base):
    """Logged in as the village admin: the desk log starts with the overdue matters, marked."""
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/admin/desk")
    first = page.locator("#results li.matter").first
    expect(first).to_have_class(re.compile("overdue"))
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the desk scrolls sideways at 360px"
    screenshot(page, "lists-desk-360.png")


def test_the_admin_pages_of_the_lists_fit_a_phone(page, base):
    """The village admin's lists, a list's history and an item's form: no sideways scrolling at 360 px."""
    login(page, base, "admin", password_of("admin"))
    page.goto(f"{base}/admin/lists")
    expect(page.locator("main")).to_contain_text("服务群众事项清单")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the lists admin page scrolls sideways"
    page.get_by_role("link", name=re.compile("服务群众事项清单")).click()
    expect(page.locator("main table")).to_contain_text("新增高龄津贴申领")  # version 2's change note
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "a list's history scrolls sideways"
    screenshot(page, "lists-admin-history-360.png")
    page.locator("main table a").first.click()
    page.get_by_role("link", name=re.compile("View|查看")).first.click()
    expect(page.locator("svg.flowchart")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "an item's form scrolls sideways"
    screenshot(page, "lists-admin-item-360.png")
