"""Admin pages of the lists: create a list, edit a draft's items and steps through the form, adopt it at
a meeting, refuse changes to adopted versions, import and export files, hand town templates out."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import select

from tests.worlds.lists import FENGSHENG, adopted_lists, counts
from tests.worlds.pages import Auth, post, zh
from webapp.extensions import db
from webapp.lists.models import DutyList, ListVersion
from webapp.lists.services import import_export as lists_io, versions


@pytest.fixture
def town(make):
    town = make.town(code="FS", name="丰盛镇")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    make.user("village_admin", username="yf", village_id=yf.id)
    make.user("village_admin", username="wj", village_id=wj.id)
    make.user("town_admin", username="town", town_id=town.id)
    db.session.commit()
    return {"town": town, "yf": yf, "wj": wj}


def test_a_village_admin_builds_a_list_through_the_forms_and_adopts_it_at_a_meeting(client, auth, town):
    """Create → add an item with steps → adopt with the meeting's date and decision → public."""
    auth.login("yf")
    created = post(client, "/admin/lists", "/admin/lists", {"village": town["yf"].id, "kind": "certificate"})
    duty_list = db.session.scalar(select(DutyList))
    assert created.status_code == 302 and created.headers["Location"].endswith(f"/admin/lists/{duty_list.id}")
    assert (duty_list.code, duty_list.name) == ("ZM", "依法出具证明事项清单")
    draft = duty_list.versions[0]
    new_item = f"/admin/lists/versions/{draft.id}/items/new"
    saved = post(client, new_item, new_item, {
        "code": "ZM-01", "name": "居住证明", "responsible": "村民委员会", "materials": "居民身份证",
        "step_actor": ["申请人", "村民委员会", ""], "step_action": ["提出申请", "核实后出具证明", ""],
        "step_days": ["0", "1", ""]})
    assert saved.status_code == 302
    version_page = f"/admin/lists/versions/{draft.id}"
    adopted = post(client, version_page, version_page, {
        "meeting_on": "2026-01-05", "decision": "村民代表会议表决通过", "effective_from": "2026-01-10"})
    assert adopted.status_code == 302
    db.session.expire_all()
    version = db.session.get(ListVersion, draft.id)
    assert version.status == "adopted" and version.meeting_on == date(2026, 1, 5)
    assert [(s.actor, s.action, s.days) for s in version.items[0].steps] == [("申请人", "提出申请", 0), ("村民委员会", "核实后出具证明", 1)]
    assert "核实后出具证明" in client.get("/v/YF/lists/ZM/items/ZM-01").get_data(as_text=True)


