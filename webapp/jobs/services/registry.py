"""The kinds of job: a capability registers a function under a name at start-up, and the runner
looks it up by the job's kind. Open on purpose: a later capability (the town's monthly figures)
registers its kind the same way, from its own `register()` hook called by webapp/capabilities.py.

A job function takes the run (to report progress) and the job's arguments, and returns an Outcome:
a message (msgid and parameters, translated when shown) and a result (JSON: ids the page links to).
It may raise Refusal; it never commits (the runner commits its work and the job's end together)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Outcome:
    """What a finished job tells its reader: a msgid with its parameters, and a JSON result."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    result: Mapping[str, Any] = field(default_factory=dict)


class Progress(Protocol):
    """The runner's progress callback: `progress(done, total)`."""

    def __call__(self, done: int, total: int) -> None: ...


JobFunction = Callable[[Progress, dict[str, Any]], Outcome]


@dataclass(frozen=True)
class JobKind:
    name: str
    function: JobFunction
    label: str  # a msgid: what the job does, shown on its page ("Close a period")
    daily: bool = False  # queued once a day by the runner (`jifen jobs run-due`, the worker), args {"today"}
    # Where a finished job's page links: result → (endpoint, url arguments), or None (no link).
    link: Callable[[Mapping[str, Any]], tuple[str, dict[str, Any]] | None] | None = None


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, label: str, daily: bool = False,
             link: Callable[[Mapping[str, Any]], tuple[str, dict[str, Any]] | None] | None = None,
             ) -> Callable[[JobFunction], JobFunction]:
    """Register a job function under `name` (registering the same function again is harmless).
    A `daily` kind is queued by the runner once a day with the day as its argument {"today": "…"}."""

    def register(function: JobFunction) -> JobFunction:
        KINDS[name] = JobKind(name, function, label, daily, link)
        return function

    return register


def kind(name: str) -> JobKind | None:
    return KINDS.get(name)


def no_progress(done: int, total: int) -> None:
    """A progress callback that reports nothing (a job run directly, in a test or a script)."""
