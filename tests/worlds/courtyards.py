"""A village with two grids for the courtyard ratings' tests: its admin, a grid worker of the first
grid, a reviewer, a 包村干部, the town admin, and a second village with a household of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from webapp.courtyards.models import CourtyardRating, CourtyardRound
from webapp.extensions import db
from webapp.people.models.geo import Grid, Village
from webapp.people.models.household import Household
from webapp.people.models.user import User


@dataclass
class CourtyardWorld:
    village: Village
    other_village: Village
    grid_one: Grid
    grid_two: Grid
    households: list[Household]  # two in grid one, one in grid two
    stranger: Household  # in the other village
    admin: User
    scorer: User  # grid one
    reviewer: User
    cadre: User
    town_admin: User
    other_admin: User


def courtyard_world(make) -> CourtyardWorld:
    town = make.town(code="FS")
    village = make.village(town, code="YF", name="油房村")
    other = make.village(town, code="WJ", name="王家村")
    g1, g2 = make.grid(village, "第一网格"), make.grid(village, "第二网格")
    households = [make.household(village, "张三", code="YF001", grid=g1),
                  make.household(village, "李四", code="YF002", grid=g1),
                  make.household(village, "王五", code="YF003", grid=g2)]
    stranger = make.household(other, "赵六", code="WJ001")
    world = CourtyardWorld(
        village, other, g1, g2, households, stranger,
        admin=make.user("village_admin", username="yfadmin", village_id=village.id),
        scorer=make.user("scorer", username="grid1", grid_id=g1.id),
        reviewer=make.user("reviewer", username="yfreview", village_id=village.id),
        cadre=make.user("town_cadre", username="cadre", village_id=village.id),
        town_admin=make.user("town_admin", username="townadmin", town_id=town.id),
        other_admin=make.user("village_admin", username="wjadmin", village_id=other.id),
    )
    db.session.commit()
    return world


def approved_rating(round_: CourtyardRound, household: Household, stars: int, on: date,
                    photo_id: int | None = None) -> CourtyardRating:
    """An approved rating written straight to the table (for the shares' arithmetic)."""
    rating = CourtyardRating(round_id=round_.id, household_id=household.id, stars=stars, photo_id=photo_id,
                             rated_at=on, status="approved")
    db.session.add(rating)
    db.session.flush()
    return rating
