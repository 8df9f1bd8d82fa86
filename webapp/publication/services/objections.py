"""Objections (异议) to published results, and the committee's answers.

A villager objects during the notice window to their own or another household's result;
the committee upholds it (with the correction it makes: a delta entry or an inspection
revision, dated in the objected period) or dismisses it with a reason. The published
snapshot never changes: the outcome is listed in the next publication. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from webapp.core.clock import utcnow
from webapp.core.messages import N_
from webapp.core.periods import Period
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.households import own_household
from webapp.people.services.villages import require_committee
from webapp.photos.services.processing import store_photo
from webapp.photos.services.storage import PhotoStore
from webapp.points.models.entry import Entry
from webapp.points.services.corrections import correction_entry, inspection_revision, latest_inspection
from webapp.publication.domain.publication import (
    NOTICE,
    OBJECTION_TRANSITIONS,
    PublicationError,
    notice_open,
    transition,
)
from webapp.publication.models import Objection, Publication

MAX_TEXT = 1000


def file_objection(user: User, publication: Publication, household_id: int, text: str, today: date,
                   photo: bytes | None = None, store: PhotoStore | None = None) -> Objection:
    """A villager's objection to one household's result in a publication under notice."""
    own = own_household(user)
    if own is None or own.village_id != publication.village_id:
        raise NotFound(N_("No such publication."))
    if publication.status != NOTICE or not notice_open(today, publication.notice_starts_on,
                                                       publication.notice_ends_on):
        raise Refusal(N_("Objections can be filed only while the public notice is open."))
    if household_id not in {row["household_id"] for row in publication.frozen["rows"]}:
        raise Refusal(N_("That household is not in this ranking."))
    text = text.strip()
    if not 5 <= len(text) <= MAX_TEXT:
        raise Refusal(N_("Say what is wrong in 5 to %(max)s characters."), max=MAX_TEXT)
    if photo and store is None:
        raise ValueError("a photo needs the store it is kept in")
    photo_row = store_photo(user.id, photo, store)[0] if photo and store else None
    objection = Objection(publication_id=publication.id, household_id=household_id, filed_by_id=user.id,
                          text=text, photo_id=photo_row.id if photo_row else None, status="open")
    db.session.add(objection)
    db.session.flush()
    record(user.id, "objection.file", "objection", objection.id, village_id=publication.village_id,
           period=publication.period, household_id=household_id, own=household_id == own.id)
    return objection


@dataclass
class Correction:
    """What an upheld objection changes: an item's quantity (a signed delta, optionally of one
    entry), or a base item's finding in the period's inspection."""

    item_code: str = ""
    quantity: Decimal | None = None
    member_id: int | None = None
    entry_id: int | None = None
    on: date | None = None
    inspection_period: str = ""
    met: dict[str, bool] | None = None


def answer_objection(actor: User, objection: Objection, action: str, answer: str,
                     correction: Correction | None = None) -> Objection:
    """Uphold (making the correction) or dismiss an objection; a reason is always required. The
    village's committee answers, never the town."""
    require_committee(actor, objection.publication.village_id)
    try:
        status = transition(OBJECTION_TRANSITIONS, objection.status, action)
    except PublicationError as error:
        raise Refusal(error.msgid, **error.params) from None
    answer = answer.strip()
    if not answer:
        raise Refusal(N_("Write the committee's answer (the reason)."))
    if action == "uphold":
        _correct(actor, objection, correction or Correction(), answer)
    objection.status, objection.answer = status, answer
    objection.answered_by_id, objection.answered_at = actor.id, utcnow()
    db.session.flush()
    record(actor.id, f"objection.{action}", "objection", objection.id, village_id=objection.publication.village_id,
           answer=answer, correction_entry_id=objection.correction_entry_id,
           correction_inspection_id=objection.correction_inspection_id)
    return objection


def _correct(actor: User, objection: Objection, correction: Correction, reason: str) -> None:
    household = db.session.get(Household, objection.household_id)
    period = Period.parse(objection.publication.period)
    if correction.met:
        key = correction.inspection_period or period.key
        inspection = latest_inspection(household.id, key)
        if inspection is None or not _within(Period.parse(key), period):
            raise Refusal(N_("This household has no inspection for %(period)s to correct."), period=key)
        objection.correction_inspection_id = inspection_revision(actor.id, inspection, correction.met, reason).id
        return
    if correction.quantity is None:
        raise Refusal(N_("An upheld objection needs its correction: the item and the change in points."))
    corrects = None
    if correction.entry_id is not None:
        corrects = db.session.get(Entry, correction.entry_id)
        if corrects is None or corrects.household_id != household.id:
            raise Refusal(N_("That entry belongs to another household."))
    on = correction.on or (period.end - period.end.resolution)
    if corrects is None and not period.contains(on):
        raise Refusal(N_("The correction must fall in %(period)s."), period=period.key)
    entry = correction_entry(actor.id, household, correction.quantity, reason, corrects=corrects,
                             item_code=correction.item_code, on=on, member_id=correction.member_id)
    objection.correction_entry_id = entry.id


def _within(inner: Period, outer: Period) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end
