"""Review decisions through the service: the area, the evidence, the count, corrections and freezes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.refusals import refused
from webapp.core.periods import Period
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.services.users import grant
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.models.entry import Entry, Freeze
from webapp.points.services.points import village_ranking
from webapp.review.services.decisions import ReviewRefused, review_entry, review_inspection

MARCH = Period.month(2026, 3)


@pytest.fixture
def yf(make):
    village = make.village(code="YF")
    version = make.scheme(village)
    grid = make.grid(village)
    home = make.household(village, "张三", grid=grid)
    scorer = make.user("scorer", "wangge", grid_id=grid.id)
    reviewer = make.user("reviewer", "pingyi", village_id=village.id)
    return {"village": village, "version": version, "home": home, "scorer": scorer, "reviewer": reviewer}


def points(yf) -> Decimal:
    return village_ranking(yf["village"].id, MARCH)[1][yf["home"].id]


def test_a_grid_worker_who_also_reviews_cannot_approve_their_own_entry(yf, make):
    """The same person holding both roles: refused, and the entry still waits."""
    grant(yf["scorer"], "reviewer", village_id=yf["village"].id)
    entry = make.entry(yf["home"], yf["version"], "J2", date(2026, 3, 5), status="recorded",
                       recorded_by_id=yf["scorer"].id)
    with pytest.raises(ReviewRefused, match="recorded yourself"):
        review_entry(yf["scorer"], entry.id, "approve")
    assert entry.status == "recorded"


def test_an_evidence_required_entry_is_approved_only_with_its_photo(yf, make):
    """J1 needs a photo: refused without; approved once an uploaded photo is attached."""
    entry = make.entry(yf["home"], yf["version"], "J1", date(2026, 3, 5), status="recorded")
    with pytest.raises(ReviewRefused, match="photo"):
        review_entry(yf["reviewer"], entry.id, "approve")
    photo = Photo(upload_sha256="a" * 64, stored_sha256="b" * 64, width=10, height=10, bytes=100)
    db.session.add(photo)
    db.session.flush()
    db.session.add(EntryPhoto(client_uuid=entry.client_uuid, entry_id=entry.id, upload_sha256="a" * 64,
                              photo_id=photo.id))
    assert review_entry(yf["reviewer"], entry.id, "approve").status == "approved"


def test_a_rejected_entry_counts_for_nothing_and_an_adjusted_one_counts_as_corrected(yf, make):
    """J2 ×2 rejected: 0. J2 ×2 adjusted to 1: a −1 correction entry, 0.5 counted."""
    rejected = make.entry(yf["home"], yf["version"], "J2", date(2026, 3, 5), quantity=2, status="recorded")
    review_entry(yf["reviewer"], rejected.id, "reject", "重复记录")
    assert points(yf) == 0
    adjusted = make.entry(yf["home"], yf["version"], "J2", date(2026, 3, 6), quantity=2, status="recorded")
    outcome = review_entry(yf["reviewer"], adjusted.id, "adjust", "只参加了一次", new_quantity=Decimal(1))
    correction = db.session.get(Entry, outcome.decision.correction_entry_id)
    assert (adjusted.status, correction.quantity, correction.corrects_entry_id) == ("adjusted", -1, adjusted.id)
    assert points(yf) == Decimal("0.5")


def test_a_reviewer_outside_the_area_cannot_see_the_entry(yf, make):
    """A reviewer of another village gets NotFound, never a hint that the entry exists."""
    stranger = make.user("reviewer", "waicun", village_id=make.village().id)
    entry = make.entry(yf["home"], yf["version"], "J2", date(2026, 3, 5), status="recorded")
    with refused("No such entry in your review area.", NotFound):
        review_entry(stranger, entry.id, "approve")


def test_an_adjusted_inspection_counts_its_new_revision(yf, make):
    """B1 found not met (59); adjusted to met with a reason: revision 1 counts, 65."""
    inspection = make.inspection(yf["home"], yf["version"], "2026-03", not_met=("B1",), status="recorded")
    outcome = review_inspection(yf["reviewer"], inspection.id, "adjust", "复查合格", met={"B1": True})
    assert outcome.status == "adjusted" and outcome.decision.correction_inspection_id
    assert points(yf) == Decimal(65)


def test_approving_a_freeze_item_freezes_redemption_from_its_day(yf, make):
    """K9 approved: a freeze from the day it happened, until lifted; no points change."""
    member = yf["home"].members[0]
    entry = make.entry(yf["home"], yf["version"], "K9", date(2026, 3, 9), member=member, status="recorded")
    review_entry(yf["reviewer"], entry.id, "approve")
    freeze = db.session.scalar(select(Freeze))
    assert (freeze.household_id, freeze.starts_on, freeze.ends_on, freeze.entry_id) == (
        yf["home"].id, date(2026, 3, 9), None, entry.id)
    assert freeze.reason.startswith("K9")
