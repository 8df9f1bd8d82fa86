"""The service desk (帮办代办): matters logged for households under list items, due dates from the
items' time limits, the transition table, overdue matters on top, the monthly summary."""

from __future__ import annotations

from datetime import date

import pytest

from tests.refusals import refused
from tests.worlds import lists as lists_world
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.lists.services import catalog, service_desk as desk, versions


@pytest.fixture
def desk_village(make):
    """油房村 with its adopted lists and two households."""
    return lists_world.desk_village(make)


def test_the_due_date_follows_the_items_time_limit(desk_village):
    """FW-01's steps take 0+1+5+1 = 7 days; FW-02 has an explicit 30-day limit; a given due date wins."""
    village, items = desk_village
    pension = desk.register(village, "YF0001", items["FW-01"].id, date(2026, 3, 2), "王专员")
    subsidy = desk.register(village, "YF0002", items["FW-02"].id, date(2026, 3, 2))
    custom = desk.register(village, "YF0002", items["FW-01"].id, date(2026, 3, 2), due_on=date(2026, 3, 4))
    assert pension.due_on == date(2026, 3, 9) and subsidy.due_on == date(2026, 4, 1) and custom.due_on == date(2026, 3, 4)
    assert [m.number for m in (pension, subsidy, custom)] == ["2026-0001", "2026-0002", "2026-0003"]
    assert pension.status == "received" and pension.events[0].to_status == "received"


def test_a_matter_past_its_due_date_is_listed_as_overdue_and_first(desk_village):
    """On 20 March a matter due on the 9th is 11 days overdue and heads the log; done ones are never overdue."""
    village, items = desk_village
    on_time = desk.register(village, "YF0001", items["FW-02"].id, date(2026, 3, 10))  # due 9 April
    late = desk.register(village, "YF0002", items["FW-01"].id, date(2026, 3, 2))  # due 9 March
    done = desk.register(village, "YF0001", items["FW-01"].id, date(2026, 3, 1))
    desk.transition(done, "finish", date(2026, 3, 20))
    db.session.commit()

    rows = desk.matters(village, date(2026, 3, 20))

    assert [(r.matter.id, r.overdue_days) for r in rows] == [(late.id, 11), (on_time.id, 0), (done.id, 0)]
    assert [r.matter.id for r in desk.matters(village, date(2026, 3, 20), status="overdue")] == [late.id]
    assert [r.matter.id for r in desk.matters(village, date(2026, 3, 20), query="李四")] == [late.id]


def test_each_status_change_follows_the_table_and_is_logged(desk_village):
    """Received → in progress → returned (with a reason) → received again (the clock restarts) → done."""
    village, items = desk_village
    matter = desk.register(village, "YF0001", items["FW-01"].id, date(2026, 3, 2))
    desk.transition(matter, "start", date(2026, 3, 3))
    with refused("Say why the matter is returned."):
        desk.transition(matter, "return", date(2026, 3, 4))
    desk.transition(matter, "return", date(2026, 3, 4), reason="缺少户口簿")
    assert (matter.status, matter.closed_on, matter.return_reason) == ("returned", date(2026, 3, 4), "缺少户口簿")
    with refused("This matter cannot do that now."):
        desk.transition(matter, "finish", date(2026, 3, 5))  # not from returned
    desk.transition(matter, "reopen", date(2026, 3, 10))
    assert (matter.status, matter.closed_on, matter.due_on) == ("received", None, date(2026, 3, 17))
    desk.transition(matter, "finish", date(2026, 3, 12))
    with refused("This matter cannot do that now."):
        desk.transition(matter, "start", date(2026, 3, 13))  # done is final
    assert [(e.from_status, e.to_status) for e in matter.events] == [
        ("", "received"), ("received", "in_progress"), ("in_progress", "returned"), ("returned", "received"),
        ("received", "done")]
    assert matter.events[2].note == "缺少户口簿"


def test_a_matter_needs_a_household_of_the_village_and_an_adopted_item(make, desk_village):
    """Another village's household, an unknown code or a draft item is refused."""
    village, items = desk_village
    other = make.village(village.town, code="WJ")
    make.household(other, code="WJ0001")
    draft = versions.start_draft(catalog.village_lists(village)[0])
    no_household, no_item = "No household with code %(code)s in this village.", "Choose the list item the matter falls under."
    for code, item_id, msgid in (("WJ0001", items["FW-01"].id, no_household), ("NOPE", items["FW-01"].id, no_household),
                                 ("YF0001", draft.items[0].id, no_item), ("YF0001", None, no_item)):
        with refused(msgid):
            desk.register(village, code, item_id, date(2026, 3, 2))


def test_a_status_cannot_change_before_the_matter_was_received(desk_village):
    """Dates in the log run forward."""
    village, items = desk_village
    matter = desk.register(village, "YF0001", items["FW-01"].id, date(2026, 3, 2))
    with refused("A matter cannot change before the day it was received."):
        desk.transition(matter, "finish", date(2026, 3, 1))


def test_the_monthly_summary_of_the_desk(desk_village):
    """March: three received, one done on time, one returned, one still open and overdue at the month's end."""
    village, items = desk_village
    a = desk.register(village, "YF0001", items["FW-01"].id, date(2026, 3, 2))
    b = desk.register(village, "YF0002", items["ZM-01"].id, date(2026, 3, 5))
    desk.register(village, "YF0002", items["FW-01"].id, date(2026, 3, 10))  # due 17 March, still open
    desk.transition(a, "finish", date(2026, 3, 6))
    desk.transition(b, "return", date(2026, 3, 5), reason="非本村居民")
    summary = desk.summary(village, "2026-03")
    assert (summary.received, summary.done, summary.done_on_time, summary.returned) == (3, 1, 1, 1)
    assert (summary.open_at_end, summary.overdue_at_end) == (1, 1)
    assert dict(summary.by_item) == {"城乡居民基本养老保险参保登记": 2, "居住证明": 1}
    with refused("Choose a month."):
        desk.summary(village, "2026-13")


def test_only_the_villages_admins_and_the_towns_reach_a_matter(make, desk_village):
    """The log names households: another village's admin gets NotFound."""
    village, items = desk_village
    matter = desk.register(village, "YF0001", items["FW-01"].id, date(2026, 3, 2))
    assert desk.matter_for(make.user("village_admin", village_id=village.id), matter.id) is matter
    assert desk.matter_for(make.user("town_admin", town_id=village.town_id), matter.id) is matter
    other = make.village(village.town, code="WJ")
    for user in (make.user("village_admin", village_id=other.id), make.user("auditor", village_id=village.id)):
        with refused("Choose one of your villages.", NotFound):
            desk.matter_for(user, matter.id)


def test_the_desk_offers_items_of_service_and_certificate_lists_only(make, desk_village):
    """A negative list's items are not matters a villager can ask for."""
    village, _items = desk_village
    negative = catalog.create_list(village.town, village, "negative")
    versions.save_item(negative.versions[0], {"code": "FM-01", "name": "不得要求村级组织出具无依据证明"})
    versions.adopt(negative.versions[0], date(2026, 1, 5), "通过", date(2026, 1, 10))
    offered = {d.code for d, _items in desk.desk_items(village, date(2026, 3, 1))}
    assert offered == {"FW", "ZM"}
