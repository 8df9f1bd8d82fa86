"""The review queue's pages: who may open it, the decisions posted from a row (htmx and plain
forms), what a refusal shows, and that a refusal writes nothing.

油房村 (scheme fengsheng): 张三丰 in 第一网格, 李四 in 第二网格; reviewers r1, r2; "both" is the
grid worker of 第一网格 who also reviews; "wj" is the admin of 王家村.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask_babel import gettext
from markupsafe import escape
from sqlalchemy import func, select

from tests.factories import RULES
from tests.worlds.pages import csrf_token
from tests.worlds.photos import attach, stored_photo
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.user import User
from webapp.people.services.users import grant
from webapp.points.models.entry import Entry, Inspection
from webapp.points.services.schemes import import_scheme
from webapp.review.models import ReviewDecision, ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.villagers.services.household_points import household_points

MARCH = date(2026, 3, 12)
HTMX = {"HX-Request": "true"}


def said(msgid: str, **params) -> str:
    """A message as the page shows it: translated for the user, HTML-escaped."""
    return str(escape(gettext(msgid, **params)))


@pytest.fixture
def yf(make):
    town = make.town()
    village = make.village(town, code="YF", name="油房村")
    other = make.village(town, code="WJ", name="王家村")
    version = make.scheme(village)
    w1, w2 = make.grid(village, "第一网格"), make.grid(village, "第二网格")
    zhang = make.household(village, "张三丰", code="YF0001", grid=w1)
    li = make.household(village, "李四", code="YF0002", grid=w2)
    both = make.user("scorer", username="both", grid_id=w1.id)
    grant(both, "reviewer", village_id=village.id)
    make.user("reviewer", username="r1", village_id=village.id)
    make.user("reviewer", username="r2", village_id=village.id)
    make.user("scorer", username="grid2", grid_id=w2.id)
    make.user("village_admin", username="wj", village_id=other.id)
    make.user("reviewer", username="wj-reviewer", village_id=other.id)
    db.session.commit()
    return {"village": village, "version": version, "w1": w1, "w2": w2, "zhang": zhang, "li": li, "both": both}


def recorded(make, yf, code: str = "J2", household: str = "zhang", **fields) -> Entry:
    entry = make.entry(yf[household], yf["version"], code, MARCH, status="recorded", **fields)
    db.session.commit()
    return entry


def decide(client, kind: str, object_id: int, htmx: bool = True, **data):
    """Post a decision from the queue page, as its form does (htmx sends the token as a header)."""
    token = csrf_token(client.get("/review").get_data(as_text=True))
    plural = "entries" if kind == "entry" else "inspections"
    headers = {**HTMX, "X-CSRFToken": token} if htmx else {}
    form = data if htmx else {"csrf_token": token, **data}
    return client.post(f"/review/{plural}/{object_id}", data=form, headers=headers)


def status_of(entry: Entry) -> str:
    db.session.expire_all()
    return db.session.get(Entry, entry.id).status


def writes() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (Entry, ReviewDecision, AuditEvent))


def test_reviewers_and_village_admins_open_the_queue_and_grid_workers_do_not(yf, make, auth, client):
    """The queue is for reviewers and the committee: a grid worker gets 403."""
    recorded(make, yf)
    auth.login("r1")
    page = client.get("/review")
    assert page.status_code == 200 and "张三丰" in page.get_data(as_text=True)
    auth.logout()
    auth.login("grid2")
    assert client.get("/review").status_code == 403


def test_a_scorers_own_entry_shows_without_buttons_and_approving_it_is_refused(yf, make, auth, client):
    """A reviewer cannot approve their own entry: the row says so; a forged post gets 422 and changes nothing."""
    entry = recorded(make, yf, recorded_by_id=yf["both"].id)
    auth.login("both")

    html = client.get("/review").get_data(as_text=True)
    row = html[html.index(f'id="entry-{entry.id}"'):]
    assert said("You recorded this: another reviewer decides it.") in row
    assert 'value="approve"' not in row
    before = writes()

    response = decide(client, "entry", entry.id, action="approve")

    assert response.status_code == 422
    assert said("You cannot review an entry you recorded yourself.") in response.get_data(as_text=True)
    assert status_of(entry) == "recorded" and writes() == before


def test_an_evidence_required_entry_needs_its_uploaded_photo_before_approval(yf, make, auth, client):
    """J1 without a photo: 422 and still recorded; with the uploaded photo it is approved."""
    entry = recorded(make, yf, "J1")
    auth.login("r1")

    refused = decide(client, "entry", entry.id, action="approve")
    assert refused.status_code == 422 and status_of(entry) == "recorded"
    assert f'id="entry-{entry.id}"' in refused.get_data(as_text=True)

    attach(stored_photo(), entry=db.session.get(Entry, entry.id))
    db.session.commit()
    approved = decide(client, "entry", entry.id, action="approve")

    assert approved.status_code == 200 and status_of(entry) == "approved"
    assert said("Approved: it counts.") in approved.get_data(as_text=True)


def test_a_rejection_needs_a_reason_and_a_rejected_entry_counts_for_nothing(yf, make, auth, client):
    """Reject without a reason: 422. With one: the row shows it, and the household's March is 0.5 (J2 × 1)."""
    make.entry(yf["zhang"], yf["version"], "J2", MARCH, status="approved")
    entry = recorded(make, yf, quantity=2)
    auth.login("r1")

    assert decide(client, "entry", entry.id, action="reject", reason="  ").status_code == 422
    assert status_of(entry) == "recorded"
    response = decide(client, "entry", entry.id, action="reject", reason="重复登记")

    assert response.status_code == 200 and status_of(entry) == "rejected"
    assert said("Rejected: %(reason)s", reason="重复登记") in response.get_data(as_text=True)
    zhang = db.session.get(type(yf["zhang"]), yf["zhang"].id)
    points = household_points(zhang, Period.month(2026, 3), date(2026, 4, 1))
    assert points.statement.total == Decimal("0.5")


