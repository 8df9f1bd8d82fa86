"""Drafts on the phone: what a worker typed into a scoring form survives a reload until it is saved
or discarded; an item that needs a photo asks before it is saved without one."""

from __future__ import annotations

from sqlalchemy import select

from tests.worlds.browser import login, password_of
from tests.worlds.phone.scoring import draft, go, grid_households, jpeg, outbox, pick, ready, shot, wait_js
from webapp.people.models.household import Member

try:
    from playwright.sync_api import expect
except ImportError:  # the browser_path fixture skips (or, with JIFEN_NO_SKIP=1, fails) with the reason
    expect = None


def test_a_reload_mid_entry_keeps_item_quantity_member_note_place_and_photo_until_saved(page, base, db_session):
    """Item, member, quantity, note, place and a photo; reload: all back; save: the draft is gone."""
    _, households = grid_households(db_session)
    hh = households[2]
    member = db_session.scalars(select(Member).where(Member.household_id == hh.id).order_by(Member.id)).first()
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score/event?h={hh.code}")
    expect(page.locator("[data-draft]")).to_be_hidden()
    pick(page, "K5")
    page.select_option("#member", str(member.id))
    page.click("[data-step='1']")
    page.fill("textarea[name=note]", "吵架两次")
    page.fill("input[name=place]", "村东头")
    page.set_input_files("#photos", files=[{"name": "p.jpg", "mimeType": "image/jpeg", "buffer": jpeg(800, 600)}])
    page.wait_for_selector("#thumbs img")
    wait_js(page, f"Jifen.Outbox.meta('draft:' + Jifen.page.user + ':event:{hh.code}')"
                  ".then(d => d && d.photos.photos && d.photos.photos.length === 1 && d.fields.some(f => f[1] === '村东头'))")

    page.reload()
    ready(page)
    page.wait_for_selector("#entry-form[data-restored]", state="attached")
    expect(page.locator("input[name=item][value='K5']")).to_be_checked()
    expect(page.locator("#member")).to_have_value(str(member.id))
    expect(page.locator("#quantity")).to_have_value("2")
    expect(page.locator("textarea[name=note]")).to_have_value("吵架两次")
    expect(page.locator("input[name=place]")).to_have_value("村东头")
    expect(page.locator("#thumbs img")).to_have_count(1)
    expect(page.locator("[data-draft]")).to_be_visible()
    expect(page.locator("[data-discard]")).to_have_text("放弃草稿")
    shot(page, "event-draft-restored")

    page.click("#save")
    page.wait_for_selector("#entry-form[data-saved]")
    assert draft(page, "event", hh.code) is None
    [saved] = [i for i in outbox(page) if i["payload"]["household"] == hh.code]
    assert saved["payload"]["note"] == "吵架两次" and saved["payload"]["quantity"] == "2"
    assert saved["payload"]["member_id"] == member.id and len(saved["payload"]["photos"]) == 1
    page.reload()
    ready(page)
    expect(page.locator("input[name=item]:checked")).to_have_count(0)
    expect(page.locator("textarea[name=note]")).to_have_value("")


def test_discarding_a_draft_clears_the_form_and_the_phone(page, base, db_session):
    """放弃草稿: the form is empty again, and a reload brings nothing back."""
    _, households = grid_households(db_session)
    code = households[3].code
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score/event?h={code}")
    pick(page, "J2")
    page.fill("textarea[name=note]", "草稿")
    wait_js(page, f"Jifen.Outbox.meta('draft:' + Jifen.page.user + ':event:{code}').then(d => !!d)")
    page.reload()
    ready(page)
    page.wait_for_selector("#entry-form[data-restored]", state="attached")
    expect(page.locator("textarea[name=note]")).to_have_value("草稿")
    page.click("[data-discard]")
    expect(page.locator("textarea[name=note]")).to_have_value("")
    expect(page.locator("input[name=item]:checked")).to_have_count(0)
    expect(page.locator("[data-draft]")).to_be_hidden()
    assert draft(page, "event", code) is None
    page.reload()
    ready(page)
    expect(page.locator("textarea[name=note]")).to_have_value("")
    assert draft(page, "event", code) is None


def test_an_inspection_draft_keeps_the_ticks_and_note_across_a_reload(page, base, db_session):
    """A shortfall unticked and a note, reload: both back (its category open); saved: the draft goes."""
    _, households = grid_households(db_session)
    code = households[40].code  # far from the households other browser tests inspect
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score/inspection?h={code}")
    box = page.locator("input[name=met][value='B3']")
    page.locator("details.check-cat", has=box).locator("summary").click()
    box.uncheck()
    page.fill("textarea[name=note]", "厨房油污")
    wait_js(page, f"Jifen.Outbox.meta('draft:' + Jifen.page.user + ':inspection:{code}').then(d => !!d && d.fields.some(f => f[1] === 'B3' && f[2] === false))")
    page.reload()
    ready(page)
    page.wait_for_selector("#inspection-form[data-restored]", state="attached")
    expect(page.locator("input[name=met][value='B3']")).not_to_be_checked()
    expect(page.locator("details.check-cat", has=page.locator("input[value='B3']"))).to_have_attribute("open", "")
    expect(page.locator("textarea[name=note]")).to_have_value("厨房油污")
    page.click("#save")
    page.wait_for_selector("#inspection-form[data-saved]")
    assert draft(page, "inspection", code) is None
    [saved] = [i for i in outbox(page) if i["payload"]["household"] == code]
    assert saved["payload"]["items"]["B3"] is False and saved["payload"]["note"] == "厨房油污"


def test_an_item_that_needs_a_photo_asks_before_saving_without_one_and_is_marked(page, base, db_session):
    """J1 needs a photo: 还没拍照，确定保存？ — 去拍照 opens the camera and saves nothing; 确定 saves it
    (the phone sends nothing special: the server flags it), and the outbox marks it 缺照片."""
    _, households = grid_households(db_session)
    code = households[6].code
    login(page, base, "grid", password_of("grid"))
    go(page, f"{base}/score/event?h={code}")
    pick(page, "J1")
    page.click("#save")
    dialog = page.locator("#photo-ask")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("还没拍照，确定保存？")
    shot(page, "event-photo-ask")
    with page.expect_file_chooser() as chooser:
        dialog.locator("[data-go-photo]").click()
    assert chooser.value is not None
    expect(dialog).to_be_hidden()
    assert outbox(page) == [] and page.get_attribute("#entry-form", "data-saved") is None

    page.click("#save")
    expect(dialog).to_be_visible()
    dialog.locator("[data-save-anyway]").click()
    page.wait_for_selector("#entry-form[data-saved]")
    [saved] = outbox(page)
    assert saved["payload"]["photos"] == [] and saved["payload"]["item"] == "J1"
    assert "photo_missing" not in saved["payload"], "the phone sends nothing special"

    go(page, f"{base}/score/outbox")
    row = page.locator("#outbox-list li[data-no-photo]")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("缺照片")
    shot(page, "outbox-no-photo")
