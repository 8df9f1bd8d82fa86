"""The review group's meeting (评议小组会议; seed 002: "经全体评议小组成员会议研究核实后").

A reviewer or village admin of a village records a meeting: its day, the members present (people
who may sit in a review group of the village: its reviewers and village admins) and a note. A batch
approval can be recorded as decided in a meeting (ReviewDecision.meeting_id), and the meeting's
page lists those decisions. Never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.models.household import Household
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.points.models.entry import Entry, Inspection
from webapp.points.models.scheme import Item
from webapp.review.models import ReviewDecision, ReviewMeeting, ReviewMeetingMember
from webapp.review.services.group_checks import member_candidates
from webapp.review.services.scope import reviewing_village_ids

NOTE_MAX = 1000
RECENT_DAYS = 31  # a batch may be recorded in a meeting held in the last month


@dataclass(frozen=True)
class MeetingDecision:
    """A decision taken in the meeting, as its page lists it."""

    kind: str  # "entry" or "inspection"
    head_name: str
    household_code: str
    what: str  # the item, or the inspection's period key
    decision: str
    reviewer: str
    reason: str


def _name(user: User) -> str:
    return user.display_name or user.username


def record_meeting(user: User, village_id: int, held_on: date, member_ids: list[int], note: str,
                   today: date) -> ReviewMeeting:
    """A meeting of the village's review group(s); refused for a village the user does not review."""
    if village_id not in reviewing_village_ids(user):
        raise NotFound(N_("No such village."))
    if held_on > today:
        raise Refusal(N_("A meeting is recorded once it has taken place: choose a day up to today."))
    allowed = {u.id for u in member_candidates(village_id)}
    wanted = set(member_ids)
    if not wanted:
        raise Refusal(N_("Tick the members present."))
    if wanted - allowed:
        raise Refusal(N_("Only reviewers and village admins of this village can be members of a review group."))
    meeting = ReviewMeeting(village_id=village_id, held_on=held_on, note=note.strip()[:NOTE_MAX],
                            created_by_id=user.id)
    meeting.members.extend(ReviewMeetingMember(user_id=uid) for uid in sorted(wanted))
    db.session.add(meeting)
    db.session.flush()
    record(user.id, "review_meeting.create", "review_meeting", meeting.id, village_id=village_id,
           held_on=held_on.isoformat(), members=len(wanted))
    return meeting


def meetings_of(user: User, village_ids: list[int] | None = None) -> list[ReviewMeeting]:
    """The meetings of the villages the user reviews, latest first."""
    villages = [v for v in reviewing_village_ids(user) if village_ids is None or v in village_ids]
    return list(db.session.scalars(select(ReviewMeeting).where(ReviewMeeting.village_id.in_(villages))
                                   .order_by(ReviewMeeting.held_on.desc(), ReviewMeeting.id.desc())))


def recent_meetings(user: User, today: date) -> list[ReviewMeeting]:
    """Meetings a batch may be recorded in: of the user's villages, held in the last month."""
    return [m for m in meetings_of(user) if m.held_on >= today - timedelta(days=RECENT_DAYS)]


def meeting_of(user: User, meeting_id: int) -> ReviewMeeting:
    meeting = db.session.get(ReviewMeeting, meeting_id)
    if meeting is None or meeting.village_id not in reviewing_village_ids(user):
        raise NotFound(N_("No such meeting."))
    return meeting


def meeting_for_decisions(user: User, meeting_id: int, today: date) -> ReviewMeeting:
    """A meeting the user may record decisions in: one of their villages', held in the last month."""
    meeting = meeting_of(user, meeting_id)
    if meeting.held_on < today - timedelta(days=RECENT_DAYS):
        raise Refusal(N_("That meeting was more than a month ago: record a new meeting."))
    return meeting


def meeting_decisions(meeting: ReviewMeeting) -> list[MeetingDecision]:
    """The decisions recorded as taken in the meeting, entries then inspections, by household."""
    found = []
    for decision, head, code, item_code, item_name, reviewer in db.session.execute(
            select(ReviewDecision, Household.head_name, Household.code, Item.code, Item.name, User)
            .join(Entry, Entry.id == ReviewDecision.entry_id).join(Household, Household.id == Entry.household_id)
            .join(Item, Item.id == Entry.item_id).join(User, User.id == ReviewDecision.reviewer_id)
            .where(ReviewDecision.meeting_id == meeting.id).order_by(Household.code, ReviewDecision.id)):
        found.append(MeetingDecision("entry", head, code, f"{item_code} {item_name}", decision.decision, _name(reviewer),
                                     decision.reason))
    for decision, head, code, period, reviewer in db.session.execute(
            select(ReviewDecision, Household.head_name, Household.code, Inspection.period, User)
            .join(Inspection, Inspection.id == ReviewDecision.inspection_id)
            .join(Household, Household.id == Inspection.household_id)
            .join(User, User.id == ReviewDecision.reviewer_id)
            .where(ReviewDecision.meeting_id == meeting.id).order_by(Household.code, ReviewDecision.id)):
        found.append(MeetingDecision("inspection", head, code, period, decision.decision, _name(reviewer), decision.reason))
    return found


__all__ = ["MeetingDecision", "meeting_decisions", "meeting_for_decisions", "meeting_of", "meetings_of",
           "recent_meetings", "record_meeting"]
