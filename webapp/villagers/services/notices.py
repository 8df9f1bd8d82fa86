"""What a villager sees of publications: their household's published rank and points in each
public notice of the village, whether objections are open, and their own objections' outcomes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.publication.domain.publication import notice_open
from webapp.publication.models import Objection, Publication
from webapp.publication.services.query import village_publications


@dataclass
class NoticeLine:
    publication: Publication
    own: dict[str, Any] | None  # the household's frozen row: rank, points, cumulative
    ranked: int
    objections_open: bool


def household_notices(household: Household, today: date) -> list[NoticeLine]:
    """Every public publication of the household's village, newest first, with the household's row."""
    lines = []
    for publication in village_publications(household.village_id, public_only=True):
        rows = publication.frozen["rows"]
        own = next((row for row in rows if row["household_id"] == household.id), None)
        lines.append(NoticeLine(publication, own, len(rows), publication.status == "notice" and notice_open(
            today, publication.notice_starts_on, publication.notice_ends_on)))
    return lines


def objections_filed_by(user: User) -> list[tuple[Objection, Household]]:
    """The objections this user filed, newest first, with the household each is about."""
    rows = db.session.execute(
        select(Objection, Household).join(Household, Household.id == Objection.household_id)
        .where(Objection.filed_by_id == user.id).order_by(Objection.filed_at.desc(), Objection.id.desc()))
    return [(objection, household) for objection, household in rows]


def objection_choices(publication: Publication) -> list[tuple[int, str]]:
    """The households of a publication's ranking, as (household id, "name · group · points") to object to."""
    return [(row["household_id"], " · ".join(filter(None, (row["name"], row["group"], row["points"]))))
            for row in publication.frozen["rows"]]
