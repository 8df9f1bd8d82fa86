"""Batch approval through the service (issue 14): each entry decided on its own by the one-by-one
rules, what could not be approved listed with its reason.

A page with an entry someone else recorded, one the reviewer recorded, J1 whose photo the phone
listed but never uploaded, and a flagged one the batch leaves alone; a village needing two
approvals; inspections with and without a shortfall, a flag, or B1's required photo.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tests.factories import RULES
from webapp.extensions import db
from tests.worlds.photos import attach, stored_photo
from webapp.photos.models import EntryPhoto
from webapp.points.services.schemes import import_scheme
from webapp.review.services.batch import MET_INSPECTIONS, PAGE_ENTRIES, approve_batch, candidates
from webapp.review.services.queue import QueueFilters

MARCH = date(2026, 3, 12)
TODAY = date(2026, 4, 15)


@pytest.fixture
def yf(make):
    village = make.village()
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    text = text.replace("{code: B1, points: 6, default: met,", "{code: B1, points: 6, default: met, evidence: required,")
    version, _ = import_scheme(village, text, effective_from=date(2020, 1, 1))
    home = make.household(village, "张三")
    reviewer = make.user("reviewer", username="r1", village_id=village.id)
    return {"village": village, "version": version, "home": home, "reviewer": reviewer}


def entry(make, yf, code: str, minute: int, **fields):
    found = make.entry(yf["home"], yf["version"], code, MARCH, status="recorded",
                       received_at=datetime(2026, 4, 1, 8, minute), **fields)
    return found


def test_a_page_approves_exactly_the_allowed_entries_and_lists_the_others_with_reasons(yf, make):
    """J2 by someone else: approved. J2 by r1: 'recorded yourself'. J1, photo listed not uploaded:
    'needs a photo'. A flagged J2: not in the batch at all, still recorded."""
    plain = entry(make, yf, "J2", 1)
    own = entry(make, yf, "J2", 2, recorded_by_id=yf["reviewer"].id)
    no_photo = entry(make, yf, "J1", 3)
    db.session.add(EntryPhoto(client_uuid=no_photo.client_uuid, entry_id=no_photo.id, upload_sha256="c" * 64))
    flagged = entry(make, yf, "J2", 4, flags=["late"])
    filters = QueueFilters()

    keys = candidates(yf["reviewer"], PAGE_ENTRIES, filters)
    assert set(keys) == {("entry", plain.id), ("entry", own.id), ("entry", no_photo.id)}
    result = approve_batch(yf["reviewer"], keys, TODAY)

    assert [i.id for i in result.approved] == [plain.id] and result.waiting == []
    reasons = {r.item.id: r.msgid for r in result.refused}
    assert reasons == {own.id: "You cannot review an entry you recorded yourself.",
                       no_photo.id: "This item needs a photo as evidence before it can be approved (%(items)s)."}
    assert (plain.status, own.status, no_photo.status, flagged.status) == ("approved", "recorded", "recorded",
                                                                           "recorded")


def test_an_entry_needing_two_approvals_gets_this_reviewers_and_waits(make):
    village = make.village()
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    version, _ = import_scheme(village, text.replace("policies:\n", "policies:\n  approvals_needed: 2\n"),
                               effective_from=date(2020, 1, 1))
    home = make.household(village, "李四")
    reviewer = make.user("reviewer", village_id=village.id)
    waiting = make.entry(home, version, "J2", MARCH, status="recorded")

    result = approve_batch(reviewer, candidates(reviewer, PAGE_ENTRIES, QueueFilters()), TODAY)

    assert [i.id for i in result.waiting] == [waiting.id] and result.approved == [] == result.refused
    assert waiting.status == "recorded"
    again = approve_batch(reviewer, [("entry", waiting.id)], TODAY)
    assert [r.msgid for r in again.refused] == [
        "You have already approved this entry; another reviewer must approve it too."]


def test_the_page_batch_takes_only_the_page_it_was_asked_for(yf, make):
    """25 entries: page 2 holds the 5 oldest, and only those are taken."""
    made = [entry(make, yf, "J2", minute) for minute in range(25)]
    keys = candidates(yf["reviewer"], PAGE_ENTRIES, QueueFilters(page=2))
    assert {i for _, i in keys} == {e.id for e in made[:5]}


def test_met_inspections_are_those_without_a_shortfall_or_flag_and_evidence_still_applies(yf, make):
    """All met with B1's photo: approved; all met without it: listed 'needs a photo'; B2 not met or a
    flag: not in the batch, still recorded."""
    def household(name: str):
        return make.household(yf["village"], name)

    with_photo = make.inspection(household("王五"), yf["version"], "2026-03", status="recorded")
    attach(stored_photo(), inspection=with_photo, item_code="B1")
    needs_photo = make.inspection(yf["home"], yf["version"], "2026-03", status="recorded")
    short = make.inspection(household("赵六"), yf["version"], "2026-03", status="recorded", not_met=("B2",))
    flagged = make.inspection(household("钱七"), yf["version"], "2026-03", status="recorded")
    flagged.flags = ["late"]
    db.session.flush()

    keys = candidates(yf["reviewer"], MET_INSPECTIONS, QueueFilters())
    assert {i for _, i in keys} == {with_photo.id, needs_photo.id}
    result = approve_batch(yf["reviewer"], keys, TODAY)

    assert [i.id for i in result.approved] == [with_photo.id]
    assert [(r.item.id, r.params) for r in result.refused] == [(needs_photo.id, {"items": "B1"})]
    assert (with_photo.status, needs_photo.status, short.status, flagged.status) == (
        "approved", "recorded", "recorded", "recorded")
