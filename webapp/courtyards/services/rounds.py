"""Rating rounds: opening and closing them, listing them, and a round's households with their stars."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.courtyards.domain import APPROVED, CLOSED, OPEN, RECORDED
from webapp.courtyards.models import CourtyardRating, CourtyardRound
from webapp.courtyards.services.scope import may_rate, readable_village_ids, require_village_admin
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.households import visible_households

MAX_NAME = 100


def open_round(user: User, village_id: int, year: int, name: str) -> CourtyardRound:
    """Open a rating round in the user's village (its admins only)."""
    require_village_admin(user, village_id)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise Refusal(N_("Give the round a name (at most %(max)s characters)."), max=MAX_NAME)
    if not 2000 <= year <= 2100:
        raise Refusal(N_("Choose a year between 2000 and 2100."))
    round_ = CourtyardRound(village_id=village_id, year=year, name=name, state=OPEN, opened_by_id=user.id,
                            opened_at=utcnow())
    db.session.add(round_)
    db.session.flush()
    record(user.id, "courtyard_round.open", "courtyard_round", round_.id, village_id, year=year, name=name)
    return round_


def close_round(user: User, round_: CourtyardRound) -> None:
    """Close an open round: no more ratings are recorded in it (reviews of those waiting go on)."""
    require_village_admin(user, round_.village_id)
    if round_.state == CLOSED:
        raise Refusal(N_("This round is already closed."))
    round_.state, round_.closed_at = CLOSED, utcnow()
    record(user.id, "courtyard_round.close", "courtyard_round", round_.id, round_.village_id)


def rounds_for(user: User) -> list[CourtyardRound]:
    """The rounds of the villages the user may read, newest first."""
    ids = readable_village_ids(user)
    if not ids:
        return []
    return list(db.session.scalars(
        select(CourtyardRound).options(joinedload(CourtyardRound.village))
        .where(CourtyardRound.village_id.in_(ids))
        .order_by(CourtyardRound.year.desc(), CourtyardRound.id.desc())))


@dataclass(frozen=True)
class HouseholdRow:
    household: Household
    current: CourtyardRating | None  # the latest approved rating in this round
    waiting: CourtyardRating | None  # the latest rating still to review
    last: CourtyardRating | None  # the latest rating of any state
    may_rate: bool


def round_households(user: User, round_: CourtyardRound) -> list[HouseholdRow]:
    """The round's village's households this user may see (a grid worker: their grids'), with their stars."""
    households = list(db.session.scalars(
        visible_households(user).where(Household.village_id == round_.village_id, Household.left_on.is_(None))
        .options(joinedload(Household.grid)).order_by(Household.code)))
    ratings: dict[int, list[CourtyardRating]] = defaultdict(list)
    for rating in db.session.scalars(select(CourtyardRating).where(CourtyardRating.round_id == round_.id)
                                     .order_by(CourtyardRating.rated_at, CourtyardRating.id)):
        ratings[rating.household_id].append(rating)
    rows = []
    for hh in households:
        mine = ratings.get(hh.id, [])
        approved = [r for r in mine if r.status == APPROVED]
        waiting = [r for r in mine if r.status == RECORDED]
        rows.append(HouseholdRow(hh, approved[-1] if approved else None, waiting[-1] if waiting else None,
                                 mine[-1] if mine else None, round_.state == OPEN and may_rate(user, hh)))
    return rows
