"""The garbage collector is kept off the long-lived objects and out of a ranking (webapp/core/collector.py)."""

from __future__ import annotations

import gc
import threading

import pytest

from webapp.cli import serve
from webapp.core import collector
from webapp.core.collector import freeze_long_lived, quiet_collector
from webapp.core.periods import Period
from webapp.points.services import points as points_service


@pytest.fixture(autouse=True)
def collector_as_found():
    """Each test starts and ends with the collector running, nothing frozen by the test left frozen."""
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_the_collector_pauses_inside_and_resumes_after():
    with quiet_collector():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_resumes_even_when_the_block_fails():
    with pytest.raises(RuntimeError), quiet_collector():
        raise RuntimeError("ranking failed")
    assert gc.isenabled()


def test_a_collector_switched_off_before_stays_off():
    gc.disable()
    with quiet_collector():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_nested_pauses_resume_only_when_the_outer_one_ends():
    with quiet_collector():
        with quiet_collector():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_thread_leaving_does_not_resume_the_collector_under_another_still_ranking():
    inside, leave = threading.Event(), threading.Event()

    def rank_slowly() -> None:
        with quiet_collector():
            inside.set()
            leave.wait(5)

    other = threading.Thread(target=rank_slowly)
    other.start()
    inside.wait(5)
    with quiet_collector():
        pass
    assert not gc.isenabled()  # the other thread is still inside
    leave.set()
    other.join(5)
    assert gc.isenabled() and collector._inside == 0


def test_freezing_moves_what_the_process_holds_out_of_the_collectors_reach():
    gc.unfreeze()
    freeze_long_lived()
    assert gc.get_freeze_count() > 1000  # modules, functions, the test session: all frozen


def test_the_production_server_freezes_the_collector_once_a_worker_has_loaded_the_app(monkeypatch):
    frozen = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    options = serve.server_options("127.0.0.1", 8000, workers=2, threads=4)
    assert options["post_worker_init"] is serve.freeze_after_load
    assert not options["preload_app"]  # each worker loads its own app: the hook runs after that
    options["post_worker_init"](object())
    assert frozen == [True]


def test_jifen_demo_serves_with_the_same_hook(monkeypatch):
    """`jifen demo` runs the production server too (run_server → server_options): its workers freeze."""
    options = serve.server_options("127.0.0.1", 8000, workers=1, threads=4, graceful_timeout=5)
    assert options["post_worker_init"] is serve.freeze_after_load


def test_a_village_is_ranked_with_the_collector_paused(monkeypatch):
    seen = []

    def explanations(village_id: int, period: Period) -> dict:
        seen.append(gc.isenabled())
        return {}

    monkeypatch.setattr(points_service, "village_explanations", explanations)
    assert points_service.computed_ranking(1, Period.month(2025, 6)) == ({}, {})
    assert seen == [False] and gc.isenabled()
