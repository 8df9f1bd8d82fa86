"""The review queue: what waits, in whose area, with which facts, filtered how — in a few queries.

油房村 (scheme fengsheng) has two grids: 张三丰 lives in 第一网格 (一组), 李四 in 第二网格 (二组).
Reviewers r1 and r2 and the admin "yf" review it; "wj" is the admin of 王家村 next door.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from tests.factories import RULES
from tests.refusals import refused
from tests.worlds.photos import attach, stored_photo
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.services.users import grant
from webapp.photos.models import EntryPhoto
from webapp.points.services.schemes import import_scheme
from webapp.publication.models import Publication
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.review.services.decisions import ReviewRefused, review_entry
from webapp.review.services.queue import PAGE_SIZE, QueueFilters, queue_page, queue_row

TODAY = date(2026, 4, 15)
MARCH = date(2026, 3, 12)


def arrived(minutes: int) -> datetime:
    """A receive time: larger is newer."""
    return datetime(2026, 3, 20, 8, 0) + timedelta(minutes=minutes)


@pytest.fixture
def yf(make):
    town = make.town()
    village = make.village(town, code="YF", name="油房村")
    other = make.village(town, code="WJ", name="王家村")
    version = make.scheme(village)
    other_version = make.scheme(other)
    g1, g2 = make.group(village, "一组"), make.group(village, "二组")
    w1, w2 = make.grid(village, "第一网格"), make.grid(village, "第二网格")
    zhang = make.household(village, "张三丰", code="YF0001", group=g1, grid=w1, members=("张小明",))
    li = make.household(village, "李四", code="YF0002", group=g2, grid=w2)
    wang = make.household(other, "王五", code="WJ0001")
    scorer = make.user("scorer", username="grid1", grid_id=w1.id)
    scorer.display_name = "网格员小李"
    return {
        "village": village, "other": other, "version": version, "w1": w1, "w2": w2, "g1": g1, "zhang": zhang,
        "li": li, "wang": wang, "scorer": scorer, "other_version": other_version,
        "r1": make.user("reviewer", username="r1", village_id=village.id),
        "r2": make.user("reviewer", username="r2", village_id=village.id),
        "admin": make.user("village_admin", username="yf", village_id=village.id),
        "wj": make.user("village_admin", username="wj", village_id=other.id),
    }


def recorded(make, yf, household, code: str, minutes: int, on: date = MARCH, **fields):
    return make.entry(household, yf["version"], code, on, status="recorded", received_at=arrived(minutes), **fields)


def page(user, **filters):
    return queue_page(user, QueueFilters(**filters), TODAY)


def keys(view) -> list[tuple[str, int]]:
    return [(row.kind, row.id) for row in view.rows]


def test_the_queue_lists_what_waits_for_review_newest_first(yf, make):
    """Recorded entries and inspections, newest arrival first; reviewed ones have left the queue."""
    older = recorded(make, yf, yf["zhang"], "J2", 1)
    inspection = make.inspection(yf["li"], yf["version"], "2026-03", status="recorded")
    inspection.received_at = arrived(2)
    newer = recorded(make, yf, yf["li"], "J4", 3)
    make.entry(yf["zhang"], yf["version"], "J2", MARCH, status="approved")

    view = page(yf["r1"])

    assert keys(view) == [("entry", newer.id), ("inspection", inspection.id), ("entry", older.id)]
    assert view.total == 3


def test_a_row_carries_the_household_context_and_what_the_decision_needs(yf, make):
    """Head, code, group, grid, member, item and points, scorer, place, note, photos, flags."""
    member = yf["zhang"].members[1]
    entry = recorded(make, yf, yf["zhang"], "J1", 1, quantity=2, member=member, recorded_by_id=yf["scorer"].id,
                     device="小李的手机", place="村委会", note="帮邻居收麦", flags=["self_declared"])
    photo = stored_photo()
    attach(photo, entry=entry)

    [row] = page(yf["r1"]).rows

    assert (row.head_name, row.household_code, row.group_name, row.grid_name) == ("张三丰", "YF0001", "一组", "第一网格")
    assert (row.member_name, row.item_code, row.quantity, row.entry_points) == ("张小明", "J1", 2, 1)  # 2 × 0.5
    assert (row.scorer_name, row.device, row.place, row.note) == ("网格员小李", "小李的手机", "村委会", "帮邻居收麦")
    assert row.photo_ids == [photo.id] and row.missing_evidence == ()
    assert row.flags == ("self_declared",)
    assert (row.approvals, row.approvals_needed, row.recorded_by_me) == (0, 1, False)
    assert row.may_approve


def test_an_evidence_required_entry_without_an_uploaded_photo_says_what_is_missing(yf, make):
    """J1 needs a photo: a photo declared by the phone but not uploaded yet does not count."""
    entry = recorded(make, yf, yf["zhang"], "J1", 1)
    db.session.add(EntryPhoto(client_uuid=entry.client_uuid, entry_id=entry.id, upload_sha256="0" * 64))

    [row] = page(yf["r1"]).rows

    assert row.missing_evidence == ("J1",) and row.photos_waiting == 1
    assert not row.may_approve


def test_a_scorer_who_also_reviews_sees_their_own_entry_without_decisions(yf, make):
    """A reviewer never approves their own entry: the row says so, and the service refuses."""
    both = yf["scorer"]
    grant(both, "reviewer", village_id=yf["village"].id)
    entry = recorded(make, yf, yf["zhang"], "J2", 1, recorded_by_id=both.id)

    [row] = page(both).rows

    assert row.recorded_by_me and not row.open and not row.may_approve
    with refused("You cannot review an entry you recorded yourself.", ReviewRefused):
        review_entry(both, entry.id, "approve")


def test_the_late_filter_shows_entries_that_arrived_late_or_whose_period_has_closed(yf, make):
    """Late = flagged late by the phone, or its month closed since: both wait for the next publication."""
    flagged = recorded(make, yf, yf["zhang"], "J2", 1, on=date(2026, 4, 2), flags=["late"])
    closed = recorded(make, yf, yf["li"], "J2", 2, on=date(2026, 2, 10))
    recorded(make, yf, yf["li"], "J4", 3)  # March: still open
    db.session.add(Publication(village_id=yf["village"].id, period="2026-02", kind="month", frozen={}))
    db.session.flush()

    view = page(yf["r1"], flag="late")

    assert keys(view) == [("entry", closed.id), ("entry", flagged.id)]
    assert [row.pending_publication for row in view.rows] == [True, False]
    assert len(page(yf["r1"], flag="any").rows) == 2


@pytest.mark.parametrize("flag", ["self_declared", "retired_item", "future_time", "old_time"])
def test_a_flag_filter_shows_only_entries_with_that_flag(yf, make, flag):
    """Each flag filters on itself; the other flags and unflagged entries stay out."""
    wanted = recorded(make, yf, yf["zhang"], "J2", 1, flags=[flag])
    recorded(make, yf, yf["zhang"], "J2", 2, flags=["unknown_version"])
    recorded(make, yf, yf["zhang"], "J2", 3)

    assert keys(page(yf["r1"], flag=flag)) == [("entry", wanted.id)]


def test_filters_by_area_item_and_scorer(yf, make):
    """Area (a grid or a village group), item code (or inspections only) and who recorded it."""
    by_scorer = recorded(make, yf, yf["zhang"], "J2", 1, recorded_by_id=yf["scorer"].id)
    in_w2 = recorded(make, yf, yf["li"], "J4", 2)
    inspection = make.inspection(yf["li"], yf["version"], "2026-03", status="recorded")

    assert keys(page(yf["r1"], area=f"grid-{yf['w2'].id}")) == [("inspection", inspection.id), ("entry", in_w2.id)]
    assert keys(page(yf["r1"], area=f"group-{yf['g1'].id}")) == [("entry", by_scorer.id)]
    assert keys(page(yf["r1"], item="J4")) == [("entry", in_w2.id)]
    assert keys(page(yf["r1"], item="inspection")) == [("inspection", inspection.id)]
    assert keys(page(yf["r1"], scorer_id=yf["scorer"].id)) == [("entry", by_scorer.id)]
    view = page(yf["r1"])
    assert [code for code, _name in view.items] == ["J2", "J4"]
    assert view.scorers == [(yf["scorer"].id, "网格员小李")]
    assert {label for _value, label in view.areas} == {"第一网格", "第二网格", "一组", "二组"}


def test_a_reviewer_sees_only_the_area_of_their_review_group(yf, make):
    """With review groups, a member of the group for 第二网格 sees 李四's entries, not 张三丰's."""
    recorded(make, yf, yf["zhang"], "J2", 1)
    li_entry = recorded(make, yf, yf["li"], "J2", 2)
    group = ReviewGroup(village_id=yf["village"].id, name="乙组")
    db.session.add(group)
    db.session.flush()
    db.session.add_all([ReviewGroupMember(group_id=group.id, user_id=u.id) for u in (yf["r1"], yf["r2"], yf["admin"])]
                       + [ReviewGroupArea(group_id=group.id, grid_id=yf["w2"].id)])
    db.session.flush()

    assert keys(page(yf["r1"])) == [("entry", li_entry.id)]
    assert len(page(yf["admin"]).rows) == 2  # the committee reviews the whole village


def test_a_reviewer_outside_every_group_is_told_why_the_queue_is_empty(yf, make):
    """Once the village has groups, a reviewer in none reviews nothing, and the page says why."""
    recorded(make, yf, yf["zhang"], "J2", 1)
    db.session.add(ReviewGroup(village_id=yf["village"].id, name="甲组"))
    db.session.flush()

    view = page(yf["r1"])

    assert view.rows == []
    assert [(village, "not a member of any review group" in msgid) for village, msgid in view.problems] == [
        ("油房村", True)]


def test_a_village_admin_of_another_village_sees_nothing_of_this_one(yf, make):
    """王家村's admin sees 王家村's queue only, and cannot open 油房村's rows."""
    entry = recorded(make, yf, yf["zhang"], "J2", 1)
    theirs = make.entry(yf["wang"], yf["other_version"], "J2", MARCH, status="recorded")

    assert keys(page(yf["wj"])) == [("entry", theirs.id)]
    with refused("No such entry in your review area.", NotFound):
        queue_row(yf["wj"], "entry", entry.id, TODAY)
    with refused("No such village.", NotFound):
        page(yf["wj"], village_id=yf["village"].id)