def test_adjusting_j2_from_2_to_1_adds_a_correction_of_minus_1(yf, make, auth, client):
    """An adjustment never edits the entry: a counted correction entry (−1) refers to it."""
    entry = recorded(make, yf, quantity=2)
    auth.login("r1")

    response = decide(client, "entry", entry.id, action="adjust", quantity="1", reason="只参加了一次")

    assert response.status_code == 200 and status_of(entry) == "adjusted"
    correction = db.session.scalar(select(Entry).where(Entry.corrects_entry_id == entry.id))
    assert (correction.quantity, correction.status, correction.note) == (Decimal(-1), "approved", "只参加了一次")
    assert said("Adjusted from %(was)s to %(quantity)s (a correction entry of %(delta)s).",
                was="2", quantity="1", delta="-1") in response.get_data(as_text=True)


def test_adjusting_with_a_quantity_that_is_not_a_number_is_refused(yf, make, auth, client):
    """A quantity of "two" says what is wrong and writes nothing."""
    entry = recorded(make, yf, quantity=2)
    auth.login("r1")
    before = writes()

    response = decide(client, "entry", entry.id, action="adjust", quantity="two", reason="x")

    assert response.status_code == 422 and writes() == before
    assert said("Give the quantity as a number greater than 0.") in response.get_data(as_text=True)


def test_adjusting_an_inspection_makes_a_new_revision_with_the_findings_ticked(yf, make, auth, client):
    """The form lists the base items and ticks those met: unticking B1 makes revision 1 with B1 not met."""
    inspection = make.inspection(yf["zhang"], yf["version"], "2026-03", status="recorded")
    db.session.commit()
    met = {f"met-{row.item.code}": "1" for row in inspection.items if row.met and row.item.code != "B1"}
    auth.login("r1")

    response = decide(client, "inspection", inspection.id, action="adjust", reason="院内有垃圾",
                      item=[row.item.code for row in inspection.items], **met)

    assert response.status_code == 200
    revision = db.session.scalar(select(Inspection).where(Inspection.corrects_inspection_id == inspection.id))
    assert revision.revision == 1
    assert {row.item.code for row in revision.items if not row.met} == \
        {row.item.code for row in inspection.items if not row.met} | {"B1"}


