"""The villager's side of the notice board in a real browser (360×640 phone): spoken results (朗读光荣榜)
on the board and the village-hall TV with the browser's own speech synthesis (zh-CN), started by one big
button, nothing fetched from the internet, no button where the browser cannot speak; 查找我家 with and
without script; sharing; the check page that speaks plainly first; and the household's menu."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.worlds.browser import login, screenshot

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

# Replaces the browser's speech with a recorder: each utterance's text and language, in order.
RECORD_SPEECH = """
window.__spoken = [];
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  speaking: false,
  speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); },
  cancel() {}, pause() {}, resume() {}, getVoices() { return []; },
}});
"""
NO_SPEECH = "Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: undefined});"


@pytest.fixture
def honour_roll(db_session):
    """油房村's newest public publication in the demo: its period and honour roll (from the snapshot)."""
    from webapp.people.models.geo import Village
    from webapp.publication.services.query import village_publications

    village = db_session.scalar(select(Village).where(Village.code == "YF"))
    publication = village_publications(village.id, public_only=True)[0]
    snapshot = json.loads(publication.snapshot)
    assert snapshot["honour_roll"], "the demo's newest notice has an honour roll"
    return publication.period, snapshot


def spoken_after_click(page, url: str) -> list[dict]:
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "http://localhost", "data:")) else None)
    page.goto(url)
    button = page.locator("button[data-speak]")
    expect(button).to_be_visible()
    button.click()
    page.wait_for_function("window.__spoken.length > 0")
    assert outside == [], f"fetched from outside: {outside}"
    return page.evaluate("window.__spoken")


def expected_sentences(snapshot: dict) -> list[str]:
    lines = [f"第{row['rank']}名，{row['name']}，{row['points']}分。" for row in snapshot["honour_roll"]]
    if snapshot.get("model_households"):
        lines.append("示范户：" + "，".join(row["name"] for row in snapshot["model_households"]) + "。")
    return lines


def test_the_board_reads_the_honour_roll_aloud_in_mandarin(page, base, honour_roll):
    period, snapshot = honour_roll
    page.context.add_init_script(RECORD_SPEECH)
    spoken = spoken_after_click(page, f"{base}/v/YF/board")
    assert {u["lang"] for u in spoken} == {"zh-CN"}
    texts = [u["text"] for u in spoken]
    year, month = period.split("-")
    assert texts[0] == f"{year}年{int(month)}月光荣榜。" or (texts[0].endswith("光荣榜。") and year in texts[0])
    assert texts[1:] == expected_sentences(snapshot)
    button = page.locator("button[data-speak]")
    expect(button).to_have_text("停止朗读")  # pressed again, it stops
    screenshot(page, "c2-board-speak.png", full_page=False)


def test_the_tv_reads_the_same_honour_roll(browser, base, honour_roll):
    period, snapshot = honour_roll
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, device_scale_factor=1, locale="zh-CN")
    try:
        context.add_init_script(RECORD_SPEECH)
        tv = context.new_page()
        spoken = spoken_after_click(tv, f"{base}/v/YF/board/{period}/tv")
        assert {u["lang"] for u in spoken} == {"zh-CN"}
        assert [u["text"] for u in spoken][1:] == expected_sentences(snapshot)
        screenshot(tv, "c2-tv-speak.png", full_page=False)
    finally:
        context.close()


def test_a_browser_without_speech_shows_no_button(page, base, honour_roll):
    page.context.add_init_script(NO_SPEECH)
    page.goto(f"{base}/v/YF/board")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("button[data-speak]")).to_be_hidden()


# --- 查找我家, sharing, the check page, the household's menu ----------------------------------------

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"
IN_VIEW = """(e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"""


@pytest.fixture
def ranking(db_session):
    """The newest public publication of 油房村 in the demo: its period and ranking rows."""
    from webapp.people.models.geo import Village
    from webapp.publication.services.query import village_publications

    village = db_session.scalar(select(Village).where(Village.code == "YF"))
    publication = village_publications(village.id, public_only=True)[0]
    return publication.period, json.loads(publication.snapshot)["ranking"]


