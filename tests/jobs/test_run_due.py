"""The job runner on SQLite and PostgreSQL: a queued job runs once, reports progress, and ends done;
a job that fails says why, keeps nothing of its work, and can be run again; on PostgreSQL
procrastinate's worker runs what an enqueue handed it after the commit."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import text, update

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.jobs import runner
from webapp.jobs.models import Job
from webapp.jobs.services.enqueue import enqueue, enqueue_daily, run_again
from webapp.jobs.services.health import oldest_waiting_seconds
from webapp.jobs.services.registry import KINDS, Outcome, job_kind
from webapp.people.models.geo import Village

BROKEN = {"times": 0}  # how many more runs of test.rename fail after renaming


def rename(progress, args: dict[str, Any]) -> Outcome:
    village = db.session.get(Village, args["village_id"])
    village.name = args["name"]
    db.session.flush()
    progress(1, 2)
    if BROKEN["times"]:
        BROKEN["times"] -= 1
        raise RuntimeError("the disk is full")
    progress(2, 2)
    return Outcome(N_("%(count)s publications are now final."), {"count": 2}, {"village_id": village.id})


def peek(progress, args: dict[str, Any]) -> Outcome:
    """Report progress, then look at the job's row as the progress page would: from another connection."""
    progress(1, 4)
    with db.engine.connect() as connection:
        seen = connection.execute(text("SELECT progress_done, progress_total FROM job WHERE id = :id"),
                                  {"id": args["job"]}).one()
    return Outcome("ok", {}, {"seen": list(seen)})


def refuse(progress, args: dict[str, Any]) -> Outcome:
    raise Refusal(N_("%(period)s is already closed."), period="2025")


@pytest.fixture(autouse=True)
def test_kinds():
    job_kind("test.rename", N_("Close a period"))(rename)
    job_kind("test.refuse", N_("Close a period"))(refuse)
    job_kind("test.peek", N_("Close a period"))(peek)
    job_kind("test.daily", N_("Make ended notices final"), daily=True)(lambda progress, args: Outcome("ok"))
    BROKEN["times"] = 0
    yield
    for name in ("test.rename", "test.refuse", "test.daily", "test.peek"):
        KINDS.pop(name, None)


@pytest.fixture
def village(make):
    village = make.village()
    db.session.commit()
    return village


def queued(village, name: str = "油房新村", **kwargs) -> Job:
    job = enqueue("test.rename", {"village_id": village.id, "name": name}, village_id=village.id, **kwargs)
    db.session.commit()
    return job


def test_a_queued_job_runs_once_and_ends_done_with_its_outcome(app, village):
    job = queued(village)
    assert job.state == "queued"
    assert runner.run_due() == {job.id: "done"}
    db.session.expire_all()
    assert db.session.get(Village, village.id).name == "油房新村"
    job = db.session.get(Job, job.id)
    assert (job.state, job.attempts, job.progress_done, job.progress_total) == ("done", 1, 2, 2)
    assert json.loads(job.message) == {"msgid": "%(count)s publications are now final.", "params": {"count": 2},
                                       "text": ""}
    assert json.loads(job.result) == {"village_id": village.id}
    assert job.open_key is None and job.finished_at is not None


def test_progress_is_seen_by_others_while_the_job_runs(app):
    job = enqueue("test.peek", {})
    db.session.flush()
    job.args = json.dumps({"job": job.id})
    db.session.commit()
    runner.run_due()
    db.session.expire_all()
    assert json.loads(db.session.get(Job, job.id).result) == {"seen": [1, 4]}


def test_running_a_job_twice_changes_nothing(app, village):
    job = queued(village)
    runner.run_due()
    db.session.expire_all()
    before = (db.session.get(Job, job.id).finished_at, db.session.get(Job, job.id).attempts)
    assert runner.run_job(job.id) is None  # not queued any more: a second runner gets nothing
    assert runner.run_due() == {}
    db.session.expire_all()
    assert (db.session.get(Job, job.id).finished_at, db.session.get(Job, job.id).attempts) == before


def test_a_second_request_for_the_same_work_while_it_waits_gets_the_same_job(app, village):
    first = queued(village)
    assert queued(village).id == first.id
    assert queued(village, name="别的名字").id != first.id  # other arguments: other work
    runner.run_due()
    assert queued(village).id != first.id  # the first has ended: the same work may be asked for again


def test_only_one_runner_claims_a_job(app, village):
    job = queued(village)
    assert runner.claim(job.id) is True
    assert runner.claim(job.id) is False
    assert runner.run_job(job.id) is None


