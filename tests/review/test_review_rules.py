"""The review rules as a table: who may decide what on an entry, and what it becomes."""

from __future__ import annotations

import pytest

from tests.refusals import refused
from webapp.points.domain.entry_states import counts
from webapp.review.domain import ReviewError, ReviewFacts, approvals_missing, decide

SCORER, REVIEWER, OTHER = 1, 2, 3


def facts(**changes) -> ReviewFacts:
    return ReviewFacts(**({"status": "recorded", "recorded_by_id": SCORER} | changes))


@pytest.mark.parametrize(("status", "action", "reason", "after"), [
    ("recorded", "approve", "", "approved"),
    ("recorded", "reject", "照片看不清", "rejected"),
    ("recorded", "adjust", "只参加了一次", "adjusted"),
    ("approved", "approve", "", None),
    ("rejected", "approve", "", None),
    ("published", "reject", "迟了", None),
    ("final", "adjust", "迟了", None),
])
def test_decisions_follow_the_state_table(status, action, reason, after):
    """Only a recorded entry can be decided; every other state refuses."""
    if after is None:
        with refused("This entry has already been reviewed (%(status)s).", ReviewError) as caught:
            decide(facts(status=status), REVIEWER, action, reason)
        assert caught.value.params == {"status": status}
    else:
        assert decide(facts(status=status), REVIEWER, action, reason) == after


def test_reviewer_cannot_approve_own_entry():
    """A reviewer never decides on an entry they recorded, whatever the decision."""
    for action in ("approve", "reject", "adjust"):
        with pytest.raises(ReviewError, match="recorded yourself"):
            decide(facts(), SCORER, action, "reason")


def test_rejecting_or_adjusting_needs_a_reason():
    """A rejection or an adjustment without a reason is refused."""
    for action in ("reject", "adjust"):
        with pytest.raises(ReviewError, match="reason"):
            decide(facts(), REVIEWER, action, "   ")


def test_evidence_required_entry_without_a_photo_cannot_be_approved():
    """J1 needs a photo: no photo, no approval (nor adjustment); a rejection is still possible."""
    missing = facts(evidence_required=frozenset({"J1"}))
    with pytest.raises(ReviewError, match="photo"):
        decide(missing, REVIEWER, "approve")
    with pytest.raises(ReviewError, match="photo"):
        decide(missing, REVIEWER, "adjust", "数量不对")
    assert decide(missing, REVIEWER, "reject", "没有照片") == "rejected"
    assert decide(facts(evidence_required=frozenset({"J1"}), evidence_present=frozenset({"J1"})),
                  REVIEWER, "approve") == "approved"


def test_an_entry_needing_two_approvals_waits_for_a_second_reviewer():
    """With approvals_needed 2 the first approval leaves it recorded; the same reviewer cannot count twice."""
    first = facts(approvals_needed=2)
    assert decide(first, REVIEWER, "approve") == "recorded" and approvals_missing(first) == 2
    second = facts(approvals_needed=2, approved_by=frozenset({REVIEWER}))
    with pytest.raises(ReviewError, match="already approved"):
        decide(second, REVIEWER, "approve")
    assert decide(second, OTHER, "approve") == "approved"


def test_a_rejected_entry_counts_for_nothing():
    """Only reviewed entries count; rejected and recorded ones never do."""
    assert [counts(s) for s in ("recorded", "rejected", "approved", "adjusted", "published", "final")] == [
        False, False, True, True, True, True]
