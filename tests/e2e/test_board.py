"""The notice board in a real browser: the phone board fits 360 px, the TV fills 1920×1080 in large
type and scrolls by itself, and the poster prints as exactly one A4 (or A3) page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.worlds.browser import screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
# A page object of a PDF: "/Type /Page", not "/Type /Pages" (the page tree).
PDF_PAGE = re.compile(rb"/Type\s*/Page(?!s)")
TV = {"width": 1920, "height": 1080}
# Pairs of visible boxes that overlap: none may (names, figures, headings, the hash). A box inside a
# scrolling panel counts only for the part of it the panel shows.
OVERLAPS = """(selector) => {
  const shown = (e) => {
    let r = e.getBoundingClientRect();
    const clip = e.parentElement && e.parentElement.closest('[data-tv-scroll]');
    if (clip) {
      const c = clip.getBoundingClientRect();
      const top = Math.max(r.top, c.top), bottom = Math.min(r.bottom, c.bottom);
      r = {left: r.left, right: r.right, top, bottom, width: r.width, height: bottom - top};
    }
    return r;
  };
  const boxes = [...document.querySelectorAll(selector)].map(e => [e, shown(e)])
    .filter(([e, r]) => r.width > 0 && r.height > 0);
  const bad = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, ra] = boxes[i], [b, rb] = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1)
      bad.push(a.textContent.trim().slice(0, 20) + ' / ' + b.textContent.trim().slice(0, 20));
  }
  return bad.slice(0, 10);
}"""


@pytest.fixture
def newest(db_session):
    """油房村's newest public publication in the demo (published today, under notice)."""
    from webapp.people.models.geo import Village
    from webapp.publication.models import Publication
    from webapp.publication.services.query import village_publications

    village = db_session.scalar(select(Village).where(Village.code == "YF"))
    publication: Publication = village_publications(village.id, public_only=True)[0]
    return publication.period, publication.sha256


def test_the_board_fits_a_phone_and_shows_the_whole_ranking(page, base, newest):
    """At 360×640 in Chinese: the village, the notice window, 150 ranked households and the
    fingerprint, with no sideways scroll — in normal and in large type."""
    period, sha256 = newest
    page.goto(f"{base}/v/YF/board")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".board-place")).to_contain_text("油房村")
    assert page.locator("table.board-ranking tbody tr").count() == 150
    expect(page.locator(".board-hash .short-hash")).to_have_text(f"{sha256[:4]} {sha256[4:8]} {sha256[8:12]}")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the board scrolls sideways at 360px"
    assert page.evaluate(OVERLAPS, ".board-ranking td, .board-head p, h1, h2") == []
    screenshot(page, "board-360.png", full_page=False)
    page.context.add_cookies([{"name": "large_type", "value": "1", "url": base}])
    page.goto(f"{base}/v/YF/board/{period}")
    assert page.evaluate("document.documentElement.classList.contains('large-type')")
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the board scrolls sideways at 360px in large type"
    screenshot(page, "board-360-large.png", full_page=False)


def test_the_tv_fills_the_screen_in_large_type_and_scrolls_by_itself(browser, base, newest):
    """At 1920×1080: nothing to click, the ranking in type large enough for the back of the hall,
    the page itself never scrolls, and the ranking glides down without anyone touching it."""
    period, sha256 = newest
    context = browser.new_context(viewport=TV, device_scale_factor=1, locale="zh-CN")
    try:
        tv = context.new_page()
        tv.goto(f"{base}/v/YF/board/{period}/tv")
        expect(tv.locator(".tv-head h1")).to_be_visible()
        assert tv.locator("a, button:not([data-speak]), input, select, form").count() == 0  # but 朗读光荣榜
        assert tv.locator(".tv-rows .tv-row").count() == 150
        row_size = tv.evaluate("parseFloat(getComputedStyle(document.querySelector('.tv-rows .tv-row')).fontSize)")
        assert row_size >= 32, f"ranking type {row_size}px is too small to read across a hall"
        sizes = tv.evaluate("() => ({w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight})")
        assert sizes["w"] <= TV["width"] and sizes["h"] <= TV["height"], sizes
        assert tv.evaluate(OVERLAPS, ".tv-head h1, .tv-head p, .tv-side h2, .tv-side li, .tv-foot p, .tv-foot .qr") == []
        screenshot(tv, "board-tv-1920.png", full_page=False)
        moved = "() => new DOMMatrix(getComputedStyle(document.querySelector('.tv-rows')).transform).m42"
        tv.wait_for_function(f"() => ({moved})() < -20", timeout=15000)  # rests six seconds at the top, then glides
        assert tv.locator(".tv-head .short-hash, .tv-foot .short-hash").first.inner_text() == \
            f"{sha256[:4]} {sha256[4:8]} {sha256[8:12]}"
    finally:
        context.close()


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_the_poster_prints_on_exactly_one_page(page, base, newest, size):
    """150 households, the honours, the fingerprint and the QR code on one sheet of paper."""
    period, sha256 = newest
    page.goto(f"{base}/v/YF/board/{period}/poster?size={size}")
    assert page.locator(".poster-ranking tbody tr").count() == 150
    expect(page.locator(".poster-foot .short-hash")).to_have_text(f"{sha256[:4]} {sha256[4:8]} {sha256[8:12]}")
    assert page.locator(".poster-foot .qr svg").count() == 1
    page.emulate_media(media="print")
    pdf = page.pdf(format=size, print_background=True)
    assert len(PDF_PAGE.findall(pdf)) == 1, f"the {size} poster prints on {len(PDF_PAGE.findall(pdf))} pages"
    width = {"A4": 794, "A3": 1123}[size]  # the sheet at 96 dpi, to look at the print layout
    page.set_viewport_size({"width": width, "height": int(width * 1.414)})
    screenshot(page, f"board-poster-{size}.png", full_page=False)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 360, "height": 640})
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the poster page scrolls sideways at 360px"


def test_the_check_page_tells_a_villager_whether_the_poster_matches(page, base, newest):
    """Typing the poster's fingerprint says yes; a wrong one says no; both fit the phone."""
    period, sha256 = newest
    page.goto(f"{base}/v/YF/board/{period}/check")
    page.fill("input[name=h]", f"{sha256[:4]} {sha256[4:8]} {sha256[8:12]}")
    page.locator(".check-form button").click()
    expect(page.locator("#verdict .verdict-yes")).to_be_visible()
    assert "h=" in page.url
    page.fill("input[name=h]", "0000 0000 0000" if not sha256.startswith("0000") else "ffff ffff ffff")
    page.locator(".check-form button").click()
    expect(page.locator("#verdict .verdict-no")).to_be_visible()
    assert page.evaluate(NO_HORIZONTAL_SCROLL), "the check page scrolls sideways at 360px"
    screenshot(page, "board-check-360.png")