def test_a_failed_job_says_why_keeps_nothing_and_can_be_run_again(app, village):
    BROKEN["times"] = 1
    job = queued(village)
    assert runner.run_due() == {job.id: "failed"}
    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.state == "failed" and "RuntimeError: the disk is full" in json.loads(job.message)["text"]
    assert db.session.get(Village, village.id).name == "油房村"  # the work was rolled back
    assert job.open_key is None
    assert run_again(job).id == job.id
    db.session.commit()
    assert job.state == "queued" and job.message == ""
    assert runner.run_due() == {job.id: "done"}
    db.session.expire_all()
    assert db.session.get(Job, job.id).attempts == 2
    assert db.session.get(Village, village.id).name == "油房新村"


def test_a_refusal_is_kept_as_its_message_to_be_translated(app, village):
    job = enqueue("test.refuse", {})
    db.session.commit()
    runner.run_due()
    db.session.expire_all()
    assert json.loads(db.session.get(Job, job.id).message)["msgid"] == "%(period)s is already closed."


def test_only_a_failed_job_can_be_run_again(app, village):
    job = queued(village)
    with pytest.raises(Refusal):
        run_again(job)


def test_a_job_whose_runner_died_is_marked_failed_and_can_be_run_again(app, village):
    job = queued(village)
    runner.claim(job.id)
    db.session.execute(update(Job).where(Job.id == job.id).values(started_at=utcnow() - timedelta(hours=2)))
    db.session.commit()
    assert runner.run_due() == {}
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "failed"
    run_again(db.session.get(Job, job.id))
    db.session.commit()
    assert runner.run_due() == {job.id: "done"}


def test_the_oldest_waiting_job_has_an_age_and_none_waits_after_a_run(app, village):
    assert oldest_waiting_seconds() is None
    job = queued(village)
    db.session.execute(update(Job).where(Job.id == job.id).values(created_at=utcnow() - timedelta(seconds=90)))
    db.session.commit()
    assert 89 <= oldest_waiting_seconds() < 120
    runner.run_due()
    assert oldest_waiting_seconds() is None


def test_a_daily_kind_is_queued_once_a_day(app):
    today = date(2026, 12, 3)
    assert [j.kind for j in enqueue_daily(today)] == ["finalise_due", "test.daily"]
    db.session.commit()
    runner.run_due()
    assert enqueue_daily(today) == []
    assert len(enqueue_daily(today + timedelta(days=1))) == 2


def run_worker_bounded(app, seconds: float = 60) -> None:
    """`jifen worker --once` in this process: procrastinate's worker until its queue is empty."""
    from webapp.jobs import worker

    problems = []

    def target():
        try:
            with app.app_context():
                worker.run(app, wait=False, install_signal_handlers=False, listen_notify=False,
                           fetch_job_polling_interval=0.2)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            problems.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "the worker did not stop within its time"
    assert not problems, problems


ON_POSTGRESQL = pytest.mark.parametrize("backend_app", ["postgresql"], indirect=True)  # procrastinate's queue


@pytest.fixture
def postgres_app(app):
    from webapp.jobs.worker import prepare

    prepare(str(db.engine.url))
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM procrastinate_jobs"))
    return app


def procrastinate_jobs() -> list[tuple[str, dict]]:
    with db.engine.connect() as connection:
        return [(name, args) for name, args in connection.execute(text(
            "SELECT task_name, args FROM procrastinate_jobs WHERE status = 'todo' ORDER BY id"))]


@ON_POSTGRESQL
def test_on_postgresql_an_enqueued_job_is_handed_to_procrastinate_after_the_commit(postgres_app, village):
    job = enqueue("test.rename", {"village_id": village.id, "name": "油房新村"})
    db.session.flush()
    assert procrastinate_jobs() == []  # not before the commit: the worker must see the row
    db.session.commit()
    assert procrastinate_jobs() == [("jifen.run_job", {"job_id": job.id})]
    run_worker_bounded(postgres_app)
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "done"
    assert db.session.get(Village, village.id).name == "油房新村"


@ON_POSTGRESQL
def test_on_postgresql_a_rolled_back_enqueue_hands_nothing_to_procrastinate(postgres_app, village):
    enqueue("test.rename", {"village_id": village.id, "name": "油房新村"})
    db.session.rollback()
    db.session.commit()
    assert procrastinate_jobs() == []


@ON_POSTGRESQL
def test_on_postgresql_the_worker_runs_a_job_whose_hand_over_was_lost(postgres_app, village):
    """The defer failed (or procrastinate's schema came later): the worker's sweep finds the queued row."""
    job = queued(village)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM procrastinate_jobs"))
    run_worker_bounded(postgres_app)
    db.session.expire_all()
    assert db.session.get(Job, job.id).state == "done"
