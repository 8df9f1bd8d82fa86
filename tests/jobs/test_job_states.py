"""A job's states and the events that move it (webapp/jobs/domain.py), without a database."""

from __future__ import annotations

import pytest

from webapp.jobs.domain import (
    DONE,
    FAILED,
    JOB_TRANSITIONS,
    QUEUED,
    RUNNING,
    STATES,
    JobStateError,
    canonical_args,
    dedupe_key,
    is_finished,
    next_state,
    percent,
)


def test_a_job_waits_runs_and_ends_done_or_failed():
    assert next_state(QUEUED, "start") == RUNNING
    assert next_state(RUNNING, "succeed") == DONE
    assert next_state(RUNNING, "fail") == FAILED


def test_a_failed_job_can_be_queued_again_but_a_done_one_cannot():
    assert next_state(FAILED, "retry") == QUEUED
    with pytest.raises(JobStateError):
        next_state(DONE, "retry")


def test_a_job_whose_runner_died_is_abandoned_as_failed():
    assert next_state(RUNNING, "abandon") == FAILED


@pytest.mark.parametrize("state, event", [(DONE, "start"), (RUNNING, "start"), (QUEUED, "succeed"),
                                          (FAILED, "succeed"), (QUEUED, "retry"), (DONE, "fail")])
def test_an_event_that_does_not_apply_is_refused(state, event):
    """A second runner cannot start a running job, and a finished job never changes again."""
    with pytest.raises(JobStateError):
        next_state(state, event)


def test_every_transition_joins_known_states_and_only_done_has_no_way_out():
    assert {s for s, _ in JOB_TRANSITIONS} | set(JOB_TRANSITIONS.values()) == set(STATES)
    assert not any(state == DONE for state, _ in JOB_TRANSITIONS)
    assert [s for s in STATES if is_finished(s)] == [DONE, FAILED]


def test_the_same_arguments_give_the_same_dedupe_key_in_any_order():
    assert canonical_args({"b": 1, "a": "油房"}) == '{"a":"油房","b":1}'
    assert dedupe_key("close_period", {"a": 1, "b": 2}) == dedupe_key("close_period", {"b": 2, "a": 1})
    assert dedupe_key("close_period", {"a": 1}) != dedupe_key("close_period", {"a": 2})


def test_progress_is_a_whole_percentage_and_zero_before_anything_is_known():
    assert percent(0, 0) == 0
    assert percent(1, 3) == 33
    assert percent(1500, 1500) == 100
    assert percent(7, 5) == 100
