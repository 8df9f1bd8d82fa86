"""Inspections on time: the previous month is offered, and accepted, until the rules' scoring
deadline (Fengsheng `scoring_deadline_day: 3`, "可在次月3日前完成评分工作"), then only the current
month; the server judges by the day the inspection was recorded, not the day it synced."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sync.periods import inspection_window, open_periods
from tests.rule_files import scheme_text
from tests.worlds.fieldwork import inspection
from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.fieldwork.routes import scoring
from webapp.fieldwork.services.bootstrap import bootstrap
from webapp.fieldwork.services.ingest import ingest_batch
from webapp.fieldwork.services.inspection_periods import offered_periods
from webapp.points.domain.scheme_loader import load_scheme
from webapp.points.models.entry import Inspection
from webapp.points.services.schemes import import_scheme

ZONE = ZoneInfo("Asia/Shanghai")
WITHOUT_DEADLINE = scheme_text("fengsheng").replace("scoring_deadline_day: 3", "")


def synced_on(world: dict, day: datetime, *items, user=None) -> list[dict]:
    """One batch arriving at the server at `day` (aware), committed as the sync API does."""
    body = ingest_batch(user or world["scorer"], world["device"], {"protocol": 1, "items": list(items)}, now=day)
    db.session.commit()
    return body["results"]


# -- the rule, without HTTP -------------------------------------------------------------------------

def test_the_previous_month_is_open_until_the_deadline_day_included():
    """Deadline day 3: on 2 and 3 December November is still open, on 4 December only December."""
    assert open_periods("month", date(2026, 12, 2), 3) == ["2026-11", "2026-12"]
    assert open_periods("month", date(2026, 12, 3), 3) == ["2026-11", "2026-12"]
    assert open_periods("month", date(2026, 12, 4), 3) == ["2026-12"]
    assert inspection_window("2026-11", 3) == (date(2026, 11, 1), date(2026, 12, 3))


def test_without_a_deadline_only_the_current_period_is_open():
    """Rules without scoring_deadline_day give no grace: on 1 December only December."""
    assert open_periods("month", date(2026, 12, 1), None) == ["2026-12"]
    assert inspection_window("2026-11", None) == (date(2026, 11, 1), date(2026, 11, 30))


def test_quarters_and_years_close_on_the_deadline_day_of_the_month_after_them():
    """The fourth quarter and the year 2026 stay open until 3 January 2027; a short month caps the day."""
    assert open_periods("quarter", date(2027, 1, 2), 3) == ["2026-Q4", "2027-Q1"]
    assert open_periods("quarter", date(2027, 2, 2), 3) == ["2027-Q1"]
    assert open_periods("year", date(2027, 1, 3), 3) == ["2026", "2027"]
    assert inspection_window("2026-01", 31) == (date(2026, 1, 1), date(2026, 2, 28))


def test_the_form_offers_what_the_fengsheng_rules_allow():
    """offered_periods reads the deadline from the rules file as shipped (no new key is needed)."""
    rules = load_scheme(scheme_text("fengsheng"))
    assert rules.policies.scoring_deadline_day == 3
    assert offered_periods(rules, date(2026, 12, 2)) == {"month": {"periods": ["2026-11", "2026-12"],
                                                                   "until": "2026-12-03"}}
    assert offered_periods(rules, date(2026, 12, 4)) == {"month": {"periods": ["2026-12"], "until": None}}
    assert offered_periods(load_scheme(WITHOUT_DEADLINE), date(2026, 12, 1))["month"]["periods"] == ["2026-12"]


# -- the server: ingest judges by the recorded day --------------------------------------------------

def test_an_inspection_of_last_month_recorded_before_the_deadline_is_accepted_even_synced_later(world):
    """Recorded offline on 2 December for November, uploaded on 10 December: accepted for November."""
    item = inspection(world, period="2026-11", occurred_at="2026-12-02T16:00:00+08:00")
    [result] = synced_on(world, datetime(2026, 12, 10, 2, 0, tzinfo=UTC), item)
    assert result["status"] == "accepted" and result["flags"] == []
    assert db.session.scalar(select(Inspection.period)) == "2026-11"


def test_an_inspection_of_last_month_recorded_after_the_deadline_is_refused_with_the_dates(world):
    """Recorded on 4 December for November: refused, saying when November closed and when it was recorded."""
    item = inspection(world, period="2026-11", occurred_at="2026-12-04T09:00:00+08:00")
    [result] = synced_on(world, datetime(2026, 12, 4, 2, 0, tzinfo=UTC), item)
    assert (result["status"], result["code"]) == ("rejected", "period_over")
    assert "2026-12-03" in result["reason"] and "2026-12-04" in result["reason"]
    assert db.session.scalar(select(Inspection.id)) is None


def test_the_deadline_is_the_villages_local_day(world):
    """23:30 on 3 December in the village is 15:30 UTC: still in time. 00:30 on the 4th is not."""
    in_time = inspection(world, period="2026-11", occurred_at="2026-12-03T15:30:00+00:00")
    too_late = inspection(world, period="2026-11", household="YF0002", occurred_at="2026-12-03T16:30:00+00:00")
    results = synced_on(world, datetime(2026, 12, 5, 2, 0, tzinfo=UTC), in_time, too_late)
    assert [r["status"] for r in results] == ["accepted", "rejected"]


def test_an_inspection_for_a_month_not_yet_begun_is_refused(world):
    """Recorded on 30 November for December: refused."""
    item = inspection(world, period="2026-12", occurred_at="2026-11-30T18:00:00+08:00")
    [result] = synced_on(world, datetime(2026, 12, 1, 2, 0, tzinfo=UTC), item)
    assert (result["status"], result["code"]) == ("rejected", "period_not_begun")


def test_rules_without_a_deadline_accept_only_the_current_month(world, make):
    """A village whose rules name no scoring deadline: on 1 December, November is closed to inspections."""
    village = make.village(world["town"], code="XS", name="新胜村")
    grid = make.grid(village, name="一网格")
    version, _ = import_scheme(village, WITHOUT_DEADLINE, effective_from=date(2025, 1, 1))
    make.household(village, head="孙八", code="XS0001", grid=grid)
    scorer = make.user("scorer", username="xs", grid_id=grid.id)
    db.session.commit()
    late = inspection(world, household="XS0001", period="2026-11", scheme_version_id=version.id,
                      occurred_at="2026-12-01T09:00:00+08:00")
    now = inspection(world, household="XS0001", period="2026-12", scheme_version_id=version.id,
                     occurred_at="2026-12-01T09:00:00+08:00")
    results = synced_on(world, datetime(2026, 12, 1, 2, 0, tzinfo=UTC), late, now, user=scorer)
    assert [r.get("code") for r in results] == ["period_over", None]


def test_the_bootstrap_gives_the_phone_the_deadline_day(world):
    """The phone computes the offered months offline from the rules it holds."""
    body = bootstrap(world["scorer"], datetime(2026, 12, 2, 4, 0, tzinfo=UTC))
    [scheme] = [v["scheme"] for v in body["villages"] if v["code"] == "YF"]
    assert scheme["scoring_deadline_day"] == 3


# -- the page the server renders (and the no-JS form) ------------------------------------------------

@pytest.fixture
def clock(monkeypatch):
    """Sets the scoring pages' clock to a local day at 10:00."""
    def set_day(day: date) -> None:
        monkeypatch.setattr(scoring, "_now", lambda: datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZONE))
    return set_day


