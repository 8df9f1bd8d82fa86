"""Households on the page, through the real forms: add, edit and move, members joining and leaving,
stopping and resuming; who may; what a refused form shows (in Chinese) and that it wrote nothing;
the links from the household list and page; and the current roster's download."""

from __future__ import annotations

import io
from datetime import date
from html import unescape

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.worlds.pages import csrf_token, post, zh
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.household import Household, Member
from webapp.people.services.roster import import_roster


@pytest.fixture
def yf(make, auth):
    """油房村 (groups 一组/二组, grids 第一/第二网格) with admin `yfadmin` logged in; 王家村 next door with its
    admin `wjadmin`, a grid and a household; a grid worker of 油房村."""
    town = make.town(code="FS")
    village = make.village(town, code="YF")
    other = make.village(town, code="WJ", name="王家村")
    world = {
        "village": village, "other": other,
        "groups": [make.group(village, "一组"), make.group(village, "二组")],
        "grids": [make.grid(village, "第一网格"), make.grid(village, "第二网格")],
        "other_grid": make.grid(other, "王家网格"),
    }
    world["other_household"] = make.household(other, "王五", code="WJ0001")
    make.user("village_admin", username="yfadmin", village_id=village.id)
    make.user("village_admin", username="wjadmin", village_id=other.id)
    make.user("scorer", username="grid", grid_id=world["grids"][0].id)
    db.session.commit()
    auth.login("yfadmin")
    return world


def count(model, *where) -> int:
    query = select(func.count()).select_from(model)
    return db.session.scalar(query.where(*where) if where else query)


def add_form(yf, **fields) -> dict:
    return {"village": str(yf["village"].id), "code": "YF0100", "head_name": "赵大山",
            "group": str(yf["groups"][0].id), "grid": str(yf["grids"][0].id), "address": "油房村8号",
            "phone": "13900001111", "resident": "y", "enrolled_on": "2026-03-01"} | fields


def household(code: str = "YF0100") -> Household:
    db.session.expire_all()
    return db.session.scalar(select(Household).where(Household.code == code))


def test_a_village_admin_adds_a_household_on_the_page(yf, client):
    page = client.get(f"/admin/households/new?village={yf['village'].id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for field in ('name="code"', 'name="head_name"', 'name="group"', 'name="grid"', 'type="submit"'):
        assert field in html
    response = post(client, "/admin/households/new", "/admin/households/new", add_form(yf), follow_redirects=True)
    added = household()
    assert response.status_code == 200 and zh("Household %(code)s added.", code="YF0100") in response.get_data(as_text=True)
    assert (added.village_id, added.head_name, added.group_id, added.grid_id, added.enrolled_on) == (
        yf["village"].id, "赵大山", yf["groups"][0].id, yf["grids"][0].id, date(2026, 3, 1))
    assert count(AuditEvent, AuditEvent.action == "household.create", AuditEvent.object_id == added.id) == 1


def test_a_refused_new_household_is_shown_again_with_the_reasons_and_nothing_is_written(yf, client):
    before = (count(Household), count(Member), count(AuditEvent))
    response = post(client, "/admin/households/new", "/admin/households/new",
                    add_form(yf, code="WJ0001", phone="abc", grid=str(yf["other_grid"].id)))
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert zh("Nothing was saved: correct the fields marked below.") in html
    assert zh("That grid is not one of this village's.") in html
    assert 'value="赵大山"' in html  # what was typed is kept
    assert (count(Household), count(Member), count(AuditEvent)) == before
    response = post(client, "/admin/households/new", "/admin/households/new", add_form(yf, code="WJ0001"))
    assert zh("The household code %(code)s is already used.", code="WJ0001") in response.get_data(as_text=True)
    assert (count(Household), count(Member), count(AuditEvent)) == before


def test_editing_and_moving_a_household_on_its_page(yf, client, make):
    hh = make.household(yf["village"], "赵大山", code="YF0100", group=yf["groups"][0], grid=yf["grids"][0])
    db.session.commit()
    url = f"/admin/households/{hh.id}"
    form = {"head_name": "赵大山", "group": str(yf["groups"][1].id), "grid": str(yf["grids"][1].id),
            "address": "新地址", "phone": "", "resident": "y", "enrolled_on": "2020-01-01"}
    response = post(client, url, url, form, follow_redirects=True)
    assert zh("Saved.") in response.get_data(as_text=True)
    moved = household()
    assert (moved.group_id, moved.grid_id, moved.address) == (yf["groups"][1].id, yf["grids"][1].id, "新地址")
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == hh.id)))
    assert {"household.update", "household.move"} <= actions


