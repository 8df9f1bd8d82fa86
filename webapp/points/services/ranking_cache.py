"""The open period's ranking, computed once per change of the village's points, not once per page view.

Each worker process keeps the last rankings it computed (a bounded LRU), keyed by the database, the
village and the period, with the stamp they were computed at: the village's points version (which
every counted entry, inspection, correction, rule or household change moves, in the writing
transaction: webapp/points/services/points_version.py) and the village's household count and newest
household id (households loaded in bulk, outside the ORM, change who takes part too). One small query
reads the stamp; while it is unchanged the ranking is served from memory. The stamp is read before
computing, so a change committed meanwhile can only make the entry look stale, never fresh.
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.points.models.figures import VillagePointsVersion
from webapp.points.services.points_version import village_version  # noqa: F401 - registers the listener

Ranking = tuple[dict[int, int], dict[int, Decimal]]
Stamp = tuple[int, int, int]

CAPACITY = 256  # villages × open periods a worker keeps (a town has ~30 villages, a county ~300)

_cache: OrderedDict[tuple[int, int, str], tuple[Stamp, Ranking]] = OrderedDict()
_lock = threading.Lock()
# Tests make many databases in one process (several may share a URL, e.g. "sqlite://"): each engine
# gets its own number, forgotten with the engine.
_engines: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
_numbers = itertools.count(1)
computed = 0  # how many rankings this process computed (the tests count them)


def _database() -> int:
    engine = db.session.get_bind()
    with _lock:
        number = _engines.get(engine)
        if number is None:
            number = _engines[engine] = next(_numbers)
        return number


def village_stamp(village_id: int) -> Stamp:
    """The village's points version, household count and newest household id, in one query."""
    version = (select(VillagePointsVersion.version).where(VillagePointsVersion.village_id == village_id)
               .scalar_subquery())
    households = select(func.count(Household.id), func.max(Household.id), version).where(
        Household.village_id == village_id)
    count, newest, number = db.session.execute(households).one()
    return (number or 0, count or 0, newest or 0)


def cached_ranking(village_id: int, period: Period, compute: Callable[[], Ranking]) -> Ranking:
    """The ranking `compute` gives, from the cache while the village's points have not changed."""
    global computed
    key = (_database(), village_id, period.key)
    stamp = village_stamp(village_id)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            _cache.move_to_end(key)
            ranks, scores = hit[1]
            return dict(ranks), dict(scores)  # copies: a caller may change what it is given
    ranks, scores = compute()
    with _lock:
        computed += 1
        _cache[key] = (stamp, (dict(ranks), dict(scores)))
        _cache.move_to_end(key)
        while len(_cache) > CAPACITY:
            _cache.popitem(last=False)
    return ranks, scores


def clear() -> None:
    """Forget every cached ranking (a test, or a script that bulk-loaded counted items)."""
    with _lock:
        _cache.clear()
