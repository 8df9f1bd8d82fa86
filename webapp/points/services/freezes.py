"""Lifting a redemption freeze (冻结兑换): the committee ends it when the affected period is over."""

from __future__ import annotations

from datetime import date, timedelta

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import can_decide_for_village
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.points.models.entry import Freeze


def lift_freeze(actor: User, household: Household, freeze_id: int, today: date) -> Freeze:
    """End a household's freeze: the household may redeem again from today. The village's committee
    decides it, never the town."""
    freeze = db.session.get(Freeze, freeze_id)
    if freeze is None or freeze.household_id != household.id or not can_decide_for_village(
            actor.domain_grants(), household.village_id):
        raise NotFound(N_("No such freeze."))
    if freeze.ends_on is not None and freeze.ends_on < today:
        raise Refusal(N_("This freeze has already ended."))
    # The last frozen day is yesterday (a freeze that starts today simply never takes effect).
    freeze.ends_on = today - timedelta(days=1)
    db.session.flush()
    record(actor.id, "freeze.lift", "freeze", freeze.id, village_id=household.village_id, household=household.code,
           reason=freeze.reason)
    return freeze
