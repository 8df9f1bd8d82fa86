"""Closing a period, publishing its results, and making them final (DOMAIN.md §7).

close_period freezes the ranking and claims the entries it counted (and the late entries
and corrections of earlier, already closed periods that arrived since); publish fixes the
public snapshot and its hash and opens the notice; finalise ends it. Never commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, update

from webapp.core.clock import utcnow
from webapp.core.collector import quiet_collector
from webapp.core.messages import N_
from webapp.core.periods import Period, keys_ending_in
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.people.models.user import User
from webapp.people.services.audit import record
from webapp.people.services.villages import committee_villages, require_committee
from webapp.points.domain.entry_states import FINAL, PUBLISHED
from webapp.points.domain.scheme import SchemeRules
from webapp.points.domain.statement import format_points
from webapp.points.models.entry import Entry, Inspection
from webapp.points.services.figures import store_figures
from webapp.points.services.period_results import period_results
from webapp.points.services.schemes import SchemeTimeline, timeline
from webapp.publication.domain.deadlines import rules_cover
from webapp.publication.domain.publication import (
    DEFAULT_NOTICE_DAYS,
    OPEN,
    PUBLICATION_TRANSITIONS,
    PublicationError,
    canonical_json,
    check_can_close,
    check_can_finalise,
    notice_window,
    publication_kinds,
    snapshot_hash,
    transition,
)
from webapp.publication.models import Objection, Publication
from webapp.publication.services.awards import year_awards
from webapp.publication.services.claims import claim_items, expire_loaded, list_answered_objections
from webapp.publication.services.picks import propose_picks
from webapp.publication.services.snapshot import build_snapshot


def _timeline(village_id: int) -> SchemeTimeline:
    line = timeline(village_id)
    if not line:
        raise Refusal(N_("This village has no rules yet; import them first."))
    return line


def _rules(village_id: int, period: Period) -> SchemeRules:
    return _timeline(village_id).rules_for_month(period.year, period.last_month)


def _refuse(error: PublicationError) -> Refusal:
    return Refusal(error.msgid, **error.params)


def closed_publication(village_id: int, period: Period) -> Publication | None:
    """The village's publication of the period, if it is closed."""
    return db.session.scalar(select(Publication).where(
        Publication.village_id == village_id, Publication.period == period.key))


def check_close(village: Village, period: Period, today: date) -> SchemeRules:
    """Refuse, before any work, a close that cannot be done: no rules, the period not over or not
    published by this scheme, ended before the rules took effect, or already closed. Returns the rules
    the close uses."""
    line = _timeline(village.id)
    if not rules_cover(period, line.starts[0]):
        raise Refusal(N_("%(period)s ended before this village's rules took effect (%(day)s): there is nothing "
                         "to close."), period=period.key, day=line.starts[0].isoformat())
    rules = line.rules_for_month(period.year, period.last_month)
    try:
        check_can_close(period, today, publication_kinds(rules))
    except PublicationError as error:
        raise _refuse(error) from None
    if closed_publication(village.id, period) is not None:
        raise Refusal(N_("%(period)s is already closed."), period=period.key)
    return rules


def period_is_empty(village_id: int, period: Period) -> bool:
    """Whether nothing was recorded for the period: no entry and no inspection (rejected ones aside).
    Closing it would freeze a ranking where every household has 0, so the committee is asked first."""
    months = range(period.year * 100 + period.first_month, period.year * 100 + period.last_month + 1)
    entry = db.session.scalar(select(Entry.id).where(
        Entry.village_id == village_id, Entry.occurred_month.in_(list(months)), Entry.status != "rejected").limit(1))
    if entry is not None:
        return False
    inspection = db.session.scalar(select(Inspection.id).where(
        Inspection.village_id == village_id, Inspection.period.in_(keys_ending_in(period.months())),
        Inspection.status != "rejected").limit(1))
    return inspection is None


def every_total_is_zero(publication: Publication) -> bool:
    """Whether the frozen ranking gives every household 0 points (publishing it is asked about first)."""
    return all(Decimal(row["points"]) == 0 for row in publication.frozen["rows"])