def test_members_join_and_leave_on_the_page_and_the_record_stays(yf, client, make):
    hh = make.household(yf["village"], "赵大山", code="YF0100", members=("赵二",))
    db.session.commit()
    url = f"/admin/households/{hh.id}"
    post(client, url, f"{url}/members", {"name": "赵小宝", "relation": "子", "reason": "born", "on": "2026-01-05"})
    second = db.session.scalar(select(Member).where(Member.name == "赵二"))
    response = post(client, url, f"/admin/households/members/{second.id}/leave",
                    {"reason": "deceased", "on": "2026-02-01"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert zh("%(name)s is recorded as having left the household.", name="赵二") in html
    assert zh("Left the household") in html and "2026-02-01" in html
    db.session.expire_all()
    members = {m.name: (m.active, m.joined_reason, m.joined_on, m.left_reason, m.left_on)
               for m in db.session.scalars(select(Member).where(Member.household_id == hh.id))}
    assert members["赵小宝"] == (True, "born", date(2026, 1, 5), "", None)
    assert members["赵二"] == (False, "", None, "deceased", date(2026, 2, 1))
    assert count(AuditEvent, AuditEvent.action.in_(("household.member_join", "household.member_leave"))) == 2


def test_a_member_leaving_without_a_reason_is_refused_on_the_page(yf, client, make):
    hh = make.household(yf["village"], "赵大山", code="YF0100", members=("赵二",))
    db.session.commit()
    second = db.session.scalar(select(Member).where(Member.name == "赵二"))
    url = f"/admin/households/{hh.id}"
    response = post(client, url, f"/admin/households/members/{second.id}/leave", {"reason": "", "on": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert zh("Choose why the member left: moved out or deceased.") in html
    assert zh("Give the date the member left.") in html
    db.session.expire_all()
    assert db.session.get(Member, second.id).active
    assert count(AuditEvent, AuditEvent.action == "household.member_leave") == 0


def test_a_household_stops_taking_part_from_a_date_and_the_admin_can_undo_it(yf, client, make):
    hh = make.household(yf["village"], "赵大山", code="YF0100")
    db.session.commit()
    url = f"/admin/households/{hh.id}"
    response = post(client, url, f"{url}/stop", {"on": "2026-07-01", "reason": "整户迁出"}, follow_redirects=True)
    assert zh("No longer takes part in points from %(day)s.", day="2026-07-01") in response.get_data(as_text=True)
    assert (household().left_on, household().left_reason) == (date(2026, 7, 1), "整户迁出")
    response = post(client, url, f"{url}/resume", {}, follow_redirects=True)
    assert zh("The household takes part in points again.") in response.get_data(as_text=True)
    assert household().left_on is None
    assert count(AuditEvent, AuditEvent.action.in_(("household.leave", "household.rejoin"))) == 2


def test_another_villages_admin_gets_404_and_changes_nothing(yf, client, auth):
    other = yf["other_household"]
    assert client.get(f"/admin/households/{other.id}").status_code == 404
    url = f"/admin/households/{other.id}"
    token = csrf_token(client.get("/admin/households/new").get_data(as_text=True))
    for path, data in ((url, {"head_name": "改名"}), (f"{url}/stop", {"on": "2026-07-01"}),
                       (f"{url}/members", {"name": "外人"}),
                       (f"/admin/households/members/{other.members[0].id}/leave", {"reason": "deceased", "on": "2026-01-01"}),
                       ("/admin/households/new", add_form(yf, village=str(yf["other"].id)))):
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 404, path
    assert client.get(f"/admin/households/roster.xlsx?village={yf['other'].id}").status_code == 404
    db.session.expire_all()
    kept = db.session.get(Household, other.id)
    assert (kept.head_name, kept.left_on, len(kept.members)) == ("王五", None, 1)
    assert count(Household, Household.code == "YF0100") == 0
    auth.logout()
    auth.login("grid")
    assert client.get("/admin/households/new").status_code == 403


def test_the_household_list_and_page_link_to_adding_and_editing_for_the_admin_only(yf, client, auth, make):
    hh = make.household(yf["village"], "赵大山", code="YF0100", grid=yf["grids"][0])
    db.session.commit()
    assert "/admin/households/new" in client.get("/households").get_data(as_text=True)
    page = client.get("/households/YF0100").get_data(as_text=True)
    assert f"/admin/households/{hh.id}" in page and zh("Edit the household") in page
    auth.logout()
    auth.login("grid")
    assert "/admin/households/new" not in client.get("/households").get_data(as_text=True)
    assert f"/admin/households/{hh.id}" not in client.get("/households/YF0100").get_data(as_text=True)


def test_the_current_roster_downloads_in_the_import_columns_with_dates_and_imports_again(yf, client, make):
    make.household(yf["village"], "赵大山", code="0100", group=yf["groups"][0], members=("=HYPERLINK(1)",),
                   left_on=date(2026, 9, 1), left_reason="整户迁出")
    gone = make.household(yf["village"], "钱七", code="0200")
    db.session.add(Member(household=gone, name="钱小", relation="子", active=False, left_on=date(2026, 2, 1),
                          left_reason="moved_out", joined_reason="born", joined_on=date(2020, 5, 1)))
    db.session.commit()
    response = client.get(f"/admin/households/roster.xlsx?village={yf['village'].id}")
    assert response.status_code == 200
    data = response.get_data()
    book = openpyxl.load_workbook(io.BytesIO(data))
    roster, members = book["户籍名册"], book["家庭成员"]
    header = [c.value for c in roster[1]]
    assert header[:11] == ["户编码", "户主", "村民小组", "网格", "地址", "联系电话", "身份证号", "家庭成员", "常住",
                           "参与积分", "入户日期"]
    first = dict(zip(header, [c.value for c in roster[2]], strict=True))
    assert (first["户编码"], first["村民小组"], first["家庭成员"], first["停止参与原因"]) == (
        "0100", "一组", "=HYPERLINK(1)", "整户迁出")
    assert first["停止参与日期"].date() == date(2026, 9, 1) and roster["H2"].data_type == "s"  # text, not a formula
    rows = {(r[2], r[4], r[5], r[7]) for r in members.iter_rows(min_row=2, values_only=True)}
    assert ("钱小", "迁出", "出生", "迁出") in rows and ("赵大山", "在户", None, None) in rows
    assert db.session.scalar(select(func.count()).select_from(Member).where(Member.household_id == gone.id)) == 2
    result = import_roster(yf["village"], "roster.xlsx", data)  # the download is the import's own format
    assert (result.created, result.rows) == (0, 2)