def test_find_my_household_with_htmx_jumps_to_the_row(page, base, ranking):
    """Typing a name far down the ranking shows the row at once (htmx, no page load); tapping it
    scrolls the ranking to that household's row, marked."""
    _period, rows = ranking
    place, row = next((i + 1, r) for i, r in enumerate(rows) if i > 100 and sum(x["name"] == r["name"] for x in rows) == 1)
    page.goto(f"{base}/v/YF/board")
    page.fill("input[name=find]", row["name"])
    page.click(".find-form button")
    found = page.locator(".found-rows a")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(row["name"])
    expect(found).to_contain_text(str(row["points"]))
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    page.locator(".board-find").scroll_into_view_if_needed()
    screenshot(page, "c2-board-find.png", full_page=False)
    found.click()
    target = page.locator(f"#place-{place}")
    page.wait_for_function(f"location.hash === '#place-{place}'")
    assert target.evaluate(IN_VIEW), "the household's row is on screen"
    assert target.evaluate("(e) => getComputedStyle(e.querySelector('td')).backgroundColor") != "rgba(0, 0, 0, 0)"
    screenshot(page, "c2-board-find-row.png", full_page=False)


def test_find_my_household_without_javascript(browser, base, ranking):
    """The plain form: the answer card opens at #find and the household's row is marked."""
    context = browser.new_context(viewport={"width": 360, "height": 640}, locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}/v/YF/board")
        expect(page.locator("button[data-speak]")).to_be_hidden()  # no script: nothing that cannot work
        expect(page.locator("button[data-share]")).to_be_hidden()
        page.fill("input[name=find]", "YF0002")
        page.click(".find-form button")
        page.wait_for_url("**find=YF0002#find")
        expect(page.locator(".found-rows a")).to_have_count(1)
        expect(page.locator("tr.is-found")).to_have_count(1)
        assert page.locator(".found-rows").evaluate(IN_VIEW), "the answer is on screen"
        screenshot(page, "c2-board-find-nojs.png", full_page=False)
        page.locator(".share-details summary").click()
        expect(page.locator(".share-qr svg")).to_be_visible()
        page.locator(".board-share").scroll_into_view_if_needed()
        screenshot(page, "c2-board-share-qr.png", full_page=False)
    finally:
        context.close()


def test_the_check_page_says_it_plainly_first(page, base, ranking):
    period, _rows = ranking
    page.goto(f"{base}/v/YF/board/{period}/check")
    expect(page.locator(".check-explain")).to_contain_text("校验码")
    intact = page.locator("#intact")
    expect(intact).to_contain_text("完好")
    assert intact.evaluate(IN_VIEW), "the verdict is on the first screen"
    expect(page.locator(".check-proof .full-hash")).to_be_hidden()  # the proof is folded
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "c2-check.png", full_page=False)
    page.locator(".check-proof summary").click()
    expect(page.locator(".check-proof .full-hash")).to_be_visible()


def test_the_households_menu_on_a_phone(page, base):
    from webapp.demo.accounts import DEMO_HOUSEHOLD_LOGIN

    code, pin = DEMO_HOUSEHOLD_LOGIN
    login(page, base, code, pin)
    page.goto(f"{base}/households/{code}")
    menu = page.locator("#household-menu")
    menu.scroll_into_view_if_needed()
    expect(menu.locator("a")).to_have_count(menu.locator("a").count())
    assert menu.locator("a").count() >= 4
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "c2-household-menu.png", full_page=False)
    menu.locator("#menu-board").click()
    page.wait_for_url(f"**find={code}#find")
    expect(page.locator("tr.is-found")).to_have_count(1)
    screenshot(page, "c2-menu-to-board.png", full_page=False)
