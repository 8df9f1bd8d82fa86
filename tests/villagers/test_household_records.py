"""A household's records of a period, line by line: state, reason, lateness, corrections, evidence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.worlds.photos import attach, publication, stored_photo
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.review.models import ReviewDecision
from webapp.villagers.services.household_records import household_records

MARCH = Period.month(2026, 3)


@pytest.fixture
def world(make):
    v = make.village(code="YF")
    version = make.scheme(v)
    zhang = make.household(v, "张三丰", code="YF0001", members=("张小明",))
    li = make.household(v, "李四", code="YF0002")
    reviewer = make.user("reviewer", village_id=v.id)
    return {"village": v, "version": version, "zhang": zhang, "li": li, "reviewer": reviewer,
            "son": next(m for m in zhang.members if m.name == "张小明")}


def test_every_entry_of_the_period_is_listed_in_date_order_with_its_state(world, make):
    """Entries of March only, oldest first, with item, member, quantity and review state."""
    z, v = world["zhang"], world["version"]
    make.entry(z, v, "J2", date(2026, 3, 20), quantity=2, status="recorded")
    make.entry(z, v, "K5", date(2026, 3, 4), member=world["son"], status="approved")
    make.entry(z, v, "J4", date(2026, 4, 1))                 # April: not in March
    make.entry(world["li"], v, "J2", date(2026, 3, 5))       # another household
    lines = household_records(z, MARCH).entries
    assert [(ln.occurred_on.day, ln.item_code, ln.status) for ln in lines] == [(4, "K5", "approved"),
                                                                               (20, "J2", "recorded")]
    assert lines[0].member_name == "张小明" and lines[0].points == Decimal(-1)
    assert lines[1].quantity == 2 and lines[1].points == Decimal(1) and lines[1].member_name is None


def test_a_rejected_entry_shows_the_reviewers_reason(world, make):
    """The reason comes from the review decision."""
    entry = make.entry(world["zhang"], world["version"], "J2", date(2026, 3, 9), status="rejected")
    db.session.add(ReviewDecision(entry_id=entry.id, reviewer_id=world["reviewer"].id, decision="reject",
                                  reason="当天没有志愿活动"))
    db.session.flush()
    (line,) = household_records(world["zhang"], MARCH).entries
    assert line.status == "rejected" and line.reason == "当天没有志愿活动"


def test_a_late_entry_in_a_closed_month_waits_for_the_next_publication(world, make):
    """March is closed; an entry that no publication shows yet is pending, one already shown is not."""
    pub = publication(world["village"], "closed")
    shown = make.entry(world["zhang"], world["version"], "J2", date(2026, 3, 2), publication_id=pub.id)
    late = make.entry(world["zhang"], world["version"], "J4", date(2026, 3, 30), status="recorded", flags=["late"])
    lines = {ln.id: ln for ln in household_records(world["zhang"], MARCH).entries}
    assert lines[late.id].pending_publication and not lines[shown.id].pending_publication
    april = make.entry(world["zhang"], world["version"], "J4", date(2026, 4, 2))
    assert not household_records(world["zhang"], Period.month(2026, 4)).entries[0].pending_publication
    assert april.publication_id is None


def test_a_correction_shows_what_it_corrects_and_why(world, make):
    """A correction entry names the day of the corrected entry and carries its reason."""
    wrong = make.entry(world["zhang"], world["version"], "J2", date(2026, 3, 6), quantity=3)
    fix = make.entry(world["zhang"], world["version"], "J2", date(2026, 3, 6), quantity=-1, corrects_entry_id=wrong.id,
                     flags=["correction"], note="重复记录了一次")
    lines = {ln.id: ln for ln in household_records(world["zhang"], MARCH).entries}
    assert lines[fix.id].correction and lines[fix.id].corrects == date(2026, 3, 6)
    assert lines[fix.id].note == "重复记录了一次" and lines[fix.id].quantity == -1
    assert not lines[wrong.id].correction


def test_evidence_photos_are_listed_with_their_entry(world, make):
    """Each stored photo of an entry, once; a photo still waiting for its upload is not listed."""
    entry = make.entry(world["zhang"], world["version"], "J1", date(2026, 3, 12))
    a, b = stored_photo(), stored_photo()
    attach(a, entry=entry)
    attach(b, entry=entry)
    (line,) = household_records(world["zhang"], MARCH).entries
    assert line.photo_ids == (a.id, b.id)


def test_inspections_show_the_standards_not_met_and_their_photos(world, make):
    """One line per inspection revision of the month, the standards not met with the photo taken for them."""
    inspection = make.inspection(world["zhang"], world["version"], "2026-03", not_met=("B3", "C1"))
    photo = stored_photo()
    attach(photo, inspection=inspection, item_code="B3")
    make.inspection(world["zhang"], world["version"], "2026-02")
    (line,) = household_records(world["zhang"], MARCH).inspections
    assert line.period == "2026-03" and line.status == "approved" and line.revision == 0
    assert [code for code, _ in line.not_met] == ["B3", "C1"]
    assert line.item_photo_ids == {"B3": (photo.id,)}
    assert len(household_records(world["zhang"], Period.quarter(2026, 1)).inspections) == 2
