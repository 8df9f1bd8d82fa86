"""The forms of households on the page: their fields checked like the roster's cells, a form refused
whole with one message per bad field (FormRefusal), and finding what an admin may change."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError
from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import can_manage_village
from webapp.people.models.geo import Grid, Village, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.models.user import User
from webapp.people.schemas import CellDate, CellMessage, Phone, Text

HEAD_RELATION = "户主"  # as the roster writes it


class FormRefusal(Refusal):
    """A form refused whole: `problems` maps each bad field to its message (CellMessage)."""

    def __init__(self, problems: Mapping[str, CellMessage]) -> None:
        super().__init__(N_("Nothing was saved: correct the fields marked below."))
        self.problems = dict(problems)


class HouseholdSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    code = Text(32, blank=N_("The household code is empty."))
    head_name = Text(50, blank=N_("The household head's name is empty."))
    address = Text(200)
    phone = Phone()
    enrolled_on = CellDate()


class MemberSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = Text(50, blank=N_("The member's name is empty."))
    relation = Text(20)
    on = CellDate()


class LeaveSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    on = CellDate()
    reason = Text(100)


def load(schema: Schema, form: Mapping[str, Any], fields: tuple[str, ...],
         problems: dict[str, CellMessage] | None = None) -> dict[str, Any]:
    """The form's fields loaded through the schema. Bad fields go into `problems` when given (the
    caller checks more, then refuses once); otherwise FormRefusal lists them all."""
    raw = {name: str(form.get(name, "") or "") for name in fields}
    found: dict[str, CellMessage] = {
        name: CellMessage(N_("This field holds an invisible control character; type it again."))
        for name, value in raw.items() if any(c < " " for c in value)
    }
    try:
        values = schema.load({k: v for k, v in raw.items() if k not in found})
    except ValidationError as err:
        values = err.valid_data or {}
        for name, messages in err.messages.items():  # type: ignore[union-attr]
            first = messages[0]
            found[name] = first if isinstance(first, CellMessage) else CellMessage(str(first))
    if problems is not None:
        problems.update(found)
    elif found:
        raise FormRefusal(found)
    return values


HOUSEHOLD_FIELDS = ("code", "head_name", "address", "phone", "enrolled_on")


def household_form(village: Village, form: Mapping[str, Any], new: bool) -> dict[str, Any]:
    """A household form's values, its group and grid among them; FormRefusal listing every bad field
    (a code already used anywhere, for a new household)."""
    problems: dict[str, CellMessage] = {}
    values = load(HouseholdSchema(), form, HOUSEHOLD_FIELDS, problems)
    values["group"] = place(VillageGroup, village, form.get("group"), "group", problems)
    values["grid"] = place(Grid, village, form.get("grid"), "grid", problems)
    values["resident"] = flag(form, "resident")
    code = values.get("code")
    if new and code and db.session.scalar(select(Household.id).where(Household.code == code)) is not None:
        # Which village has it is not said: villages never see each other's households.
        problems["code"] = CellMessage(N_("The household code %(code)s is already used."), {"code": code})
    if problems:
        raise FormRefusal(problems)
    return values


# --- finding ------------------------------------------------------------------------------------

def managed_household(user: User, household_id: int) -> Household:
    """The household if the user administers its village (or its town); otherwise 404."""
    household = db.session.get(Household, household_id)
    if household is None or not can_manage_village(user.domain_grants(), household.village_id,
                                                   household.village.town_id):
        raise NotFound(N_("No such household."))
    return household


def managed_member(user: User, member_id: int) -> Member:
    member = db.session.get(Member, member_id)
    if member is None:
        raise NotFound(N_("No such household."))
    managed_household(user, member.household_id)
    return member


def place(model: type[VillageGroup | Grid], village: Village, value: Any, field: str,
          problems: dict[str, CellMessage]) -> Any:
    """The village's group or grid chosen by id; blank is none; another village's is a problem."""
    text = str(value or "").strip()
    if not text:
        return None
    found = db.session.get(model, int(text)) if text.isdigit() and len(text) < 10 else None
    if found is None or found.village_id != village.id:
        problems[field] = CellMessage(N_("That village group is not one of this village's.") if model is VillageGroup
                                      else N_("That grid is not one of this village's."))
        return None
    return found


def flag(form: Mapping[str, Any], name: str) -> bool:
    return str(form.get(name, "")).strip().lower() in {"y", "yes", "on", "1", "true", "是"}


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(getattr(value, "name", value))