def period_choice(page: str) -> list[tuple[str, str]]:
    """(type, value) of the period inputs of the inspection form."""
    block = re.search(r'<div id="period-choice".*?</div>', page, re.S)[0]
    return re.findall(r'<input type="(\w+)" name="period" value="([^"]+)"', block)


def test_the_inspection_page_offers_last_month_on_the_2nd_and_not_on_the_4th(world, auth, client, clock):
    """On 2 December both months (December chosen, November a choice with its deadline); on 4 December
    only December."""
    auth.login("grid")
    clock(date(2026, 12, 2))
    page = client.get("/score/inspection?h=YF0001").get_data(as_text=True)
    assert period_choice(page) == [("radio", "2026-11"), ("radio", "2026-12")]
    assert re.search(r'name="period" value="2026-12" checked', page)
    assert not re.search(r'name="period" value="2026-11" checked', page)
    assert "2026-11 的评分截至 2026-12-03 仍可录入。" in page
    clock(date(2026, 12, 4))
    page = client.get("/score/inspection?h=YF0001").get_data(as_text=True)
    assert period_choice(page) == [("hidden", "2026-12")] and "截至" not in page


def test_the_no_js_form_stores_the_chosen_month_while_it_is_open(world, auth, client, clock):
    """Posted on 2 December with November chosen: stored for November. A closed month posted falls back
    to the current one."""
    auth.login("grid")
    clock(date(2026, 12, 2))
    page = client.get("/score/inspection?h=YF0001").get_data(as_text=True)
    client.post("/score/inspection", data={
        "csrf_token": csrf_token(page), "uuid": re.search(r'name="uuid" value="([0-9a-f-]{36})"', page)[1],
        "h": "YF0001", "kind": "month", "period": "2026-11", "occurred_at": "2026-12-02T10:00"})
    clock(date(2026, 12, 4))
    page = client.get("/score/inspection?h=YF0002").get_data(as_text=True)
    client.post("/score/inspection", data={
        "csrf_token": csrf_token(page), "uuid": re.search(r'name="uuid" value="([0-9a-f-]{36})"', page)[1],
        "h": "YF0002", "kind": "month", "period": "2026-11", "occurred_at": "2026-12-04T10:00"})
    stored = dict(db.session.execute(select(Inspection.household_id, Inspection.period)).all())
    assert stored == {world["hh1"].id: "2026-11", world["hh2"].id: "2026-12"}
