"""Courtyard star ratings: recording, review, corrections and the village's star shares."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from flask import current_app

from tests.worlds.courtyards import approved_rating, courtyard_world
from tests.worlds.photos import small_jpeg, stored_photo
from webapp.core.refusal import NotFound, Refusal
from webapp.courtyards.domain import RatingFact, check_rating, latest_approved, shares
from webapp.courtyards.models import CourtyardRating
from webapp.courtyards.services.ratings import record_rating, review_rating
from webapp.courtyards.services.rounds import close_round, open_round
from webapp.courtyards.services.shares import household_stars, star_shares
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.photos.services.storage import photo_store


@pytest.fixture
def world(make):
    return courtyard_world(make)


def _round(world, year=2026):
    return open_round(world.admin, world.village.id, year, f"{year}年美丽庭院")


def _store():
    return photo_store(current_app.config)


# The rules, without a database.

def test_stars_are_zero_one_three_or_five():
    for stars in (0, 1, 3, 5):
        check_rating(stars, has_photo=True)
    for stars in (2, 4, 6, -1):
        with pytest.raises(Refusal):
            check_rating(stars, has_photo=True)


def test_one_three_and_five_stars_need_a_photo_and_zero_does_not():
    check_rating(0, has_photo=False)
    for stars in (1, 3, 5):
        with pytest.raises(Refusal, match="photo"):
            check_rating(stars, has_photo=False)


def test_the_latest_approved_rating_counts_and_others_do_not():
    facts = [RatingFact(1, 5, "approved", datetime(2026, 3, 1), 1),
             RatingFact(1, 3, "approved", datetime(2026, 5, 1), 2),
             RatingFact(1, 1, "recorded", datetime(2026, 6, 1), 3),
             RatingFact(2, 5, "rejected", datetime(2026, 6, 1), 4)]
    assert latest_approved(facts) == {1: 3}


def test_shares_are_of_the_participating_households_with_four_places():
    assert shares({1: 5, 2: 3, 3: 3, 9: 5}, [1, 2, 3]) == {
        1: Decimal(0), 3: Decimal("0.6667"), 5: Decimal("0.3333")}
    assert shares({}, []) == {1: Decimal(0), 3: Decimal(0), 5: Decimal(0)}


# Recording and review.

def test_a_grid_worker_records_a_rating_with_a_photo_waiting_for_review(world):
    round_ = _round(world)
    rating = record_rating(world.scorer, round_, world.households[0], 3, photo=small_jpeg(), store=_store())
    assert rating.status == "recorded" and rating.photo_id is not None and rating.rated_by_id == world.scorer.id
    assert db.session.query(AuditEvent).filter_by(action="courtyard_rating.record", object_id=rating.id).count() == 1
    assert household_stars(world.households[0].id).stars is None  # not approved yet
    assert household_stars(world.households[0].id).waiting == 1


def test_three_stars_without_a_photo_are_refused(world):
    round_ = _round(world)
    with pytest.raises(Refusal, match="photo"):
        record_rating(world.scorer, round_, world.households[0], 3)
    assert record_rating(world.scorer, round_, world.households[0], 0).stars == 0


def test_a_grid_worker_cannot_rate_another_grids_household(world):
    round_ = _round(world)
    with pytest.raises(NotFound):
        record_rating(world.scorer, round_, world.households[2], 0)


def test_a_closed_round_takes_no_more_ratings(world):
    round_ = _round(world)
    close_round(world.admin, round_)
    with pytest.raises(Refusal, match="closed"):
        record_rating(world.admin, round_, world.households[0], 0)


def test_only_the_village_admin_opens_a_round(world):
    for user in (world.town_admin, world.cadre, world.reviewer, world.scorer, world.other_admin):
        with pytest.raises(Refusal):
            open_round(user, world.village.id, 2026, "x")


def test_a_reviewer_approves_and_the_household_shows_its_stars(world):
    round_ = _round(world)
    photo = stored_photo()
    rating = record_rating(world.scorer, round_, world.households[0], 5, photo_id=photo.id)
    review_rating(world.reviewer, rating.id, "approve")
    assert rating.status == "approved" and rating.reviewed_by_id == world.reviewer.id
    stars = household_stars(world.households[0].id)
    assert (stars.stars, stars.year, stars.photo_id, stars.waiting) == (5, 2026, photo.id, 0)


def test_a_rejection_needs_a_reason_and_keeps_it(world):
    round_ = _round(world)
    rating = record_rating(world.scorer, round_, world.households[0], 0)
    with pytest.raises(Refusal, match="reason"):
        review_rating(world.reviewer, rating.id, "reject", "  ")
    review_rating(world.reviewer, rating.id, "reject", "照片不是本户")
    assert (rating.status, rating.reason) == ("rejected", "照片不是本户")
    with pytest.raises(Refusal, match="already been reviewed"):
        review_rating(world.admin, rating.id, "approve")


def test_nobody_reviews_their_own_rating(world):
    round_ = _round(world)
    rating = record_rating(world.admin, round_, world.households[0], 0)
    with pytest.raises(Refusal, match="yourself"):
        review_rating(world.admin, rating.id, "approve")
    assert rating.status == "recorded"
    review_rating(world.reviewer, rating.id, "approve")
    assert rating.status == "approved"


def test_a_grid_worker_or_the_town_cannot_review(world):
    round_ = _round(world)
    rating = record_rating(world.admin, round_, world.households[0], 0)
    for user in (world.scorer, world.town_admin, world.cadre, world.other_admin):
        with pytest.raises(NotFound):
            review_rating(user, rating.id, "approve")


def test_a_correction_is_a_new_rating_and_the_latest_approved_counts(world):
    round_ = _round(world)
    household = world.households[0]
    first = record_rating(world.scorer, round_, household, 5, photo_id=stored_photo().id)
    review_rating(world.reviewer, first.id, "approve")
    correction = record_rating(world.scorer, round_, household, 3, photo_id=stored_photo().id)
    assert correction.id != first.id and first.stars == 5 and first.status == "approved"
    assert household_stars(household.id).stars == 5  # the correction is not approved yet
    review_rating(world.reviewer, correction.id, "approve")
    assert household_stars(household.id).stars == 3
    assert db.session.query(CourtyardRating).filter_by(household_id=household.id).count() == 2


# The shares the village evaluation reads.

def test_star_shares_count_each_participating_households_latest_approved_rating_of_the_year(world, make):
    round_ = _round(world)
    h1, h2, h3 = world.households
    h4 = make.household(world.village, "孙七", code="YF004")
    left = make.household(world.village, "周八", code="YF005", left_on=date(2025, 6, 1))  # not taking part in 2026
    approved_rating(round_, h1, 5, datetime(2026, 3, 1))
    approved_rating(round_, h1, 3, datetime(2026, 4, 1))  # a correction: h1 counts as 3★
    approved_rating(round_, h2, 3, datetime(2026, 3, 1))
    approved_rating(round_, h3, 1, datetime(2026, 3, 1))
    db.session.add(CourtyardRating(round_id=round_.id, household_id=h4.id, stars=5, rated_at=datetime(2026, 3, 1),
                                   status="recorded"))  # waiting: does not count
    approved_rating(round_, left, 5, datetime(2026, 3, 1))
    earlier = _round(world, 2025)
    approved_rating(earlier, h4, 5, datetime(2025, 3, 1))  # another year
    other_round = open_round(world.other_admin, world.other_village.id, 2026, "王家村")
    approved_rating(other_round, world.stranger, 5, datetime(2026, 3, 1))
    # 4 participating households in 2026: h1 3★, h2 3★, h3 1★, h4 none.
    assert star_shares(world.village.id, 2026) == {1: Decimal("0.25"), 3: Decimal("0.5"), 5: Decimal(0)}
    assert star_shares(world.village.id, 2025)[5] == Decimal("0.2")  # 5 households took part in 2025
    assert star_shares(world.other_village.id, 2026) == {1: Decimal(0), 3: Decimal(0), 5: Decimal(1)}


def test_star_shares_of_a_village_without_households_are_zero(world, make):
    empty = make.village(world.village.town, code="KB", name="空村")
    assert star_shares(empty.id, 2026) == {1: Decimal(0), 3: Decimal(0), 5: Decimal(0)}
