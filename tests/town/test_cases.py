"""The case library (典型案例库): a village writes and submits a case, the town approves, corrects or returns
it; approved cases have a public page per town and a printable A4 page; their photos are public."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from tests.worlds.lists import adopted_lists
from tests.worlds.pages import csrf_token, post, zh
from tests.worlds.photos import small_jpeg
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.user import User
from webapp.photos.services.access import visible_photo
from webapp.photos.services.storage import photo_store
from webapp.town.domain import cases as rules
from webapp.town.models.cases import TypicalCase
from webapp.town.services import cases as service

TEXT = "油房村推行积分制后，张大爷主动清理房前屋后，带动全组二十户整治庭院，环境明显改善。\n村里把这件事写进了清单。"


# --- the state table (no HTTP) --------------------------------------------------------------------

def test_a_case_goes_from_draft_to_submitted_to_returned_to_resubmitted_to_approved():
    state = rules.DRAFT
    for action, side, expected in [("edit", rules.VILLAGE, rules.DRAFT), ("submit", rules.VILLAGE, rules.SUBMITTED),
                                   ("revise", rules.TOWN, rules.SUBMITTED), ("return", rules.TOWN, rules.RETURNED),
                                   ("edit", rules.VILLAGE, rules.RETURNED), ("submit", rules.VILLAGE, rules.SUBMITTED),
                                   ("approve", rules.TOWN, rules.APPROVED), ("revise", rules.TOWN, rules.APPROVED),
                                   ("return", rules.TOWN, rules.RETURNED)]:
        state = rules.next_state(state, action, side)
        assert state == expected, (action, state)


@pytest.mark.parametrize(("state", "action", "side"), [
    (rules.SUBMITTED, "approve", rules.VILLAGE),   # the village does not approve its own case
    (rules.DRAFT, "submit", rules.TOWN),           # the town does not submit for a village
    (rules.DRAFT, "approve", rules.TOWN),          # a draft is not the town's yet
    (rules.APPROVED, "edit", rules.VILLAGE),       # an approved case is the town's to correct
    (rules.SUBMITTED, "submit", rules.VILLAGE),    # submitted once is enough
    (rules.APPROVED, "approve", rules.TOWN),
])
def test_steps_not_in_the_table_or_taken_by_the_wrong_side_are_refused(state, action, side):
    with pytest.raises(Refusal):
        rules.next_state(state, action, side)


def test_a_case_needs_a_title_and_a_text_and_a_return_needs_a_note():
    assert rules.check_content("  标题 ", TEXT) == ("标题", TEXT.strip())
    with pytest.raises(Refusal):
        rules.check_content("", TEXT)
    with pytest.raises(Refusal):
        rules.check_content("标题", "太短")
    with pytest.raises(Refusal):
        rules.check_note("   ")
    assert rules.is_public(rules.APPROVED) and not rules.is_public(rules.SUBMITTED)


# --- the world ------------------------------------------------------------------------------------

@pytest.fixture
def town(make):
    """Town FS with villages YF and WJ; their admins, the town admin, a 包村干部; rules and lists in YF."""
    fs = make.town(code="FS", name="丰盛镇")
    yf, wj = make.village(fs, code="YF", name="油房村"), make.village(fs, code="WJ", name="王家村")
    other_town = make.town(code="XT", name="新塘镇")
    make.user("village_admin", username="yfadmin", village_id=yf.id)
    make.user("village_admin", username="wjadmin", village_id=wj.id)
    make.user("town_admin", username="fsadmin", town_id=fs.id)
    make.user("town_admin", username="xtadmin", town_id=other_town.id)
    make.user("town_cadre", username="baocun", village_id=yf.id)
    household = make.household(yf, head="李四海", code="YF0007")
    version = make.scheme(yf)
    db.session.commit()
    adopted_lists(yf)
    return {"town": fs, "yf": yf, "wj": wj, "household": household, "version": version}


def user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username == name))


def a_case(town, status: str = rules.SUBMITTED, title: str = "庭院整治带动全组") -> TypicalCase:
    case = service.create_case(user("yfadmin"), town["yf"], title, TEXT)
    if status != rules.DRAFT:
        service.submit_case(user("yfadmin"), case)
    if status == rules.APPROVED:
        service.approve_case(user("fsadmin"), case)
    db.session.commit()
    return case


def photo_file(colour=(10, 120, 60)):
    return (io.BytesIO(small_jpeg(colour)), "case.jpg")


# --- writing and deciding -------------------------------------------------------------------------

def test_a_village_admin_writes_a_case_with_photos_and_the_items_it_concerns_and_submits_it(app, client, auth, town):
    today_items = service.list_item_choices(town["yf"], date.today())
    list_item_id = today_items[0][0]
    points_code = service.points_item_choices(town["yf"], date.today())[0][0]
    auth.login("yfadmin")
    answer = post(client, "/cases/new", "/cases/new", {
        "title": "庭院整治带动全组", "text": TEXT, "list_item": str(list_item_id), "points_item": points_code,
        "photos": [photo_file(), photo_file((200, 10, 10))]}, content_type="multipart/form-data")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 303, body[body.find("</textarea"):][:3000]
    case = db.session.scalar(select(TypicalCase))
    assert (case.status, case.village_id, case.list_item_id, case.points_item_code, len(case.photos)) == \
        (rules.DRAFT, town["yf"].id, list_item_id, points_code, 2)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "庭院整治带动全组" in page and points_code in page and zh("Submit to the town") in page
    answer = post(client, f"/cases/{case.id}", f"/cases/{case.id}/submit", {})
    assert answer.status_code == 303
    db.session.expire_all()
    assert (case.status, case.submissions) == (rules.SUBMITTED, 1)


def test_a_village_admin_may_not_say_another_villages_item(app, town):
    wj_lists = adopted_lists(town["wj"])
    other_item = next(iter(wj_lists.values())).versions[0].items[0]
    with pytest.raises(Refusal):
        service.create_case(user("yfadmin"), town["yf"], "标题", TEXT, list_item_id=other_item.id)
    with pytest.raises(Refusal):
        service.create_case(user("yfadmin"), town["yf"], "标题", TEXT, points_item_code="NO-SUCH")


def test_the_town_sees_a_case_once_it_is_submitted_and_approves_it(app, client, auth, town):
    draft = a_case(town, rules.DRAFT, title="还在写的案例")
    submitted = a_case(town, rules.SUBMITTED)
    auth.login("fsadmin")
    listing = client.get("/cases").get_data(as_text=True)
    assert "庭院整治带动全组" in listing and "还在写的案例" not in listing
    assert client.get(f"/cases/{draft.id}").status_code == 404
    answer = post(client, f"/cases/{submitted.id}", f"/cases/{submitted.id}/approve", {})
    assert answer.status_code == 303
    db.session.expire_all()
    assert submitted.status == rules.APPROVED and submitted.approved_by_id == user("fsadmin").id


def test_the_town_returns_a_case_with_a_note_and_the_village_edits_and_resubmits_it(app, client, auth, town):
    case = a_case(town)
    auth.login("fsadmin")
    refused = post(client, f"/cases/{case.id}", f"/cases/{case.id}/return", {"note": ""})
    assert refused.status_code in (302, 303)
    db.session.expire_all()
    assert case.status == rules.SUBMITTED  # no note, no return
    post(client, f"/cases/{case.id}", f"/cases/{case.id}/return", {"note": "请补充整治前后的照片。"})
    db.session.expire_all()
    assert (case.status, case.town_note) == (rules.RETURNED, "请补充整治前后的照片。")
    auth.logout()
    auth.login("yfadmin")
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "请补充整治前后的照片。" in page and zh("Submit again") in page
    answer = post(client, f"/cases/{case.id}/edit", f"/cases/{case.id}/edit", {
        "village": str(town["yf"].id), "title": "庭院整治带动全组", "text": TEXT + "\n补充了照片。",
        "list_item": "0", "points_item": "", "photos": [photo_file()]}, content_type="multipart/form-data")
    assert answer.status_code == 303
    post(client, f"/cases/{case.id}", f"/cases/{case.id}/submit", {})
    db.session.expire_all()
    assert (case.status, case.submissions, len(case.photos)) == (rules.SUBMITTED, 2, 1)


def test_the_towns_edit_is_recorded_in_the_audit_trail_with_what_it_changed(app, client, auth, town):
    case = a_case(town, rules.APPROVED)
    auth.login("fsadmin")
    answer = post(client, f"/cases/{case.id}/edit", f"/cases/{case.id}/edit", {
        "village": str(town["yf"].id), "title": "庭院整治带动全组（修订）", "text": TEXT, "list_item": "0",
        "points_item": ""}, content_type="multipart/form-data")
    assert answer.status_code == 303
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case.revise"))
    assert event.actor_id == user("fsadmin").id and event.village_id == town["yf"].id
    assert event.detail["changed"] == {"title": ["庭院整治带动全组", "庭院整治带动全组（修订）"]}
    db.session.expire_all()
    assert case.status == rules.APPROVED  # a correction keeps it on the page
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "typical_case")))
    assert actions == {"case.create", "case.submit", "case.approve", "case.revise"}


@pytest.mark.parametrize(("who", "method", "path", "refused"), [
    ("yfadmin", "post", "/cases/{id}/approve", (403,)),          # the village does not approve
    ("fsadmin", "post", "/cases/{id}/submit", (403,)),           # the town does not submit
    ("wjadmin", "get", "/cases/{id}", (404,)),                   # another village's case does not exist for them
    ("wjadmin", "post", "/cases/{id}/edit", (404,)),
    ("xtadmin", "get", "/cases/{id}", (404,)),                   # another town's
    ("xtadmin", "post", "/cases/{id}/approve", (404,)),
    ("baocun", "get", "/cases", (403,)),                         # the 包村干部 writes nothing here
    ("baocun", "post", "/cases/{id}/approve", (403,)),
])
def test_who_may_do_what_with_a_case(app, client, auth, town, who, method, path, refused):
    case = a_case(town)
    auth.login(who)
    token = csrf_token(client.get("/home", follow_redirects=True).get_data(as_text=True))
    answer = getattr(client, method)(path.format(id=case.id), data={"csrf_token": token, "title": "x", "text": TEXT})
    assert answer.status_code in refused
    db.session.expire_all()
    assert case.status == rules.SUBMITTED


def test_the_town_admin_may_not_write_a_case_for_a_village(app, town):
    with pytest.raises(NotFound):
        service.create_case(user("fsadmin"), town["yf"], "标题", TEXT)


# --- the public pages -----------------------------------------------------------------------------

def test_the_public_page_shows_only_approved_cases_and_no_household_data(app, client, town):
    approved = a_case(town, rules.APPROVED, title="已通过的案例")
    waiting = a_case(town, rules.SUBMITTED, title="待审的案例")
    listing = client.get("/t/FS/cases")
    assert listing.status_code == 200
    page = listing.get_data(as_text=True)
    assert "已通过的案例" in page and "待审的案例" not in page
    detail = client.get(f"/t/FS/cases/{approved.id}").get_data(as_text=True)
    assert "张大爷" in detail  # names only as the text writes them …
    assert "YF0007" not in detail and "李四海" not in detail  # … and nothing of the households
    assert client.get(f"/t/FS/cases/{waiting.id}").status_code == 404
    assert client.get(f"/t/XT/cases/{approved.id}").status_code == 404
    assert client.get("/t/NOPE/cases").status_code == 404


def test_a_returned_case_leaves_the_public_page(app, client, town):
    case = a_case(town, rules.APPROVED)
    assert client.get(f"/t/FS/cases/{case.id}").status_code == 200
    service.return_case(user("fsadmin"), case, "数据需要核实。")
    db.session.commit()
    assert client.get(f"/t/FS/cases/{case.id}").status_code == 404


def test_the_printable_page_is_a4_with_one_page_per_case(app, client, town):
    first = a_case(town, rules.APPROVED, title="第一个案例")
    a_case(town, rules.APPROVED, title="第二个案例")
    one = client.get(f"/t/FS/cases/{first.id}/print")
    assert one.status_code == 200
    html = one.get_data(as_text=True)
    assert re.search(r"@page\s*{\s*size:\s*A4", html) and "第一个案例" in html and "第二个案例" not in html
    assert "<svg" in html  # the QR code to the page
    every = client.get("/t/FS/cases/print").get_data(as_text=True)
    assert every.count('class="card case-page"') == 2


def test_the_photos_of_an_approved_case_are_public_and_before_that_only_the_village_and_town_see_them(app, town):
    store = photo_store(app.config)
    case = service.create_case(user("yfadmin"), town["yf"], "有照片的案例", TEXT, uploads=[("a.jpg", small_jpeg())],
                               store=store)
    db.session.commit()
    photo_id = case.photos[0].photo_id
    assert visible_photo(user("yfadmin"), photo_id).public is False
    with pytest.raises(NotFound):
        visible_photo(user("fsadmin"), photo_id)  # a draft is the village's alone
    with pytest.raises(NotFound):
        visible_photo(None, photo_id)
    service.submit_case(user("yfadmin"), case)
    assert visible_photo(user("fsadmin"), photo_id).public is False
    with pytest.raises(NotFound):
        visible_photo(user("wjadmin"), photo_id)
    service.approve_case(user("fsadmin"), case)
    assert visible_photo(None, photo_id).public is True