def test_the_queue_is_paginated(yf, make):
    """25 waiting: 20 on the first page, 5 on the second."""
    for minutes in range(25):
        recorded(make, yf, yf["zhang"], "J2", minutes)

    first, second = page(yf["r1"]), page(yf["r1"], page=2)

    assert (len(first.rows), first.has_next, first.has_previous) == (PAGE_SIZE, True, False)
    assert (len(second.rows), second.has_next, second.has_previous) == (5, False, True)
    assert not set(keys(first)) & set(keys(second))


def test_two_approvals_needed_show_as_one_of_two_until_another_reviewer_approves(make):
    """approvals_needed: 2 — the first approval leaves the entry waiting, a second reviewer approves it."""
    village = make.village()
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    text = text.replace("policies:\n", "policies:\n  approvals_needed: 2\n")
    version, _ = import_scheme(village, text, effective_from=date(2020, 1, 1))
    household = make.household(village)
    r1 = make.user("reviewer", village_id=village.id)
    r2 = make.user("reviewer", village_id=village.id)
    entry = make.entry(household, version, "J2", MARCH, status="recorded")

    review_entry(r1, entry.id, "approve")
    mine, theirs = queue_row(r1, "entry", entry.id, TODAY), queue_row(r2, "entry", entry.id, TODAY)

    assert (mine.status, mine.approvals, mine.approvals_needed, mine.waiting_for) == ("recorded", 1, 2, 1)
    assert mine.approved_by_me and not mine.may_approve
    assert theirs.may_approve
    review_entry(r2, entry.id, "approve")
    assert queue_row(r2, "entry", entry.id, TODAY).status == "approved"


def count_queries(app):
    counted = []

    def count(*_args):
        counted.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    return counted, lambda: event.remove(db.engine, "before_cursor_execute", count)


def test_a_page_costs_the_same_number_of_queries_for_2_rows_as_for_20(yf, make, app):
    """No N+1: photos, names, decisions and rules are loaded for the whole page at once."""
    photo = stored_photo()

    def fill(n: int) -> None:
        for i in range(n):
            household = make.household(yf["village"], f"户{i}", grid=yf["w1"])
            entry = recorded(make, yf, household, "J1", i, recorded_by_id=yf["scorer"].id)
            attach(photo, entry=entry)
            inspection = make.inspection(household, yf["version"], "2026-03", status="recorded")
            attach(photo, inspection=inspection, item_code="B1")

    def queries_for_a_page() -> int:
        db.session.expire_all()
        counted, stop = count_queries(app)
        view = page(yf["r1"])
        stop()
        return len(counted), len(view.rows)

    fill(1)
    small, shown = queries_for_a_page()
    assert shown == 2
    fill(12)
    large, shown = queries_for_a_page()
    assert shown == PAGE_SIZE
    assert large == small
