"""Batch approval and review meetings through the pages: the queue's two buttons, one confirmation
page (works without JavaScript), the result page with reasons, a meeting recorded and its decisions.

油房村 (scheme fengsheng): 张三丰 (YF0001); reviewers r1 (小李 on the pages) and r2; "both" records and reviews.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from flask_babel import gettext
from markupsafe import escape

from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.services.users import grant
from webapp.points.models.entry import Entry
from webapp.review.models import ReviewDecision, ReviewMeeting

MARCH = date(2026, 3, 12)


def said(msgid: str, **params) -> str:
    return str(escape(gettext(msgid, **params)))


@pytest.fixture
def yf(make):
    village = make.village(code="YF", name="油房村")
    version = make.scheme(village)
    grid = make.grid(village, "第一网格")
    zhang = make.household(village, "张三丰", code="YF0001", grid=grid)
    both = make.user("scorer", username="both", grid_id=grid.id)
    grant(both, "reviewer", village_id=village.id)
    r1 = make.user("reviewer", username="r1", village_id=village.id)
    r1.display_name = "小李"
    make.user("reviewer", username="r2", village_id=village.id)
    make.user("scorer", username="grid1", grid_id=grid.id)
    db.session.commit()
    return {"village": village, "version": version, "zhang": zhang, "both": both, "r1": r1}


def recorded(make, yf, code: str, minute: int, **fields) -> Entry:
    entry = make.entry(yf["zhang"], yf["version"], code, MARCH, status="recorded",
                       received_at=datetime(2026, 4, 1, 8, minute), **fields)
    db.session.commit()
    return entry


def status_of(entry: Entry) -> str:
    db.session.expire_all()
    return db.session.get(Entry, entry.id).status


def test_the_queue_offers_both_batches_and_a_grid_worker_is_refused_them(yf, make, auth, client):
    recorded(make, yf, "J2", 1)
    auth.login("both")
    html = client.get("/review").get_data(as_text=True)
    assert "/review/batch/page" in html and "/review/batch/inspections" in html
    auth.logout()
    auth.login("grid1")
    assert client.get("/review/batch/page").status_code == 403
    assert client.post("/review/batch/page", data={"key": "entry-1"}).status_code in (400, 403)


def test_one_confirmation_then_each_decided_and_the_refused_listed_with_reasons(yf, make, auth, client):
    """both's page: J2 by r1 (approved), J2 by both (own), J1 without photo; the result says why."""
    other = recorded(make, yf, "J2", 1, recorded_by_id=yf["r1"].id)
    own = recorded(make, yf, "J2", 2, recorded_by_id=yf["both"].id)
    no_photo = recorded(make, yf, "J1", 3)
    auth.login("both")

    confirm = client.get("/review/batch/page")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and status_of(other) == "recorded"  # nothing decided before confirming
    assert said("%(num)d will be approved, each by the usual rules.", num=3) in page

    result = client.post("/review/batch/page", data={"csrf_token": csrf_token(page), "key": [
        f"entry-{other.id}", f"entry-{own.id}", f"entry-{no_photo.id}"]})
    html = result.get_data(as_text=True)

    assert result.status_code == 200
    assert (status_of(other), status_of(own), status_of(no_photo)) == ("approved", "recorded", "recorded")
    assert said("%(num)d approved.", num=1) in html
    refused = html[html.index('id="batch-refused"'):]
    assert said("You cannot review an entry you recorded yourself.") in refused
    assert said("This item needs a photo as evidence before it can be approved (%(items)s).", items="J1") in refused


def test_a_meeting_is_recorded_and_lists_the_batch_decided_in_it(yf, make, auth, client):
    entry = recorded(make, yf, "J2", 1)
    auth.login("r1")
    form = client.get("/review/meetings").get_data(as_text=True)
    today = date.today().isoformat()
    made = client.post("/review/meetings", data={"csrf_token": csrf_token(form), "village": yf["village"].id,
                                                 "held_on": today, "member": [yf["r1"].id, yf["both"].id],
                                                 "note": "十二月评议会"})
    assert made.status_code == 302
    meeting = db.session.query(ReviewMeeting).one()
    assert sorted(m.user_id for m in meeting.members) == sorted([yf["r1"].id, yf["both"].id])

    confirm = client.get("/review/batch/page").get_data(as_text=True)
    assert f'value="{meeting.id}"' in confirm
    client.post("/review/batch/page", data={"csrf_token": csrf_token(confirm), "key": f"entry-{entry.id}",
                                            "meeting": meeting.id})

    assert db.session.query(ReviewDecision).one().meeting_id == meeting.id
    page = client.get(f"/review/meetings/{meeting.id}").get_data(as_text=True)
    listed = page[page.index('id="meeting-decisions"'):]
    assert "张三丰" in listed and "J2" in listed and "小李" in listed and "十二月评议会" in page


def test_a_meeting_member_must_be_a_reviewer_of_the_village(yf, make, auth, client):
    grid_worker = db.session.query(type(yf["r1"])).filter_by(username="grid1").one()
    auth.login("r1")
    form = client.get("/review/meetings").get_data(as_text=True)
    client.post("/review/meetings", data={"csrf_token": csrf_token(form), "village": yf["village"].id,
                                          "held_on": date.today().isoformat(), "member": [grid_worker.id]})
    assert db.session.query(ReviewMeeting).count() == 0


def test_a_row_names_the_recorder_not_the_device_and_reads_deductions_as_points(yf, make, auth, client):
    """K2 (−1) once by 小李's phone: "扣 1 分" and 小李, no device id; J2 × 2: "加 1 分", "2 次";
    with no person known, the device's label is shown."""
    deduction = recorded(make, yf, "K2", 1, recorded_by_id=yf["r1"].id, device="0f7c2a4e-uuid-of-the-phone")
    twice = recorded(make, yf, "J2", 2, quantity=2, recorded_by_id=yf["r1"].id, device="0f7c2a4e-uuid-of-the-phone")
    nobody = recorded(make, yf, "J2", 3, device="村委会电脑")
    auth.login("both")
    html = client.get("/review").get_data(as_text=True)

    def row(entry: Entry) -> str:
        start = html.index(f'id="entry-{entry.id}"')
        return html[start:html.index("</article>", start)]

    assert said("Deduct %(points)s points", points="1") in row(deduction)
    assert "× " not in row(deduction) and "0f7c2a4e" not in html
    assert "小李" in row(deduction)
    assert said("Add %(points)s points", points="1") in row(twice)
    assert said("%(quantity)s times", quantity="2") in row(twice)
    assert said("%(quantity)s times", quantity="1") not in row(deduction)
    assert "村委会电脑" in row(nobody)
