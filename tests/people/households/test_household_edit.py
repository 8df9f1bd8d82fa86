"""Households on the page, the service: adding, editing, moving, members joining and leaving, and the
dates a household takes part from and until. Each write is audited; a bad form writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.household import Household, Member
from webapp.people.services import household_edit as edit

TODAY = date(2026, 6, 15)
NOTHING_SAVED = "Nothing was saved: correct the fields marked below."


@pytest.fixture
def yf(make):
    """油房村 with two groups and two grids, its admin, and 王家村 next door with a grid of its own."""
    town = make.town(code="FS")
    village = make.village(town, code="YF")
    other = make.village(town, code="WJ", name="王家村")
    return {
        "village": village, "other": other,
        "groups": [make.group(village, "一组"), make.group(village, "二组")],
        "grids": [make.grid(village, "第一网格"), make.grid(village, "第二网格")],
        "other_grid": make.grid(other, "王家网格"),
        "admin": make.user("village_admin", username="yfadmin", village_id=village.id),
        "other_admin": make.user("village_admin", username="wjadmin", village_id=other.id),
        "town_admin": make.user("town_admin", username="townadmin", town_id=town.id),
    }


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def rows() -> tuple[int, int, int]:
    return (db.session.scalar(select(func.count()).select_from(Household)),
            db.session.scalar(select(func.count()).select_from(Member)),
            db.session.scalar(select(func.count()).select_from(AuditEvent)))


def add(yf, **fields) -> Household:
    form = {"code": "YF0100", "head_name": "赵大山", "group": str(yf["groups"][0].id),
            "grid": str(yf["grids"][0].id), "address": "油房村8号", "phone": "13900001111", "resident": "y",
            "enrolled_on": "2026-03-01"} | fields
    return edit.add_household(yf["admin"], yf["village"], form, TODAY)


def test_adding_a_household_creates_it_with_its_head_as_a_member_and_audits_it(yf):
    household = add(yf)
    assert (household.code, household.head_name, household.head_initials) == ("YF0100", "赵大山", "zds")
    assert (household.group, household.grid) == (yf["groups"][0], yf["grids"][0])
    assert (household.enrolled_on, household.left_on, household.resident, household.eligible) == (
        date(2026, 3, 1), None, True, True)
    assert [(m.name, m.relation, m.is_head, m.active) for m in household.members] == [("赵大山", "户主", True, True)]
    [event] = events("household.create")
    assert (event.actor_id, event.object_id, event.village_id) == (yf["admin"].id, household.id, yf["village"].id)
    assert event.detail["code"] == "YF0100" and event.detail["enrolled_on"] == "2026-03-01"


def test_a_household_added_without_a_start_date_takes_part_from_today(yf):
    assert add(yf, enrolled_on="", resident="").enrolled_on == TODAY


def test_a_bad_household_form_is_refused_field_by_field_and_writes_nothing(yf):
    before = rows()
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        add(yf, code="", head_name="张" * 51, phone="call me", enrolled_on="2026-02-30")
    problems = {name: p.msgid for name, p in caught.value.problems.items()}
    assert problems == {
        "code": "The household code is empty.",
        "head_name": "This value has %(length)s characters; at most %(max)s fit.",
        "phone": "%(value)s is not a phone number: use digits, with an optional +, - or spaces (7 to 20 characters).",
        "enrolled_on": "%(value)s is not a date: write it like 2024-03-01.",
    }
    assert rows() == before


def test_a_household_code_already_used_anywhere_is_refused(yf, make):
    make.household(yf["other"], code="WJ0001")
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        add(yf, code="WJ0001")
    assert caught.value.problems["code"].params == {"code": "WJ0001"}
    assert db.session.scalar(select(func.count()).select_from(Household).where(Household.village_id == yf["village"].id)) == 0


def test_a_grid_or_group_of_another_village_is_refused(yf):
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        add(yf, grid=str(yf["other_grid"].id))
    assert caught.value.problems["grid"].msgid == "That grid is not one of this village's."
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        add(yf, group="99999")
    assert caught.value.problems["group"].msgid == "That village group is not one of this village's."


def test_editing_a_household_changes_its_fields_and_audits_the_changes(yf):
    household = add(yf)
    form = {"head_name": "赵大山", "group": str(yf["groups"][0].id), "grid": str(yf["grids"][0].id),
            "address": "油房村9号", "phone": "", "enrolled_on": "2026-03-01", "code": "CHANGED"}
    changes = edit.edit_household(yf["admin"], household, form)
    assert changes == {"address": ["油房村8号", "油房村9号"], "phone": ["13900001111", ""],
                       "resident": ["yes", "no"]}
    assert household.code == "YF0100"  # the code is the household's login and card: it stays
    [event] = events("household.update")
    assert event.detail["changes"] == changes and events("household.move") == []


def test_moving_a_household_between_groups_and_grids_is_audited_as_a_move(yf):
    household = add(yf)
    form = {"head_name": "赵大山", "group": str(yf["groups"][1].id), "grid": str(yf["grids"][1].id),
            "address": "油房村8号", "phone": "13900001111", "resident": "y", "enrolled_on": "2026-03-01"}
    edit.edit_household(yf["admin"], household, form)
    assert (household.group, household.grid) == (yf["groups"][1], yf["grids"][1])
    [event] = events("household.move")
    assert event.detail["changes"] == {"group": ["一组", "二组"], "grid": ["第一网格", "第二网格"]}
    assert events("household.update") == []


def test_moving_a_household_to_another_villages_grid_is_refused(yf):
    household = add(yf)
    form = {"head_name": "赵大山", "grid": str(yf["other_grid"].id)}
    with refused(NOTHING_SAVED, edit.FormRefusal):
        edit.edit_household(yf["admin"], household, form)
    assert household.grid == yf["grids"][0] and events("household.move") == []


def test_naming_a_member_as_head_makes_them_the_head(yf):
    household = add(yf)
    edit.add_member(yf["admin"], household, {"name": "李秀英", "relation": "配偶"}, TODAY)
    edit.edit_household(yf["admin"], household, {"head_name": "李秀英", "resident": "y"})
    heads = {m.name: (m.is_head, m.relation) for m in household.members}
    assert heads == {"李秀英": (True, "户主"), "赵大山": (False, "")}
    assert household.head_initials == "lxy"


def test_a_member_joins_with_how_and_when_and_it_is_audited(yf):
    household = add(yf)
    member = edit.add_member(yf["admin"], household, {"name": "赵小宝", "relation": "子", "reason": "born",
                                                      "on": "2026-05-20"}, TODAY)
    assert (member.name, member.relation, member.joined_reason, member.joined_on, member.active) == (
        "赵小宝", "子", "born", date(2026, 5, 20), True)
    [event] = events("household.member_join")
    assert event.detail | {} == {"code": "YF0100", "member_id": member.id, "name": "赵小宝", "relation": "子",
                                 "reason": "born", "joined_on": "2026-05-20"}


@pytest.mark.parametrize(("form", "field", "msgid"), [
    ({"name": ""}, "name", "The member's name is empty."),
    ({"name": "赵小宝", "reason": "born"}, "on", "Give the date of birth or of moving in."),
    ({"name": "赵小宝", "reason": "born", "on": "2026-07-01"}, "on", "The date %(day)s is in the future."),
    ({"name": "赵小宝", "reason": "adopted", "on": "2026-05-01"}, "reason", "Choose how the member joined."),
    ({"name": "赵大山"}, "name", "%(name)s is already a member of this household."),
])
def test_a_bad_new_member_is_refused_and_nothing_is_written(yf, form, field, msgid):
    household = add(yf)
    before = rows()
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        edit.add_member(yf["admin"], household, form, TODAY)
    assert caught.value.problems[field].msgid == msgid
    assert rows() == before


@pytest.mark.parametrize("reason", ["moved_out", "deceased"])
def test_a_member_who_leaves_keeps_the_record_with_the_date_and_reason(yf, reason):
    household = add(yf)
    member = edit.add_member(yf["admin"], household, {"name": "赵二", "relation": "子"}, TODAY)
    edit.remove_member(yf["admin"], member, {"reason": reason, "on": "2026-06-01"}, TODAY)
    db.session.flush()
    kept = db.session.get(Member, member.id)
    assert (kept.active, kept.left_on, kept.left_reason) == (False, date(2026, 6, 1), reason)
    [event] = events("household.member_leave")
    assert (event.detail["name"], event.detail["reason"], event.detail["left_on"]) == ("赵二", reason, "2026-06-01")


def test_leaving_needs_a_reason_and_a_past_date_and_the_head_cannot_leave_first(yf):
    household = add(yf)
    member = edit.add_member(yf["admin"], household, {"name": "赵二", "reason": "moved_in", "on": "2026-04-01"},
                             TODAY)
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        edit.remove_member(yf["admin"], member, {"reason": "", "on": "2026-03-01"}, TODAY)
    assert {n: p.msgid for n, p in caught.value.problems.items()} == {
        "reason": "Choose why the member left: moved out or deceased.",
        "on": "The member joined on %(day)s: the date cannot be earlier."}
    head = household.members[0]
    with refused("%(name)s is the head of the household: first make another member the head "
                 "(edit the household and enter their name as the head's)."):
        edit.remove_member(yf["admin"], head, {"reason": "deceased", "on": "2026-06-01"}, TODAY)
    assert member.active and head.active and events("household.member_leave") == []


def test_a_household_stops_taking_part_from_a_date_and_the_undo_is_audited(yf):
    household = add(yf)
    edit.stop_participating(yf["admin"], household, {"on": "2026-09-01", "reason": "整户迁出"})
    assert (household.left_on, household.left_reason) == (date(2026, 9, 1), "整户迁出")
    edit.resume_participating(yf["admin"], household)
    assert (household.left_on, household.left_reason) == (None, "")
    assert events("household.leave")[0].detail["left_on"] == "2026-09-01"
    assert events("household.rejoin")[0].detail == {"code": "YF0100", "left_on": "2026-09-01", "reason": "整户迁出"}


def test_stopping_before_the_household_began_taking_part_is_refused(yf):
    household = add(yf)
    with refused(NOTHING_SAVED, edit.FormRefusal) as caught:
        edit.stop_participating(yf["admin"], household, {"on": "2026-03-01"})
    assert caught.value.problems["on"].msgid == "The household takes part from %(day)s: the date must be later."
    with refused(NOTHING_SAVED, edit.FormRefusal):
        edit.stop_participating(yf["admin"], household, {"on": ""})
    assert household.left_on is None and events("household.leave") == []


def test_only_the_admins_of_its_village_or_town_may_change_a_household(yf):
    household = add(yf)
    assert edit.managed_household(yf["admin"], household.id) is household
    assert edit.managed_household(yf["town_admin"], household.id) is household
    with refused("No such household.", NotFound):
        edit.managed_household(yf["other_admin"], household.id)
    with refused("No such household.", NotFound):
        edit.managed_member(yf["other_admin"], household.members[0].id)
