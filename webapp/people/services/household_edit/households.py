"""Adding and editing a household, moving it between groups and grids, and the dates it takes part
in points from and until (enrolled_on, left_on: exclusive, the day it stopped)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.people.schemas import CellMessage
from webapp.people.services.audit import record
from webapp.people.services.household_edit.forms import (
    HEAD_RELATION,
    FormRefusal,
    LeaveSchema,
    as_text,
    household_form,
    load,
)


def add_household(actor: User, village: Village, form: Mapping[str, Any], today: date) -> Household:
    """A new household of the village, its head as its first member, taking part from the date given
    (today when blank)."""
    values = household_form(village, form, new=True)
    group, grid = values["group"], values["grid"]
    household = Household(
        village_id=village.id, code=values["code"], head_name=values["head_name"], group=group, grid=grid,
        address=values["address"] or "", phone=values["phone"] or "", resident=values["resident"],
        eligible=True, enrolled_on=values["enrolled_on"] or today, left_reason="", members=[],
    )
    db.session.add(household)
    household.members.append(Member(name=values["head_name"], relation=HEAD_RELATION, is_head=True,
                                    joined_reason="", left_reason=""))
    db.session.flush()
    record(actor.id, "household.create", "household", household.id, village_id=village.id, code=household.code,
           head=household.head_name, group=group.name if group else "", grid=grid.name if grid else "",
           enrolled_on=household.enrolled_on.isoformat())
    return household


def edit_household(actor: User, household: Household, form: Mapping[str, Any]) -> dict[str, list[str]]:
    """Change the head's name, address, phone, residence, start date, group and grid (the code stays:
    it is printed on the household's card and is its login). Returns the changes ({} when none)."""
    values = household_form(household.village, {**form, "code": household.code}, new=False)
    group, grid = values["group"], values["grid"]
    enrolled_on = values["enrolled_on"] or household.enrolled_on
    if household.left_on and enrolled_on and enrolled_on >= household.left_on:
        raise FormRefusal({"enrolled_on": CellMessage(N_(
            "The household stopped taking part on %(day)s: it must start before that."),
            {"day": household.left_on.isoformat()})})
    details = {"head_name": values["head_name"], "address": values["address"] or "",
               "phone": values["phone"] or "", "resident": values["resident"], "enrolled_on": enrolled_on}
    changes: dict[str, list[str]] = {}
    for attr, value in details.items():
        if getattr(household, attr) != value:
            changes[attr] = [as_text(getattr(household, attr)), as_text(value)]
            setattr(household, attr, value)
    if "head_name" in changes:
        _make_head(household, values["head_name"])
    moves: dict[str, list[str]] = {}
    for attr, chosen in (("group", group), ("grid", grid)):
        if getattr(household, attr) is not chosen:
            moves[attr] = [as_text(getattr(household, attr)), as_text(chosen)]
            setattr(household, attr, chosen)
    if changes:
        record(actor.id, "household.update", "household", household.id, village_id=household.village_id,
               code=household.code, changes=changes)
    if moves:
        record(actor.id, "household.move", "household", household.id, village_id=household.village_id,
               code=household.code, changes=moves)
    db.session.flush()
    return changes | moves


def _make_head(household: Household, name: str) -> None:
    """A current member of that name becomes the head (the old head stays a member); with none, the
    head's own name was mistyped and is corrected."""
    head = next((m for m in household.members if m.is_head), None)
    other = next((m for m in household.members if m.name == name and m.active and m is not head), None)
    if other is None and head is not None:
        head.name = name
        return
    if head is not None:
        head.is_head = False
        if head.relation == HEAD_RELATION:
            head.relation = ""
    if other is None:
        other = Member(name=name, joined_reason="", left_reason="")
        household.members.append(other)
    other.is_head, other.relation = True, HEAD_RELATION


def stop_participating(actor: User, household: Household, form: Mapping[str, Any]) -> None:
    """The household no longer takes part in points from the date given (it is still ranked for the
    periods it took part in, for at least a day)."""
    values = load(LeaveSchema(), form, ("on", "reason"))
    day = values["on"]
    if day is None:
        raise FormRefusal({"on": CellMessage(N_("Give the date from which it no longer takes part."))})
    if household.enrolled_on and day <= household.enrolled_on:
        raise FormRefusal({"on": CellMessage(N_(
            "The household takes part from %(day)s: the date must be later."),
            {"day": household.enrolled_on.isoformat()})})
    before = household.left_on
    household.left_on, household.left_reason = day, values["reason"] or ""
    record(actor.id, "household.leave", "household", household.id, village_id=household.village_id,
           code=household.code, left_on=day.isoformat(), reason=household.left_reason,
           before=before.isoformat() if before else "")
    db.session.flush()


def resume_participating(actor: User, household: Household) -> None:
    """Undo stop_participating: the household takes part again, as if it had never stopped."""
    if household.left_on is None:
        raise Refusal(N_("The household is taking part already."))
    record(actor.id, "household.rejoin", "household", household.id, village_id=household.village_id,
           code=household.code, left_on=household.left_on.isoformat(), reason=household.left_reason)
    household.left_on, household.left_reason = None, ""
    db.session.flush()
