"""Which stores a user may act in, and the write lock a store transaction begins with."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import or_, select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.db import SQLITE_BEGIN_IMMEDIATE
from webapp.extensions import db
from webapp.people.domain.access import Role
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.store.domain import StoreRef, StoreRefusal, can_manage_store, can_serve_counter, can_view_store
from webapp.store.models import Store, store_villages


def store_ref(store: Store) -> StoreRef:
    """The plain facts the access rules need about a store."""
    return StoreRef(id=store.id, town_id=store.town_id, village_ids=frozenset(v.id for v in store.villages))


def stores_for(user: User) -> list[Store]:
    """Every store the user may see: their counter's, those serving their villages, their town's."""
    grants = user.domain_grants()
    store_ids = {g.store_id for g in grants if g.role == Role.CLERK}
    village_ids = {g.village_id for g in grants if g.village_id is not None}
    town_ids = {g.town_id for g in grants if g.role == Role.TOWN_ADMIN}
    serving = select(store_villages.c.store_id).where(store_villages.c.village_id.in_(village_ids))
    candidates = db.session.scalars(
        select(Store).where(or_(Store.id.in_(store_ids), Store.id.in_(serving), Store.town_id.in_(town_ids)))
        .order_by(Store.code)
    )
    return [s for s in candidates if can_view_store(grants, store_ref(s))]


def store_for(user: User, store_id: int | None, action: str = "view") -> Store:
    """The store a page acts on: the one asked for, or the user's only one. NotFound otherwise,
    so that a store outside the user's scope is never confirmed to exist."""
    check = {"view": can_view_store, "manage": can_manage_store,
             "counter": lambda grants, ref: can_serve_counter(grants, ref.id)}[action]
    grants = user.domain_grants()
    if store_id is not None:  # the usual case, and the counter's hot path: one store to check
        store = db.session.get(Store, store_id)
        if store is not None and check(grants, store_ref(store)):
            return store
    else:
        allowed = [s for s in stores_for(user) if check(grants, store_ref(s))]
        if len(allowed) == 1:
            return allowed[0]
    raise NotFound(N_("Choose one of your stores."))


def village_names(village_ids: Iterable[int]) -> dict[int, str]:
    return dict(db.session.execute(select(Village.id, Village.name).where(Village.id.in_(list(village_ids)))).all())


def begin_store_transaction(store_id: int) -> None:
    """Begin a store write's transaction holding the store's lock, so that two clerks can never spend
    the same points or the same stock: on SQLite the write lock at BEGIN (BEGIN IMMEDIATE, wired in
    webapp/db.py); on PostgreSQL the store's row (FOR UPDATE), which every write of the store's stock takes
    first. BEGIN must come first, so the read-only transaction the request has open (loading the user
    opens one) is ended here; the caller must not have written anything in it."""
    session = db.session()
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a store write begins its own transaction: nothing may be pending before it")
    session.rollback()
    # SQLite: BEGIN IMMEDIATE, after queueing on the database's lock file (webapp/db.py).
    connection = session.connection(execution_options={SQLITE_BEGIN_IMMEDIATE: True})
    if connection.dialect.name != "sqlite":  # SQLite: the whole database is ours until commit
        connection.execute(select(Store.id).where(Store.id == store_id).with_for_update())


def lock_household(household_id: int) -> None:
    """Hold the household's row until commit: a village may be served by two stores, and their
    clerks must not spend the same points either (PostgreSQL; taken after the store's row)."""
    if db.session.connection().dialect.name != "sqlite":
        db.session.execute(select(Household.id).where(Household.id == household_id).with_for_update())


@contextmanager
def refusals_as_service_errors() -> Iterator[None]:
    """The domain's refusals leave the service as Refusal, the one error the edge translates."""
    try:
        yield
    except StoreRefusal as error:
        raise Refusal(error.msgid, **error.params) from error
