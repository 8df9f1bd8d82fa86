"""The procedure that changes a list: draft, adopt at a meeting, in force from a date; adopted
versions never change; town templates handed to villages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.refusals import refused
from tests.worlds.lists import FENGSHENG, MEETING, START, adopted_lists, counts
from webapp.extensions import db
from webapp.lists.models import ListVersion
from webapp.lists.services import catalog, import_export as lists_io, templates as lists_templates, versions


@pytest.fixture
def village(make):
    return make.village(make.town(code="FS"), code="YF", name="油房村")


def test_adopting_a_new_version_keeps_the_old_one_readable_and_unchanged(village):
    """Version 2 changes, adds and removes items; version 1's content and fingerprint stay exactly as adopted."""
    service = adopted_lists(village)["FW"]
    v1 = service.versions[0]
    before, fingerprint = versions.version_content(v1), v1.fingerprint

    draft = versions.start_draft(service, note="增加残疾人证代办")
    changed = versions.item_content(draft.items[0]) | {"name": "城乡居民养老保险参保登记（代办）"}
    versions.save_item(draft, changed, draft.items[0])
    versions.delete_item(draft.items[1])
    versions.save_item(draft, {"code": "FW-03", "name": "残疾人证办理", "steps": [{"action": "受理", "days": 2}]})
    versions.adopt(draft, date(2026, 4, 1), "村民代表会议表决通过", date(2026, 4, 10))
    db.session.commit()
    db.session.expire_all()

    v1 = db.session.get(ListVersion, v1.id)
    assert versions.version_content(v1) == before
    assert v1.status == "adopted" and v1.fingerprint == fingerprint
    assert [i.code for i in draft.items] == ["FW-01", "FW-03"]
    assert catalog.in_force(service, date(2026, 4, 9)).number == 1
    assert catalog.in_force(service, date(2026, 4, 10)).number == 2
    states = [(row.version.number, row.state) for row in versions.history(service, date(2026, 5, 1))]
    assert states == [(2, "in_force"), (1, "superseded")]
    assert versions.history(service, date(2026, 5, 1))[0].diff.changed == ("FW-01",)


def test_editing_an_adopted_version_is_refused_and_changes_nothing(village):
    """Every way of changing an adopted version is refused; a new draft is the way to change a list."""
    service = adopted_lists(village)["FW"]
    v1 = service.versions[0]
    item = v1.items[0]
    before = (versions.version_content(v1), counts())
    attempts = [
        lambda: versions.save_item(v1, versions.item_content(item) | {"name": "改了"}, item),
        lambda: versions.save_item(v1, {"code": "FW-09", "name": "新增"}),
        lambda: versions.delete_item(item),
        lambda: versions.move_item(item, 1),
        lambda: versions.replace_items(v1, []),
        lambda: versions.adopt(v1, date(2026, 2, 1), "再次通过", date(2026, 2, 1)),
    ]
    for attempt in attempts:
        with refused("This version was adopted and can no longer change. Start a new draft to change the list."):
            attempt()
        db.session.rollback()
    db.session.expire_all()
    assert (versions.version_content(db.session.get(ListVersion, v1.id)), counts()) == before


def test_a_new_draft_copies_the_latest_adopted_version_and_only_one_draft_is_open_at_a_time(village):
    """The draft starts from what is in force, so a change is made by editing, not retyping."""
    service = adopted_lists(village)["FW"]
    draft = versions.start_draft(service, note="调整时限")
    assert draft.number == 2 and draft.status == "draft"
    assert versions.version_content(draft) == versions.version_content(service.versions[0])
    assert {i.id for i in draft.items}.isdisjoint({i.id for i in service.versions[0].items})
    with refused("This list already has a draft: change it, or adopt it first."):
        versions.start_draft(service)


ADOPTION_REFUSED = {  # (meeting, decision, start): why the draft is not adopted
    (None, "通过", START): "Give the date of the meeting that adopted the list.",
    (MEETING, "", START): "Write down the meeting's decision.",
    (MEETING, "通过", None): "Give the date from which the list is in force.",
    (START, "通过", MEETING): "A list cannot be in force before the meeting that adopted it.",
}