def test_the_item_form_shows_each_problem_beside_its_field_and_saves_nothing(client, auth, town):
    """A step without an action and a negative time limit: 422, the page again, nothing written."""
    auth.login("yf")
    post(client, "/admin/lists", "/admin/lists", {"village": town["yf"].id, "kind": "service"})
    draft = db.session.scalar(select(ListVersion))
    url = f"/admin/lists/versions/{draft.id}/items/new"
    before = counts()
    response = post(client, url, url, {"code": "FW 1", "name": "", "time_limit_days": "-3",
                                       "step_actor": ["申请人"], "step_action": [""], "step_days": ["x"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and html.count('class="field-error"') >= 4
    assert 'value="申请人"' in html  # what was typed is kept
    assert counts() == before


def test_posting_changes_to_an_adopted_version_is_refused_and_changes_nothing(client, auth, town):
    """The service refuses; the page says so; the adopted content is the same."""
    service = adopted_lists(town["yf"])["FW"]
    v1 = service.versions[0]
    item = v1.items[0]
    before = versions.version_content(v1)
    auth.login("yf")
    edit = f"/admin/lists/items/{item.id}"
    assert post(client, edit, edit, {"code": "FW-01", "name": "改名"}).status_code == 302
    assert post(client, edit, f"/admin/lists/items/{item.id}/delete", {}).status_code == 302
    assert post(client, edit, f"/admin/lists/versions/{v1.id}/items/new", {"code": "X", "name": "新"}).status_code == 302
    page = client.get(f"/admin/lists/versions/{v1.id}").get_data(as_text=True)
    assert zh("This version was adopted and can no longer change. Start a new draft to change the list.") in page
    db.session.expire_all()
    assert versions.version_content(db.session.get(ListVersion, v1.id)) == before


def test_a_new_draft_starts_from_the_adopted_version(client, auth, town):
    """The list page's button copies the version in force into version 2."""
    service = adopted_lists(town["yf"])["FW"]
    auth.login("yf")
    response = post(client, f"/admin/lists/{service.id}", f"/admin/lists/{service.id}", {"note": "调整时限"})
    draft = db.session.scalar(select(ListVersion).where(ListVersion.number == 2, ListVersion.list_id == service.id))
    assert response.headers["Location"].endswith(f"/admin/lists/versions/{draft.id}")
    assert draft.change_note == "调整时限" and len(draft.items) == 2


@pytest.mark.parametrize("fmt", ["yaml", "xlsx"])
def test_export_then_import_through_the_pages_gives_the_same_items(client, auth, town, fmt):
    """Download from 油房村, upload to 王家村: the drafts there hold the same items."""
    source = adopted_lists(town["yf"])
    auth.login("town")
    download = client.get(f"/admin/lists/export.{fmt}?village={town['yf'].id}")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    uploaded = post(client, "/admin/lists", "/admin/lists",
                    {"village": town["wj"].id, "file": (io.BytesIO(download.data), f"lists.{fmt}")},
                    content_type="multipart/form-data")
    assert uploaded.status_code == 302
    wj = {d.code: d for d in db.session.scalars(select(DutyList).where(DutyList.village_id == town["wj"].id))}
    assert {c: versions.version_content(d.versions[-1]) for c, d in wj.items()} == \
        {c: versions.version_content(d.versions[-1]) for c, d in source.items()}


def test_a_bad_file_upload_lists_its_problems_and_imports_nothing(client, auth, town):
    """422 with a problems table; no list was created."""
    auth.login("yf")
    bad = FENGSHENG.replace("code: FW-02", "code: FW-01").encode()
    before = counts()
    response = post(client, "/admin/lists", "/admin/lists",
                    {"village": town["yf"].id, "file": (io.BytesIO(bad), "lists.yaml")}, content_type="multipart/form-data")
    assert response.status_code == 422 and 'id="problems"' in response.get_data(as_text=True)
    assert counts() == before


def test_the_town_keeps_templates_and_hands_them_to_its_villages(client, auth, town):
    """A town admin imports templates, adopts one and hands it out; each village then has a draft."""
    auth.login("town")
    post(client, "/admin/lists", "/admin/lists",
         {"town": town["town"].id, "file": (io.BytesIO(FENGSHENG.encode()), "t.yaml")}, content_type="multipart/form-data")
    template = db.session.scalar(select(DutyList).where(DutyList.village_id.is_(None), DutyList.code == "ZM"))
    versions.adopt(template.versions[0], date(2026, 1, 5), "镇党委会议通过", date(2026, 1, 10))
    db.session.commit()
    page = f"/admin/lists/{template.id}"
    assert "王家村" in client.get(page).get_data(as_text=True)
    response = post(client, page, page, {"action": "hand_out", "villages": [str(town["yf"].id), str(town["wj"].id)]})
    assert response.status_code == 302
    copies = db.session.scalars(select(DutyList).where(DutyList.template_id == template.id)).all()
    assert sorted(d.village_id for d in copies) == sorted([town["yf"].id, town["wj"].id])
    assert all(d.versions[0].status == "draft" and len(d.versions[0].items) == 1 for d in copies)


def test_admins_of_other_villages_and_other_roles_cannot_reach_a_list(client, auth, make, town):
    """Another village's admin: 404 (not theirs to learn of); a villager: 403; a village admin: no templates."""
    service = adopted_lists(town["yf"])["FW"]
    template = lists_io.import_lists(town["town"], None, lists_io.read_yaml(FENGSHENG))[0].duty_list
    make.user("villager", username="hh", household_id=make.household(town["yf"]).id)
    db.session.commit()
    auth.login("wj")
    for url in (f"/admin/lists/{service.id}", f"/admin/lists/versions/{service.versions[0].id}",
                f"/admin/lists/items/{service.versions[0].items[0].id}", f"/admin/lists/{service.id}/export.yaml",
                f"/admin/lists/{template.id}", f"/admin/lists?village={town['yf'].id}"):
        assert client.get(url).status_code == 404, url
    other = client.application.test_client()
    Auth(other).login("hh")
    assert other.get("/admin/lists").status_code == 403