def close_period(actor: User, village: Village, period: Period, today: date,
                 progress: Callable[[int, int], None] | None = None) -> Publication:
    """Freeze the period's totals and ranking; entries arriving for it afterwards are late.
    `progress(done, total)` hears of each household counted (a close run as a job reports it).
    The village's committee closes it, never the town (which reads it)."""
    require_committee(actor, village.id)
    rules = check_close(village, period, today)
    basis = rules.policies.annual_rank_basis if period.kind == "year" else "sum"
    with quiet_collector():  # h3: no collector pass over the village's tallies (webapp/core/collector.py)
        rows = period_results(village.id, period, basis, progress)
    publication = Publication(village_id=village.id, period=period.key, kind=period.kind, status="closed",
                              closed_by_id=actor.id, frozen={})
    db.session.add(publication)
    db.session.flush()
    carried = claim_items(village.id, period, publication.id)
    objections = list_answered_objections(village.id, publication.id)
    frozen: dict[str, Any] = {
        "basis": basis,
        "rows": [{"household_id": r.household_id, "rank": r.rank, "points": format_points(r.points),
                  "cumulative": format_points(r.cumulative), "name": r.name, "group": r.group,
                  "resident": r.resident} for r in rows],
        "carried": carried,
        "objections": objections,
        "awards": year_awards(rules, rows) if period.kind == "year" else None,
    }
    publication.frozen = frozen
    # Published results never change: readers take the closed period's figures from here on.
    store_figures(publication.id, village.id, period, rows)
    propose_picks(publication, rows, rules)
    record(actor.id, "period.close", "publication", publication.id, village_id=village.id, period=period.key,
           households=len(rows), carried=len(carried), objections=len(objections))
    db.session.flush()
    return publication


def publish(actor: User, publication: Publication, today: date, notice_days: int | None = None) -> Publication:
    """Fix the public snapshot and its hash, and open the public notice (公示) from today (the committee's)."""
    require_committee(actor, publication.village_id)
    try:
        status = transition(PUBLICATION_TRANSITIONS, publication.status, "publish")
    except PublicationError as error:
        raise _refuse(error) from None
    period = Period.parse(publication.period)
    rules = _rules(publication.village_id, period)
    days = notice_days or rules.policies.notice_days or DEFAULT_NOTICE_DAYS
    if not 1 <= days <= 60:
        raise Refusal(N_("A public notice lasts from 1 to 60 days."))
    starts_on, ends_on = notice_window(today, days)
    snapshot = build_snapshot(publication, rules, today, starts_on, ends_on)  # checks the committee's choices
    text = canonical_json(snapshot)
    publication.snapshot, publication.sha256 = text, snapshot_hash(text)
    publication.status, publication.published_at, publication.published_by_id = status, utcnow(), actor.id
    publication.notice_starts_on, publication.notice_ends_on = starts_on, ends_on
    db.session.flush()
    record(actor.id, "publication.publish", "publication", publication.id, village_id=publication.village_id,
           period=publication.period, sha256=publication.sha256, notice_from=starts_on.isoformat(),
           notice_to=ends_on.isoformat())
    return publication


def open_objections(publication: Publication) -> int:
    return db.session.scalar(select(func.count(Objection.id)).where(
        Objection.publication_id == publication.id, Objection.status == OPEN)) or 0


def finalise(actor: User | None, publication: Publication, today: date) -> Publication:
    """After the notice, with every objection answered, the results are final (the committee's, or the
    system's daily job with no actor)."""
    if actor is not None:
        require_committee(actor, publication.village_id)
    try:
        check_can_finalise(today, publication.notice_ends_on, open_objections(publication))
        status = transition(PUBLICATION_TRANSITIONS, publication.status, "finalise")
    except PublicationError as error:
        raise _refuse(error) from None
    publication.status, publication.finalised_at = status, utcnow()
    publication.finalised_by_id = actor.id if actor else None
    for model in (Entry, Inspection):
        db.session.execute(update(model).where(model.publication_id == publication.id, model.status == PUBLISHED)
                           .values(status=FINAL))
        expire_loaded(model)
    db.session.flush()
    record(actor.id if actor else None, "publication.finalise", "publication", publication.id,
           village_id=publication.village_id, period=publication.period)
    return publication


def finalise_due(today: date, actor: User | None = None) -> list[Publication]:
    """Make final every notice that has ended with no objection left open.

    A committee (actor) finalises only in the villages it decides for (never the town), and the audit trail names them; with
    no actor it is the system's daily job (`jifen publications finalise-due`) over every village."""
    query = select(Publication).where(Publication.status == "notice", Publication.notice_ends_on < today)
    if actor is not None:
        query = query.where(Publication.village_id.in_([v.id for v in committee_villages(actor)]))
    done = []
    for publication in db.session.scalars(query.order_by(Publication.id)):
        if open_objections(publication) == 0:
            done.append(finalise(actor, publication, today))
    return done
