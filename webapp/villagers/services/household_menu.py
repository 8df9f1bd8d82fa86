"""The household's menu (我家的菜单): what a logged-in household reaches from its own pages — the village's
notice board (at its own row), points rules, lists, the service desk's lists and the three-affairs
disclosures (三务公开). All of them are public pages; the menu only finds which ones the village has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from webapp.lists.domain.lists import DESK_KINDS
from webapp.lists.services.catalog import public_lists
from webapp.people.models.household import Household
from webapp.publication.services.query import village_publications


@dataclass(frozen=True)
class DeskList:
    """A list in force whose items the service desk (帮办代办) handles on a household's behalf."""

    code: str
    name: str


@dataclass(frozen=True)
class HouseholdMenu:
    village_code: str
    household_code: str
    has_board: bool  # the village has published a notice
    desk_lists: list[DeskList]


def household_menu(household: Household, today: date | None = None) -> HouseholdMenu:
    village = household.village
    found = public_lists(village, today or date.today())
    return HouseholdMenu(
        village_code=village.code, household_code=household.code,
        has_board=bool(village_publications(village.id, public_only=True)),
        desk_lists=[DeskList(p.duty_list.code, p.duty_list.name) for p in found if p.duty_list.kind in DESK_KINDS],
    )
