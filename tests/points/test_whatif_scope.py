"""What-if of a rules draft: who may open it, which periods it replays, and a village of 1,500 households."""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from tests.factories import RULES
from tests.worlds.pages import Auth
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.people.models.household import Household, Member
from webapp.points.models.drafts import SchemeDraft
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.points.services.whatif import draft_what_if, replay_periods
from webapp.publication.models import Publication

TODAY = date(2026, 1, 15)


def draft_of(version, text: str | None = None) -> SchemeDraft:
    text = text or (RULES / "fengsheng.yaml").read_text(encoding="utf-8").replace(
        "{code: J2, points: 0.5,", "{code: J2, points: 1,")
    draft = SchemeDraft(scheme_id=version.scheme_id, base_version_id=version.id, source_text=text)
    db.session.add(draft)
    db.session.commit()
    return draft


def close(village, *periods: str) -> None:
    for key in periods:
        kind = "year" if len(key) == 4 else "quarter" if "Q" in key else "month"
        db.session.add(Publication(village_id=village.id, period=key, kind=kind, frozen={}))
    db.session.flush()


@pytest.fixture
def draft(make, admin_village):
    return draft_of(make.scheme(admin_village))


def logged_in(client, username: str):
    """Another browser, logged in as this user (the fixture's stays logged in as yfadmin)."""
    other = client.application.test_client()
    Auth(other).login(username)
    return other


def test_the_village_admin_and_the_town_admin_read_it(client, make, admin_village, draft):
    assert client.get(f"/rules/drafts/{draft.id}/what-if").status_code == 200
    make.user("town_admin", username="fstown", town_id=admin_village.town_id)
    db.session.commit()
    assert logged_in(client, "fstown").get(f"/rules/drafts/{draft.id}/what-if").status_code == 200


def test_another_villages_admin_is_told_it_does_not_exist(client, make, admin_village, draft):
    other = make.village(make.town(code="XX"), code="OT")
    make.user("village_admin", username="otadmin", village_id=other.id)
    make.user("town_admin", username="xxtown", town_id=other.town_id)
    db.session.commit()
    for username in ("otadmin", "xxtown"):
        assert logged_in(client, username).get(f"/rules/drafts/{draft.id}/what-if").status_code == 404


@pytest.mark.parametrize("role, scope", [("reviewer", "village_id"), ("auditor", "village_id"),
                                         ("town_cadre", "village_id")])
def test_other_roles_of_the_village_are_refused(client, make, admin_village, draft, role, scope):
    make.user(role, username="someone", **{scope: admin_village.id})
    db.session.commit()
    assert logged_in(client, "someone").get(f"/rules/drafts/{draft.id}/what-if").status_code == 403


def test_nobody_logged_in_is_sent_to_log_in(client, draft):
    answer = client.application.test_client().get(f"/rules/drafts/{draft.id}/what-if")
    assert answer.status_code in (302, 303) and "/login" in answer.headers["Location"]


def test_a_monthly_scheme_replays_its_last_closed_months(admin_village):
    close(admin_village, "2025-06", "2025-Q3", "2025-11")
    assert replay_periods(admin_village.id, True, TODAY, 3) == (
        [date_period("2025-08"), date_period("2025-09"), date_period("2025-11")], True)
    assert replay_periods(admin_village.id, True, TODAY, 1) == ([date_period("2025-11")], True)


def test_before_anything_is_closed_the_months_that_ended_last_stand_in(admin_village):
    assert replay_periods(admin_village.id, True, TODAY, 3) == (
        [date_period("2025-10"), date_period("2025-11"), date_period("2025-12")], False)


def test_a_yearly_scheme_replays_its_last_closed_year(admin_village):
    close(admin_village, "2024", "2025-Q1", "2025-Q2", "2025-Q3")
    assert replay_periods(admin_village.id, False, TODAY, 3) == ([date_period("2024")], True)
    close(admin_village, "2025-Q4")
    assert replay_periods(admin_village.id, False, TODAY, 3) == ([date_period("2025")], True)


def test_a_yearly_scheme_with_no_closed_year_replays_last_year(admin_village):
    assert replay_periods(admin_village.id, False, TODAY, 3) == ([date_period("2025")], False)