def test_a_reviewer_outside_the_area_gets_404(yf, make, auth, client):
    """A reviewer of another village, or of a group for 第二网格, may not learn that 张三丰's entry exists."""
    entry = recorded(make, yf)
    auth.login("wj-reviewer")
    assert decide(client, "entry", entry.id, action="approve").status_code == 404
    auth.logout()

    group = ReviewGroup(village_id=yf["village"].id, name="乙组")
    db.session.add(group)
    db.session.flush()
    db.session.add_all([ReviewGroupMember(group_id=group.id, user_id=uid) for uid in _user_ids("r1", "r2", "both")]
                       + [ReviewGroupArea(group_id=group.id, grid_id=yf["w2"].id)])
    db.session.commit()
    auth.login("r1")
    assert decide(client, "entry", entry.id, action="approve").status_code == 404
    assert decide(client, "entry", entry.id, action="adjust", quantity="bad").status_code == 404
    assert status_of(entry) == "recorded"


def _user_ids(*names: str) -> list[int]:
    return list(db.session.scalars(select(User.id).where(User.username.in_(names))))


def test_a_village_admin_of_another_village_sees_nothing_of_this_one(yf, make, auth, client):
    """王家村's admin: an empty queue, and 404 for 油房村 by name."""
    recorded(make, yf)
    auth.login("wj")

    page = client.get("/review")
    assert page.status_code == 200 and "张三丰" not in page.get_data(as_text=True)
    assert client.get(f"/review?village={yf['village'].id}").status_code == 404


def test_the_flag_filter_shows_only_late_entries_and_htmx_gets_only_the_list(yf, make, auth, client):
    """flag=late: 李四's late entry, not 张三丰's; an htmx request gets the list block (Vary: HX-Request)."""
    recorded(make, yf)
    recorded(make, yf, household="li", flags=["late"])
    auth.login("r1")

    full = client.get("/review?flag=late")
    part = client.get("/review?flag=late", headers=HTMX)

    assert "李四" in full.get_data(as_text=True) and "张三丰" not in full.get_data(as_text=True)
    html = part.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="queue-list"') and "李四" in html and "张三丰" not in html
    assert "HX-Request" in part.headers["Vary"]


def test_without_javascript_a_decision_redirects_back_to_the_queue_with_a_message(yf, make, auth, client):
    """Post, then redirect to the queue as it was filtered; the flash says what happened or why not."""
    entry = recorded(make, yf)
    auth.login("r1")

    response = decide(client, "entry", entry.id, htmx=False, action="reject", reason="重复登记",
                      next="/review?flag=late")
    assert response.status_code == 302 and response.headers["Location"].endswith("/review?flag=late")
    assert said("%(household)s: rejected.", household="张三丰") in client.get("/review").get_data(as_text=True)

    other = recorded(make, yf, household="li")
    refused = decide(client, "entry", other.id, htmx=False, action="reject", next="https://evil.example/")
    assert refused.status_code == 302 and refused.headers["Location"].endswith("/review")
    assert said("Give a reason for this decision.") in client.get("/review").get_data(as_text=True)


def test_two_approvals_needed_take_two_different_reviewers(make, auth, client):
    """approvals_needed: 2 — r1's approval leaves it waiting (1 of 2), r1 again is refused, r2 approves it."""
    village = make.village()
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    text = text.replace("policies:\n", "policies:\n  approvals_needed: 2\n")
    version, _ = import_scheme(village, text, effective_from=date(2020, 1, 1))
    household = make.household(village, "赵六")
    make.user("reviewer", username="a1", village_id=village.id)
    make.user("reviewer", username="a2", village_id=village.id)
    entry = make.entry(household, version, "J2", MARCH, status="recorded")
    db.session.commit()

    auth.login("a1")
    first = decide(client, "entry", entry.id, action="approve")
    assert first.status_code == 200 and status_of(entry) == "recorded"
    assert said("%(done)s of %(needed)s approvals, waiting for another reviewer.", done=1, needed=2) in \
        first.get_data(as_text=True)
    assert decide(client, "entry", entry.id, action="approve").status_code == 422
    auth.logout()

    auth.login("a2")
    assert decide(client, "entry", entry.id, action="approve").status_code == 200
    assert status_of(entry) == "approved"
