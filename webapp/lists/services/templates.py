"""Town templates: the town keeps model lists and hands them to its villages, which adapt them.

Handing out gives each village a draft (of its list made from the template, created if
needed) with the template's adopted items; the village changes what it must and adopts it
at its own meeting. A village that is still working on a draft of that list is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.lists.models import DutyList, ListVersion
from webapp.lists.services.catalog import create_list, free_code, in_force
from webapp.lists.services.versions import open_draft, start_draft
from webapp.people.models.geo import Village
from webapp.people.services.audit import record


@dataclass
class HandOut:
    drafts: list[tuple[Village, ListVersion]] = field(default_factory=list)
    skipped: list[Village] = field(default_factory=list)  # a draft was already open there


def adopted_template_version(template: DutyList, today: date) -> ListVersion:
    version = in_force(template, today)
    if version is None:
        raise Refusal(N_("Adopt the template before handing it to villages."))
    return version


def hand_out(template: DutyList, villages: list[Village], today: date, actor_id: int | None = None,
             note: str = "") -> HandOut:
    """Give each village a draft with the template's items (see the module's docstring)."""
    if not template.is_template:
        raise Refusal(N_("Only a town template can be handed to villages."))
    source = adopted_template_version(template, today)
    if not villages:
        raise Refusal(N_("Choose at least one village."))
    result = HandOut()
    for village in villages:
        if village.town_id != template.town_id:
            raise Refusal(N_("Choose one of your villages."))
        duty_list = db.session.scalar(
            select(DutyList).where(DutyList.village_id == village.id, DutyList.template_id == template.id))
        if duty_list is None:
            code = free_code(template.town_id, village.id, template.code)
            duty_list = create_list(village.town, village, template.kind, template.name, code, actor_id,
                                    template_id=template.id)
            draft = open_draft(duty_list)
            duty_list.versions.remove(draft)  # the empty first draft gives way to the template's copy
            db.session.flush()
        elif open_draft(duty_list) is not None:
            result.skipped.append(village)
            continue
        result.drafts.append((village, start_draft(duty_list, actor_id, note=note, source=source)))
    record(actor_id, "list.hand_out", "duty_list", template.id, template=template.code, number=source.number,
           villages=[v.code for v, _draft in result.drafts])
    return result
