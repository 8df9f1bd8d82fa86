"""Turning codes typed on the command line into the scope of a role grant."""

from __future__ import annotations

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import SCOPE_OF_ROLE, Role
from webapp.people.models.geo import Grid, Town, Village
from webapp.people.models.household import Household
from webapp.people.models.stores import Store


def resolve_scope(
    role: str, town: str | None, village: str | None, grid: str | None, store: str | None, household: str | None,
) -> dict[str, int]:
    """The {scope_column: id} a role needs, looked up from codes."""
    column = SCOPE_OF_ROLE[Role(role)]
    if column == "town_id":
        return {column: _one(Town, Town.code == (town or ""), town, N_("No town with code %(code)s."))}
    if column == "village_id":
        return {column: _one(Village, Village.code == (village or ""), village, N_("No village with code %(code)s."))}
    if column == "store_id":
        return {column: _one(Store, Store.code == (store or ""), store, N_("No store with code %(code)s."))}
    if column == "household_id":
        return {column: _one(Household, Household.code == (household or ""), household,
                             N_("No household with code %(code)s."))}
    if not village:
        raise Refusal(N_("A grid is named within its village: give --village too."))
    village_id = _one(Village, Village.code == village, village, N_("No village with code %(code)s."))
    return {column: _one(Grid, (Grid.code == (grid or "")) & (Grid.village_id == village_id), grid,
                         N_("No grid with code %(code)s in that village."))}


def _one(model, condition, code: str | None, msgid: str) -> int:
    found = db.session.scalar(select(model.id).where(condition))
    if found is None:
        raise NotFound(msgid, code=code or "")
    return found
