"""An adjustment counts as an approval toward approvals_needed (issue 14).

With approvals_needed 2, a reviewer's adjustment is their approval of the entry as adjusted: the
entry keeps waiting, nothing of the correction counts yet, and the next reviewer sees who adjusted
it, to what and why. Their approval approves it as adjusted (the correction entry, made by the
adjuster, then counts); their rejection leaves nothing counted. Approvals given before an adjustment
were of other figures and no longer stand.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import RULES
from webapp.extensions import db
from webapp.points.domain.entry_states import counts
from webapp.points.models.entry import Entry, Inspection
from webapp.points.services.schemes import import_scheme
from webapp.review.domain import ReviewFacts, decide, standing_approvals
from webapp.review.services.decisions import review_entry, review_inspection
from webapp.review.services.queue import queue_row

MARCH = date(2026, 3, 12)
TODAY = date(2026, 4, 15)
A, B, C = 11, 12, 13


@pytest.fixture
def two(make):
    """A village whose rules need two approvals; J2 × 2 (0.5 each) waits for review."""
    village = make.village()
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    version, _ = import_scheme(village, text.replace("policies:\n", "policies:\n  approvals_needed: 2\n"),
                               effective_from=date(2020, 1, 1))
    home = make.household(village, "张三")
    people = {name: make.user("reviewer", username=name, village_id=village.id) for name in ("ra", "rb", "rc")}
    people["ra"].display_name = "评议员甲"
    entry = make.entry(home, version, "J2", MARCH, quantity=2, status="recorded")
    return {"village": village, "version": version, "home": home, "entry": entry, **people}


def march_points(two) -> Decimal:
    """J2 (0.5 a time) as counted: the entry and its corrections in a counted state (the engine sums them)."""
    counted = db.session.scalars(select(Entry).where(Entry.household_id == two["home"].id))
    return sum((e.quantity * Decimal("0.5") for e in counted if counts(e.status)), Decimal(0))


def corrections(entry: Entry) -> list[Entry]:
    return list(db.session.scalars(select(Entry).where(Entry.corrects_entry_id == entry.id)))


def test_an_adjustment_stands_as_one_approval_and_restarts_the_count():
    """The pure rule: approvals before an adjustment drop out; the adjuster's is the only one left."""
    assert standing_approvals([(A, "approve"), (B, "adjust")]) == (frozenset({B}), True)
    assert standing_approvals([(A, "adjust"), (B, "approve")]) == (frozenset({A, B}), True)
    assert standing_approvals([(A, "approve")]) == (frozenset({A}), False)
    facts = ReviewFacts(status="recorded", recorded_by_id=None, approvals_needed=2)
    assert decide(facts, A, "adjust", "只参加了一次") == "recorded"
    after = ReviewFacts(status="recorded", recorded_by_id=None, approvals_needed=2, approved_by=frozenset({A}),
                        adjustment_pending=True)
    assert decide(after, B, "approve") == "adjusted"
    assert decide(ReviewFacts(status="recorded", recorded_by_id=None), A, "adjust", "改") == "adjusted"


def test_one_reviewers_adjustment_does_not_decide_an_entry_that_needs_two(two):
    """ra adjusts J2 × 2 to 1: still waiting (1 of 2), no correction made, nothing counted yet."""
    outcome = review_entry(two["ra"], two["entry"].id, "adjust", "只参加了一次", new_quantity=Decimal(1))

    assert (outcome.status, outcome.waiting_for) == ("recorded", 1)
    assert two["entry"].status == "recorded" and corrections(two["entry"]) == []
    assert march_points(two) == 0


def test_the_second_reviewer_sees_the_adjustment_and_approving_it_counts_the_corrected_figure(two):
    """rb's row: who adjusted, to what, why, 1 of 2; rb approves: adjusted, ra's −1 correction, 0.5 counted."""
    review_entry(two["ra"], two["entry"].id, "adjust", "只参加了一次", new_quantity=Decimal(1))
    theirs = queue_row(two["rb"], "entry", two["entry"].id, TODAY)
    mine = queue_row(two["ra"], "entry", two["entry"].id, TODAY)

    assert (theirs.adjusted_by, theirs.proposed_quantity, theirs.reason) == ("评议员甲", 1, "只参加了一次")
    assert (theirs.approvals, theirs.approvals_needed, theirs.may_approve) == (1, 2, True)
    assert mine.approved_by_me and not mine.may_approve

    outcome = review_entry(two["rb"], two["entry"].id, "approve")

    [correction] = corrections(two["entry"])
    assert outcome.status == "adjusted" and two["entry"].status == "adjusted"
    assert (correction.quantity, correction.recorded_by_id, correction.status) == (-1, two["ra"].id, "approved")
    assert march_points(two) == Decimal("0.5")
    assert queue_row(two["rb"], "entry", two["entry"].id, TODAY).corrected_quantity == 1


def test_a_rejection_after_an_adjustment_counts_nothing(two):
    review_entry(two["ra"], two["entry"].id, "adjust", "只参加了一次", new_quantity=Decimal(1))
    assert review_entry(two["rb"], two["entry"].id, "reject", "没有参加").status == "rejected"
    assert corrections(two["entry"]) == [] and march_points(two) == 0


def test_an_approval_given_before_an_adjustment_no_longer_stands(two):
    """ra approves, rb adjusts: 1 of 2 (rb's); ra may approve the adjusted figure, and that decides it."""
    review_entry(two["ra"], two["entry"].id, "approve")
    outcome = review_entry(two["rb"], two["entry"].id, "adjust", "只参加了一次", new_quantity=Decimal(1))
    assert (outcome.status, outcome.waiting_for) == ("recorded", 1)
    assert queue_row(two["ra"], "entry", two["entry"].id, TODAY).may_approve

    assert review_entry(two["ra"], two["entry"].id, "approve").status == "adjusted"
    assert [c.quantity for c in corrections(two["entry"])] == [-1]


def test_an_inspection_adjustment_needs_a_second_approval_too(two, make):
    """ra marks B1 not met: waiting, no revision; rc approves: the revision (B1 not met) counts."""
    inspection = make.inspection(two["home"], two["version"], "2026-03", status="recorded")
    review_inspection(two["ra"], inspection.id, "adjust", "院子有垃圾", met={"B1": False})
    revisions = select(Inspection).where(Inspection.corrects_inspection_id == inspection.id)
    assert inspection.status == "recorded" and db.session.scalars(revisions).all() == []
    row = queue_row(two["rc"], "inspection", inspection.id, TODAY)
    assert [(c.code, c.met) for c in row.proposed_changes] == [("B1", False)]

    assert review_inspection(two["rc"], inspection.id, "approve").status == "adjusted"
    [revision] = db.session.scalars(revisions).all()
    assert {i.item.code: i.met for i in revision.items}["B1"] is False
