"""Demo publications: the last three months closed and published through the real services —
the oldest two final, the last one under public notice today, so objections can be tried —
and one household account (code + PIN) to try them with."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from sqlalchemy import select

from webapp.core.periods import Period
from webapp.demo.accounts import DEMO_HOUSEHOLD_LOGIN
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.household import Household
from webapp.people.models.user import RoleGrant, User
from webapp.people.services.household_login import set_household_pin
from webapp.people.services.users import create_user
from webapp.publication.services import publications


def seed_publications(villages: list[Village], today: date) -> None:
    """Close and publish the three months before today's in every demo village (the caller commits)."""
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    code, pin = DEMO_HOUSEHOLD_LOGIN
    set_household_pin(admin, db.session.scalar(select(Household).where(Household.code == code)), pin)
    first_of_month = today.replace(day=1)
    months = []
    day = first_of_month
    for _ in range(3):
        day = (day - timedelta(days=1)).replace(day=1)
        months.append(Period.month(day.year, day.month))
    months.reverse()
    for village in villages:
        admin = _committee(village)  # each village's own committee closes and publishes (never the town)
        for index, period in enumerate(months):
            closing_day = period.end + timedelta(days=2)  # closed on the 3rd, as the Fengsheng plan asks
            last = index == len(months) - 1
            published_on = today if last else closing_day
            publication = publications.close_period(admin, village, period, min(closing_day, today))
            publications.publish(admin, publication, published_on)
            if not last:
                publications.finalise(admin, publication, publication.notice_ends_on + timedelta(days=1))


def _committee(village: Village) -> User:
    """The village's committee account (a village admin of it); a village without one (the demo's second)
    gets one with a password nobody is told, so that its months are closed as the committee's."""
    user = db.session.scalar(select(User).join(RoleGrant, RoleGrant.user_id == User.id).where(
        RoleGrant.role == "village_admin", RoleGrant.village_id == village.id).order_by(User.id))
    if user is None:
        user = create_user(f"admin-{village.code.lower()}", secrets.token_urlsafe(16), "village_admin",
                           display_name="村两委", village_id=village.id)
    return user