@pytest.mark.parametrize(("meeting", "decision", "start"), list(ADOPTION_REFUSED))
def test_a_draft_without_the_meetings_date_decision_or_a_valid_start_stays_a_draft(village, make, meeting, decision, start):
    """Adoption is refused with a message, and the draft can still be edited."""
    duty_list = catalog.create_list(village.town, village, "certificate")
    versions.save_item(duty_list.versions[0], {"code": "ZM-01", "name": "居住证明"})
    with refused(ADOPTION_REFUSED[meeting, decision, start]):
        versions.adopt(duty_list.versions[0], meeting, decision, start)
    assert duty_list.versions[0].status == "draft"


def test_an_empty_draft_cannot_be_adopted(village):
    """Nothing to put in force."""
    duty_list = catalog.create_list(village.town, village, "negative")
    with refused("An empty list cannot be adopted."):
        versions.adopt(duty_list.versions[0], MEETING, "通过", START)


def test_two_items_of_a_version_cannot_share_a_code(village):
    """Codes address items in the public pages and in files."""
    duty_list = catalog.create_list(village.town, village, "service", code="FW")
    versions.save_item(duty_list.versions[0], {"code": "A", "name": "一"})
    with refused("Another item of this list already has code %(code)s."):
        versions.save_item(duty_list.versions[0], {"code": "A", "name": "二"})


def test_moving_an_item_changes_the_order_of_a_draft(village):
    """Up and down swap an item with its neighbour."""
    draft = versions.start_draft(adopted_lists(village)["FW"])
    versions.move_item(draft.items[1], -1)
    assert [i.code for i in draft.items] == ["FW-02", "FW-01"]


def test_a_town_template_handed_out_becomes_a_draft_in_each_village_which_adapts_and_adopts_it(make, village):
    """The town keeps the template; each village gets its own draft copy; a village with an open draft is skipped."""
    other = make.village(village.town, code="WJ", name="王家村")
    template = catalog.create_list(village.town, None, "certificate", "依法出具证明事项清单（镇模板）", "ZM")
    versions.replace_items(template.versions[0], lists_io.read_yaml(FENGSHENG)["lists"][1]["items"])
    with refused("Adopt the template before handing it to villages."):
        lists_templates.hand_out(template, [village, other], date(2026, 1, 20))
    versions.adopt(template.versions[0], MEETING, "镇党委会议研究通过", START)

    result = lists_templates.hand_out(template, [village, other], date(2026, 1, 20))

    assert [v.code for v, _draft in result.drafts] == ["YF", "WJ"] and not result.skipped
    for adopted_village, draft in result.drafts:
        assert draft.duty_list.village_id == adopted_village.id and draft.duty_list.template_id == template.id
        assert draft.number == 1
        assert versions.version_content(draft) == versions.version_content(template.versions[0])
    yf_draft = result.drafts[0][1]
    versions.save_item(yf_draft, {"code": "ZM-02", "name": "亲属关系证明"})  # the village adapts it
    versions.adopt(yf_draft, date(2026, 2, 1), "村民代表会议表决通过", date(2026, 2, 1))
    again = lists_templates.hand_out(template, [village, other], date(2026, 2, 2))
    assert [v.code for v, _d in again.drafts] == ["YF"] and [v.code for v in again.skipped] == ["WJ"]
    assert again.drafts[0][1].number == 2


def test_only_its_admins_and_the_towns_manage_a_village_list_and_only_the_town_its_templates(make, village):
    """Scope is checked per list: another village's admin does not even learn it exists."""
    other = make.village(village.town, code="WJ")
    service = adopted_lists(village)["FW"]
    template = catalog.create_list(village.town, None, "service", code="FW")
    own = make.user("village_admin", village_id=village.id)
    foreign = make.user("village_admin", village_id=other.id)
    town = make.user("town_admin", town_id=village.town_id)
    assert catalog.can_manage_list(own, service) and catalog.can_manage_list(town, service)
    assert not catalog.can_manage_list(foreign, service)
    assert catalog.can_manage_list(town, template) and not catalog.can_manage_list(own, template)