def test_the_star_140_year_is_replayed_with_a_doubled_daily_aspect(make, admin_village):
    """环境整治 doubled (40 → 80, the base 140 → 180): a household that met everything has 140 for 2025 (the
    quarterly aspects count their average, once) and 180 under the draft; one that failed 环境整治 in two
    quarters has 120 (HJ's average 20) and 140 under the draft (HJ's average 40)."""
    version = make.scheme(admin_village, "star-140")
    everything = make.household(admin_village, "赵六")
    half = make.household(admin_village, "钱七")
    codes = [item.code for item in version.items if item.kind == "base"]
    hj = [item.code for item in version.items if item.category.code == "HJ"]
    for quarter in range(1, 5):
        make.inspection(everything, version, f"2025-Q{quarter}", met=tuple(codes))
        make.inspection(half, version, f"2025-Q{quarter}", met=tuple(codes), not_met=tuple(hj) if quarter > 2 else ())
    make.inspection(everything, version, "2025", met=tuple(codes))
    make.inspection(half, version, "2025", met=tuple(codes))
    close(admin_village, "2025")
    text = (RULES / "star-140.yaml").read_text(encoding="utf-8")
    text = text.replace("base_points: 140 ", "base_points: 180 ").replace(
        "{code: HJ, name: 环境整治, kind: base, base_points: 40,", "{code: HJ, name: 环境整治, kind: base, base_points: 80,")
    result = draft_what_if(_admin(), draft_of(version, text).id, TODAY)
    assert [p.key for p in result.periods] == ["2025"] and result.closed
    assert {r.name: (r.old_total, r.new_total, r.old_rank, r.new_rank) for r in result.rows} == {
        "赵六": (140, 180, 1, 1), "钱七": (120, 140, 2, 2)}


def date_period(key: str) -> Period:
    return Period.parse(key)


def _admin() -> User:
    return db.session.scalar(select(User).where(User.username == "yfadmin"))


def test_a_village_of_1500_households_over_three_months_answers_quickly(make, admin_village):
    """~4 entries and an inspection per household and month: about 18,000 entries, 4,500 inspections."""
    village = admin_village
    version = make.scheme(village)
    items = {code: id_ for code, id_ in db.session.execute(
        select(Item.code, Item.id).where(Item.version_id == version.id))}
    db.session.execute(insert(Household), [
        {"village_id": village.id, "code": f"P{i:05d}", "head_name": f"户{i}", "enrolled_on": date(2020, 1, 1)}
        for i in range(1500)])
    ids = list(db.session.scalars(select(Household.id).where(Household.village_id == village.id)))
    db.session.execute(insert(Member), [{"household_id": h, "name": "户主", "relation": "户主", "is_head": True}
                                        for h in ids])
    entries, inspections = [], []
    for month in (9, 10, 11):
        for n, hh in enumerate(ids):
            for code in ("J2", "J4", "J1", "J2")[: 1 + (n + month) % 4]:
                on = date(2025, month, 1 + n % 28)
                entries.append({"client_uuid": uuid.uuid4(), "village_id": village.id, "household_id": hh,
                                "item_id": items[code], "scheme_version_id": version.id, "quantity": Decimal(1),
                                "occurred_at": datetime(2025, month, on.day, 2), "occurred_on": on,
                                "occurred_month": 202500 + month, "status": "approved"})
            inspections.append({"client_uuid": uuid.uuid4(), "village_id": village.id, "household_id": hh,
                                "period": f"2025-{month:02d}", "scheme_version_id": version.id,
                                "occurred_at": datetime(2025, month, 28), "status": "approved"})
    db.session.execute(insert(Entry), entries)
    db.session.execute(insert(Inspection), inspections)
    close(village, "2025-09", "2025-10", "2025-11")
    draft = draft_of(version)
    started = time.perf_counter()
    result = draft_what_if(_admin(), draft.id, TODAY)
    elapsed = time.perf_counter() - started
    assert len(result.rows) == 1500 and result.new_total > result.old_total
    assert elapsed < 3, f"{elapsed:.2f} s"
