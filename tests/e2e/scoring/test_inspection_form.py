"""The inspection form on a 360×640 phone: met categories fold to one line, save stays in reach,
after an inspection the worker is offered an event (not a second inspection), and the household
list shows the month's progress."""

from __future__ import annotations

from tests.worlds.browser import login, password_of
from tests.worlds.phone.scoring import go, grid_households, outbox, shot

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None

SAVE_ON_SCREEN = ("(() => { const r = document.querySelector('#save').getBoundingClientRect();"
                  " return r.top >= 0 && r.bottom <= window.innerHeight; })()")


def test_met_categories_fold_to_one_line_and_save_stays_on_screen(page, base, db_session):
    """A category whose items all start met is one line ("人居环境 全部达标 ✓"); opened, an untick says
    "1 项未达标"; with every category open the form is long, and 保存 is still on screen."""
    _, households = grid_households(db_session)
    code = households[7].code
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score/inspection?h={code}")
    cats = page.locator("#checklist details.check-cat")
    assert cats.count() >= 3
    # 人居环境 (B1–B5) starts all met: one line; 爱党爱国 (A1–A4, earned items) starts unmet: open.
    met = page.locator("details.check-cat", has=page.locator("input[value='B3']"))
    expect(met).not_to_have_attribute("open", "")
    expect(met.locator("summary")).to_have_text("人居环境 全部达标 ✓")
    expect(met.locator("input[name=met]").first).to_be_hidden()
    earned = page.locator("details.check-cat", has=page.locator("input[value='A1']"))
    expect(earned).to_have_attribute("open", "")
    expect(earned.locator(".cat-state")).to_have_text("4 项未达标")
    assert page.evaluate(SAVE_ON_SCREEN)
    shot(page, "inspection-folded")

    for n in range(cats.count()):
        if cats.nth(n).get_attribute("open") is None:
            cats.nth(n).locator("summary").click()
    box = met.locator("input[name=met]").first
    box.uncheck()
    expect(met.locator(".cat-state")).to_have_text("1 项未达标")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * 640, "the open form is long"
    assert page.evaluate(SAVE_ON_SCREEN), "保存 stays on screen at the top of a long form"
    cats.nth(2).scroll_into_view_if_needed()
    assert page.evaluate(SAVE_ON_SCREEN), "… and in the middle"
    shot(page, "inspection-open-middle")
    box.check()
    expect(met.locator(".cat-state")).to_have_text("全部达标 ✓")
    expect(met).to_have_attribute("open", "")  # opened by the worker: stays open until tapped


def test_after_an_inspection_the_worker_is_offered_an_event_not_a_second_inspection(page, base, db_session):
    """After saving: 加分 / 扣分 lead to the event form for the household (bonus or deduction items
    only); no "给这户再记一条"; the inspection form for the same household then warns."""
    _, households = grid_households(db_session)
    code = households[41].code  # far from the households other browser tests inspect
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score/inspection?h={code}")
    page.click("#save")
    page.wait_for_selector("#inspection-form[data-saved]")
    after = page.locator("[data-after-save]")
    expect(after).to_be_visible()
    expect(after.locator("[data-again]")).to_have_count(0)
    expect(after).not_to_contain_text("给这户再记一条")
    expect(after.locator("[data-event-link]")).to_have_text(["加分", "扣分"])
    shot(page, "inspection-after-save")

    after.locator("[data-event-link=bonus]").click()
    page.wait_for_selector("#scoring[data-ready='1']", state="attached")
    assert f"h={code}" in page.url and "kind=bonus" in page.url
    expect(page.locator("input[name=item][value='J2']")).to_have_count(1)
    expect(page.locator("input[name=item][value='K5']")).to_have_count(0)

    go(page, f"{base}/score/event?h={code}&kind=deduction")
    expect(page.locator("input[name=item][value='K5']")).to_have_count(1)
    expect(page.locator("input[name=item][value='J2']")).to_have_count(0)

    go(page, f"{base}/score/inspection?h={code}")
    expect(page.locator("[data-dup]")).to_be_visible()


def test_the_household_list_shows_the_months_progress(page, base, db_session):
    """"已评 n / N" over the worker's households; a household inspected on the phone (before the roster
    the phone holds says so) counts at once and is tagged 已评; 只看未评 leaves it out."""
    _, households = grid_households(db_session)
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score")
    progress = page.locator("[data-progress]")
    expect(progress).to_contain_text("已评")
    done, total = map(int, progress.get_attribute("data-progress").split("/"))
    assert total == len(households)
    expect(progress).to_contain_text(f"已评 {done} / {total}")
    todo = page.locator("#results li.hh[data-inspected='0']").last  # other tests inspect the first ones
    code = todo.get_attribute("data-code")
    expect(todo).to_contain_text("未评")
    shot(page, "home-progress")

    go(page, f"{base}/score/inspection?h={code}")
    page.click("#save")
    page.wait_for_selector("#inspection-form[data-saved]")
    assert any(i["payload"]["household"] == code for i in outbox(page))
    go(page, f"{base}/score")
    expect(page.locator("[data-progress]")).to_have_attribute("data-progress", f"{done + 1}/{total}")
    row = page.locator(f"#results li.hh[data-code='{code}']")
    expect(row).to_have_attribute("data-inspected", "1")
    expect(row).to_contain_text("已评 ✓")

    page.click("[data-todo]")  # 只看未评
    expect(page.locator(f"#results li.hh[data-code='{code}']")).to_have_count(0)
    expect(page.locator("#results li.hh[data-inspected='1']")).to_have_count(0)
