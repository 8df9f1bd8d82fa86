"""Making ended notices final: an admin's button reaches only their own villages and signs the audit trail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.worlds.pages import post
from webapp.core.period_choices import default_period
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.publication.models import Publication
from webapp.publication.services import publications


@pytest.fixture
def two_notices(make):
    """Two villages, each with an admin and a published month whose public notice ended yesterday."""
    today = date.today()
    period = Period.parse(default_period(today).key)
    found = {}
    for code, name, admin in (("YF", "油房村", "youfang"), ("WJ", "王家村", "wangjia")):
        village = make.village(code=code, name=name)
        version = make.scheme(village)
        make.inspection(make.household(village, "张三", code=f"{code}0001"), version, period.key)
        user = make.user("village_admin", admin, village_id=village.id)
        publication = publications.close_period(user, village, period, today)
        publications.publish(user, publication, today, 3)
        publication.notice_ends_on = today - timedelta(days=1)
        found[code] = (user, publication)
    db.session.commit()
    return found


def test_an_admins_finalise_due_leaves_another_villages_notice_open(client, auth, two_notices):
    """王家村's admin makes only 王家村's notice final; 油房村's stays in its public notice."""
    auth.login("wangjia")
    answer = post(client, "/admin/publications", "/admin/publications/finalise-due", {})
    assert answer.status_code == 302
    db.session.expire_all()
    assert db.session.get(Publication, two_notices["WJ"][1].id).status == "final"
    assert db.session.get(Publication, two_notices["YF"][1].id).status == "notice"


def test_the_audit_trail_names_the_admin_who_made_results_final(client, auth, two_notices):
    """The finalise row of the admin's own publication names them as its actor."""
    auth.login("wangjia")
    post(client, "/admin/publications", "/admin/publications/finalise-due", {})
    rows = db.session.execute(select(AuditEvent.object_id, AuditEvent.actor_id).where(
        AuditEvent.action == "publication.finalise")).all()
    assert rows == [(two_notices["WJ"][1].id, two_notices["WJ"][0].id)]


def test_the_daily_job_still_makes_every_villages_ended_notice_final(two_notices):
    """Without an actor (the command line's system job) every village's ended notice becomes final."""
    done = publications.finalise_due(date.today())
    assert {p.id for p in done} == {two_notices["YF"][1].id, two_notices["WJ"][1].id}
    assert {e.actor_id for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "publication.finalise"))} == {None}
