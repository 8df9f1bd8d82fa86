"""A year close started from the page returns at once, completes as a job, and the published results
equal those of the in-request close; running the job twice changes nothing (issue 11)."""

from __future__ import annotations

import json
import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.worlds.pages import post, zh
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.jobs import runner
from webapp.jobs.models import Job
from webapp.jobs.services.enqueue import enqueue
from webapp.people.models.audit import AuditEvent
from webapp.people.models.user import User
from webapp.publication.models import Publication
from webapp.publication.services import publications

LAST_YEAR = Period.whole_year(date.today().year - 1)


def a_year_of_points(make, code: str, admin: str):
    """15 households with different points last year (J2, 0.5 each, in several months; one with a
    year-end item), their village's admin."""
    village = make.village(code=code)
    version = make.scheme(village)
    year = LAST_YEAR.year
    for i in range(15):
        hh = make.household(village, f"户{i:02d}", code=f"{code}{i:04d}")
        for n in range(i):
            make.entry(hh, version, "J2", date(year, 1 + n % 12, 1 + n // 12))
        if i == 3:
            make.entry(hh, version, "J6", date(year, 6, 1))
    make.user("village_admin", admin, village_id=village.id)
    db.session.commit()
    return village


@pytest.fixture
def world(make):
    return {"job": a_year_of_points(make, "YF", "yfadmin"), "direct": a_year_of_points(make, "WJ", "wjadmin")}


def start_close(client, auth, village):
    auth.login("yfadmin")
    page = f"/admin/publications?village={village.id}"
    return post(client, page, "/admin/publications/close", {"village": village.id, "period": LAST_YEAR.key})


def run_the_queue(app) -> None:
    """SQLite: `jifen jobs run-due`; PostgreSQL: procrastinate's worker (`jifen worker --once`), bounded in time."""
    if db.engine.dialect.name != "postgresql":
        runner.run_due()
        return
    from webapp.jobs import worker

    problems: list[Exception] = []

    def target():
        try:
            with app.app_context():
                worker.run(app, wait=False, install_signal_handlers=False, listen_notify=False,
                           fetch_job_polling_interval=0.2)
        except Exception as exc:  # noqa: BLE001 - reported below
            problems.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(90)
    assert not thread.is_alive() and not problems, problems or "the worker did not stop in time"


def comparable(publication: Publication) -> dict:
    """A publication's frozen results and public snapshot, with household ids as their place in the
    village and the village's own code left out: what two identical villages must share."""
    place = {row["household_id"]: i for i, row in enumerate(sorted(publication.frozen["rows"],
                                                                 key=lambda r: r["name"]))}

    def ids(value):
        if isinstance(value, dict):
            return {k: (place.get(v, v) if k == "household_id" else ids(v)) for k, v in value.items()}
        if isinstance(value, list):
            return [ids(v) for v in value]
        return value

    snapshot = json.loads(publication.snapshot)
    snapshot.pop("village_code")
    return {"frozen": ids(publication.frozen), "snapshot": snapshot}


def test_a_year_close_from_the_page_returns_at_once_and_runs_as_a_job(app, client, auth, world):
    village = world["job"]
    answer = start_close(client, auth, village)
    assert answer.status_code == 302
    job = db.session.scalar(select(Job))
    assert answer.headers["Location"].endswith(f"/jobs/{job.id}")
    assert (job.kind, job.state, job.village_id) == ("close_period", "queued", village.id)
    assert db.session.scalar(select(func.count(Publication.id))) == 0  # nothing closed yet
    waiting = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert zh("Queued") in waiting and 'hx-trigger="every 2s"' in waiting and 'http-equiv="refresh"' in waiting

    run_the_queue(app)

    db.session.expire_all()
    job = db.session.get(Job, job.id)
    publication = db.session.scalar(select(Publication).where(Publication.village_id == village.id))
    assert job.state == "done" and (job.progress_done, job.progress_total) == (15, 15)
    assert publication.period == LAST_YEAR.key and len(publication.frozen["rows"]) == 15
    done = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert zh("Finished") in done and f"/admin/publications/{publication.id}" in done and "every 2s" not in done
    assert zh("%(period)s is closed: its ranking is frozen.", period=LAST_YEAR.key) in done


def test_the_jobs_results_equal_those_of_the_in_request_close(app, client, auth, world, make):
    start_close(client, auth, world["job"])
    run_the_queue(app)
    db.session.expire_all()
    by_job = db.session.scalar(select(Publication).where(Publication.village_id == world["job"].id))
    admin = make.user("village_admin", village_id=world["direct"].id)
    today = date.today()
    direct = publications.close_period(admin, world["direct"], LAST_YEAR, today)
    committee = {world["job"].id: db.session.get(User, by_job.closed_by_id), world["direct"].id: admin}  # each village's own publishes
    for publication in (by_job, direct):
        for prize in publication.frozen["awards"]["prizes"]:
            assert not prize["undecided"]
        publications.publish(committee[publication.village_id], publication, today, notice_days=5)
    db.session.commit()
    assert by_job.frozen["rows"][0]["points"] == direct.frozen["rows"][0]["points"] != "0"
    assert comparable(by_job) == comparable(direct)


def test_running_the_close_job_twice_changes_nothing(app, client, auth, world):
    start_close(client, auth, world["job"])
    run_the_queue(app)
    db.session.expire_all()
    job = db.session.scalar(select(Job))
    publication = db.session.scalar(select(Publication))
    before = (publication.id, publication.frozen, publication.closed_at,
              db.session.scalar(select(func.count(AuditEvent.id))))
    assert runner.run_job(job.id) is None  # the same job again: already done, not run
    again = enqueue(job.kind, json.loads(job.args))  # the same work queued anew: found already closed
    db.session.commit()
    assert runner.run_due() == {again.id: "done"}
    db.session.expire_all()
    publication = db.session.scalar(select(Publication))
    assert db.session.scalar(select(func.count(Publication.id))) == 1
    assert (publication.id, publication.frozen, publication.closed_at,
            db.session.scalar(select(func.count(AuditEvent.id)))) == before
    again = db.session.get(Job, again.id)
    assert json.loads(again.result) == {"publication_id": publication.id}
    assert json.loads(again.message)["msgid"] == "%(period)s was already closed."


def test_closing_the_same_year_again_while_it_waits_gets_the_same_job(app, client, auth, world):
    first = start_close(client, auth, world["job"]).headers["Location"]
    second = post(client, f"/admin/publications?village={world['job'].id}", "/admin/publications/close",
                  {"village": world["job"].id, "period": LAST_YEAR.key})
    assert second.headers["Location"] == first
    assert db.session.scalar(select(func.count(Job.id))) == 1


def test_a_close_that_cannot_be_done_is_refused_at_once_and_queues_nothing(app, client, auth, world):
    this_year = Period.whole_year(date.today().year)
    auth.login("yfadmin")
    answer = post(client, f"/admin/publications?village={world['job'].id}", "/admin/publications/close",
                  {"village": world["job"].id, "period": this_year.key}, follow_redirects=True)
    assert zh("%(period)s has not ended yet; it can be closed from %(day)s.", period=this_year.key,
              day=this_year.end.isoformat()) in answer.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_a_failed_close_says_why_keeps_nothing_and_runs_again_from_its_page(app, client, auth, world, monkeypatch):
    real = publications.period_results

    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(publications, "period_results", broken)
    job_url = start_close(client, auth, world["job"]).headers["Location"]
    runner.run_due()
    assert db.session.scalar(select(func.count(Publication.id))) == 0
    page = client.get(job_url).get_data(as_text=True)
    assert zh("Failed") in page and "RuntimeError: the disk is full" in page and zh("Run again") in page
    monkeypatch.setattr(publications, "period_results", real)
    assert post(client, job_url, f"{job_url}/run-again", {}).headers["Location"] == job_url
    runner.run_due()
    db.session.expire_all()
    assert db.session.scalar(select(Job)).state == "done"
    assert db.session.scalar(select(func.count(Publication.id))) == 1


def test_only_the_starter_and_the_villages_admins_see_a_job(app, client, auth, world, make):
    job_url = start_close(client, auth, world["job"]).headers["Location"]
    make.user("village_admin", "yfadmin2", village_id=world["job"].id)
    db.session.commit()
    auth.logout()
    auth.login("wjadmin")  # another village's admin
    assert client.get(job_url).status_code == 404
    auth.logout()
    auth.login("yfadmin2")
    assert client.get(job_url).status_code == 200


def test_a_month_close_still_runs_in_the_request(app, client, auth, world):
    month = Period.month(LAST_YEAR.year, 12)
    auth.login("yfadmin")
    answer = post(client, f"/admin/publications?village={world['job'].id}", "/admin/publications/close",
                  {"village": world["job"].id, "period": month.key})
    publication = db.session.scalar(select(Publication))
    assert answer.headers["Location"].endswith(f"/admin/publications/{publication.id}")
    assert db.session.scalar(select(func.count(Job.id))) == 0
