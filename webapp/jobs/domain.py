"""A job's states and what moves it between them (docs/jobs.md). Pure: no Flask, no SQLAlchemy.

    queued ──start──► running ──succeed──► done
       ▲                 │
       └──retry── failed ◄┘ fail          (a runner that died: running ──abandon──► failed)
"""

from __future__ import annotations

import json
from typing import Any

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)
UNFINISHED = (QUEUED, RUNNING)

JOB_TRANSITIONS: dict[tuple[str, str], str] = {
    (QUEUED, "start"): RUNNING,
    (RUNNING, "succeed"): DONE,
    (RUNNING, "fail"): FAILED,
    (RUNNING, "abandon"): FAILED,
    (FAILED, "retry"): QUEUED,
}


class JobStateError(ValueError):
    """An event that does not apply to the job's state (the job was taken by another runner, or is done)."""

    def __init__(self, state: str, event: str) -> None:
        super().__init__(f"a {state} job cannot {event}")
        self.state, self.event = state, event


def next_state(state: str, event: str) -> str:
    """The state after `event`; JobStateError when the event does not apply."""
    try:
        return JOB_TRANSITIONS[(state, event)]
    except KeyError:
        raise JobStateError(state, event) from None


def is_finished(state: str) -> bool:
    return state not in UNFINISHED


def canonical_args(args: dict[str, Any]) -> str:
    """A job's arguments as canonical JSON: the same arguments give the same text."""
    return json.dumps(args, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def dedupe_key(kind: str, args: dict[str, Any]) -> str:
    """The default dedupe key: the kind and its arguments (one unfinished job per kind and arguments)."""
    return f"{kind}:{canonical_args(args)}"[:200]


def percent(done: int, total: int) -> int:
    """Progress as a whole percentage (0 when nothing is known yet)."""
    if total <= 0:
        return 0
    return max(0, min(100, done * 100 // total))
