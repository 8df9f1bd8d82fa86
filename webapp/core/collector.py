"""Keeping Python's cyclic garbage collector off the long-lived objects and out of a ranking.

Ranking a village builds a few objects per tally and per household (tuples, rows, statements) and
keeps them until the ranking is done: none of them is ever part of a reference cycle, yet each
full collection the allocations trigger walks every object the process holds. That made ranking
cost grow with the village (1.5-1.7× per household from 1,500 to 15,000 households). So:

- `freeze_long_lived()`: once the app is loaded, everything it holds (modules, the app, the rules
  cache) moves to the collector's permanent generation and is never scanned again; the server calls
  it in each worker after the app is built (webapp/cli/serve.py).
- `quiet_collector()`: the collector pauses while a village is ranked or a period closed, and runs
  as before afterwards. Threads share the collector, so pausing is counted: it resumes when the last
  thread inside leaves, and only if it was running when the first one came in.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0  # threads inside quiet_collector()
_resume = False  # whether the collector ran when the first of them came in


@contextmanager
def quiet_collector() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (reference counting still frees everything
    not in a cycle); it resumes when the last block running in any thread ends."""
    global _inside, _resume
    with _lock:
        if _inside == 0:
            _resume = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _resume:
                gc.enable()


def freeze_long_lived() -> None:
    """Move every object the process holds now into the permanent generation: the collector never
    scans them again (gc.freeze; a forked worker's pages also stay shared longer)."""
    gc.collect()  # what is garbage now should not be frozen with the rest
    gc.freeze()
