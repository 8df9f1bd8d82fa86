"""Members joining (born, moved in) and leaving (moved out, deceased) a household, with dates; a member
who leaves keeps the record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.household import MEMBER_JOINED, MEMBER_LEFT, Household, Member
from webapp.people.models.user import User
from webapp.people.schemas import CellMessage
from webapp.people.services.audit import record
from webapp.people.services.household_edit.forms import FormRefusal, LeaveSchema, MemberSchema, load


def add_member(actor: User, household: Household, form: Mapping[str, Any], today: date) -> Member:
    """A member joins: born or moved in on a date (not in the future), or listed without one."""
    values = load(MemberSchema(), form, ("name", "relation", "on"))
    reason = str(form.get("reason", "") or "").strip()
    if reason not in ("", *MEMBER_JOINED):
        raise FormRefusal({"reason": CellMessage(N_("Choose how the member joined."))})
    day = values["on"]
    if reason and day is None:
        raise FormRefusal({"on": CellMessage(N_("Give the date of birth or of moving in."))})
    if day is not None and day > today:
        raise FormRefusal({"on": CellMessage(N_("The date %(day)s is in the future."), {"day": day.isoformat()})})
    if any(m.name == values["name"] and m.active for m in household.members):
        raise FormRefusal({"name": CellMessage(N_("%(name)s is already a member of this household."),
                                               {"name": values["name"]})})
    member = Member(name=values["name"], relation=values["relation"] or "", joined_on=day, joined_reason=reason,
                    left_reason="")
    household.members.append(member)
    db.session.flush()
    record(actor.id, "household.member_join", "household", household.id, village_id=household.village_id,
           code=household.code, member_id=member.id, name=member.name, relation=member.relation,
           reason=reason, joined_on=day.isoformat() if day else "")
    return member


def remove_member(actor: User, member: Member, form: Mapping[str, Any], today: date) -> None:
    """A member leaves (moved out or deceased) on a date; the record stays, marked inactive."""
    values = load(LeaveSchema(), form, ("on",))
    reason = str(form.get("reason", "") or "").strip()
    problems: dict[str, CellMessage] = {}
    if reason not in MEMBER_LEFT:
        problems["reason"] = CellMessage(N_("Choose why the member left: moved out or deceased."))
    day = values["on"]
    if day is None:
        problems["on"] = CellMessage(N_("Give the date the member left."))
    elif day > today:
        problems["on"] = CellMessage(N_("The date %(day)s is in the future."), {"day": day.isoformat()})
    elif member.joined_on and day < member.joined_on:
        problems["on"] = CellMessage(N_("The member joined on %(day)s: the date cannot be earlier."),
                                     {"day": member.joined_on.isoformat()})
    if problems:
        raise FormRefusal(problems)
    if not member.active:
        raise Refusal(N_("%(name)s has left the household already."), name=member.name)
    if member.is_head:
        raise Refusal(N_("%(name)s is the head of the household: first make another member the head "
                         "(edit the household and enter their name as the head's)."), name=member.name)
    member.active, member.left_on, member.left_reason = False, day, reason
    household = member.household
    record(actor.id, "household.member_leave", "household", household.id, village_id=household.village_id,
           code=household.code, member_id=member.id, name=member.name, reason=reason, left_on=day.isoformat())
    db.session.flush()
