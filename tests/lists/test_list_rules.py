"""The list system's rules as plain data: versions in force, adoption, time limits, the desk's
transition table, overdue matters and the monthly summary (hand-worked numbers)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.refusals import refused
from webapp.lists.domain.lists import (
    ADOPTED,
    DONE,
    DRAFT,
    FINISH,
    IN_PROGRESS,
    KIND_CODES,
    LIST_KINDS,
    MATTER_ACTIONS,
    MATTER_STATES,
    RECEIVED,
    REOPEN,
    RETURN,
    RETURNED,
    START,
    ListRuleError,
    MatterFacts,
    VersionRef,
    actions_from,
    check_adoption,
    content_fingerprint,
    days_overdue,
    diff_items,
    due_date,
    item_time_limit,
    month_summary,
    next_state,
    normalize_kind,
    version_in_force,
)


def test_the_seven_list_kinds_of_the_seeds_are_known_by_code_and_by_chinese_name():
    """主体责任、准入、负面、三务公开、服务群众、依法自治、依法出具证明: seven kinds, found by either name."""
    assert len(LIST_KINDS) == 7
    assert normalize_kind("服务群众事项清单") == "service"
    assert normalize_kind("依法协助政府工作事项清单") == "admission"
    assert normalize_kind("负面事项清单") == "negative"
    assert normalize_kind("certificate") == "certificate"
    assert normalize_kind("积分清单") is None
    assert len({k.short for k in LIST_KINDS}) == len(KIND_CODES)


V1 = VersionRef(1, ADOPTED, date(2026, 1, 1))
V2 = VersionRef(2, ADOPTED, date(2026, 4, 1))
V3 = VersionRef(3, DRAFT, None)


@pytest.mark.parametrize(("on", "expected"), [
    (date(2025, 12, 31), None),  # nothing adopted is in force yet
    (date(2026, 1, 1), 1),
    (date(2026, 3, 31), 1),
    (date(2026, 4, 1), 2),  # the later version takes over on its date
    (date(2027, 1, 1), 2),  # a draft never comes into force
])
def test_the_version_in_force_is_the_adopted_one_with_the_latest_start_not_after_the_day(on, expected):
    """Rules in force at the time are the ones that apply; drafts never do."""
    found = version_in_force([V1, V2, V3], on)
    assert (found.number if found else None) == expected


ADOPTIONS = {  # (meeting, decision, start, items): the refusal, or None when adopted
    (date(2026, 3, 1), "通过", date(2026, 3, 1), 3): None,
    (None, "通过", date(2026, 3, 1), 3): "Give the date of the meeting that adopted the list.",
    (date(2026, 3, 1), "  ", date(2026, 3, 1), 3): "Write down the meeting's decision.",
    (date(2026, 3, 1), "通过", None, 3): "Give the date from which the list is in force.",
    (date(2026, 3, 2), "通过", date(2026, 3, 1), 3): "A list cannot be in force before the meeting that adopted it.",
    (date(2026, 3, 1), "通过", date(2026, 3, 5), 0): "An empty list cannot be adopted.",
}


@pytest.mark.parametrize(("meeting", "decision", "start", "items", "is_refused"),
                         [(*case, msgid is not None) for case, msgid in ADOPTIONS.items()])
def test_adoption_needs_the_meeting_date_its_decision_a_start_date_after_it_and_items(
        meeting, decision, start, items, is_refused):
    """A list changes only by a recorded procedure."""
    if is_refused:
        with refused(ADOPTIONS[meeting, decision, start, items], ListRuleError):
            check_adoption(meeting, decision, start, items)
    else:
        check_adoption(meeting, decision, start, items)


@pytest.mark.parametrize(("explicit", "steps", "expected"), [
    (None, [1, 2, 3], 6),
    (5, [1, 2, 3], 5),  # an explicit limit wins over the steps
    (None, [1, None, 2], 3),
    (None, [None, None], None),
    (None, [], None),
    (0, [], 0),  # "当日办结"
])
def test_an_items_time_limit_is_its_explicit_limit_or_the_sum_of_its_steps(explicit, steps, expected):
    """Sum of step days, or the explicit limit."""
    assert item_time_limit(explicit, steps) == expected


def test_the_due_date_counts_calendar_days_from_the_day_received():
    """Received on 28 February with a 3-day limit: due on 3 March (2026 is not a leap year)."""
    assert due_date(date(2026, 2, 28), 3) == date(2026, 3, 3)
    assert due_date(date(2026, 2, 28), None) is None


TABLE = {
    (RECEIVED, START): IN_PROGRESS, (RECEIVED, FINISH): DONE, (RECEIVED, RETURN): RETURNED,
    (IN_PROGRESS, FINISH): DONE, (IN_PROGRESS, RETURN): RETURNED, (RETURNED, REOPEN): RECEIVED,
}


@pytest.mark.parametrize("state", MATTER_STATES)
@pytest.mark.parametrize("action", MATTER_ACTIONS)
def test_every_state_and_action_of_a_matter_is_allowed_exactly_as_the_table_says(state, action):
    """Done is final; a returned matter only comes back when the villager brings what was missing."""
    expected = TABLE.get((state, action))
    if expected is None:
        with refused("This matter cannot do that now.", ListRuleError):
            next_state(state, action, reason="材料不全")
    else:
        assert next_state(state, action, reason="材料不全") == expected
        assert action in actions_from(state)


def test_a_matter_is_returned_only_with_a_reason():
    """The villager must be told why."""
    with refused("Say why the matter is returned.", ListRuleError):
        next_state(RECEIVED, RETURN, reason=" ")


@pytest.mark.parametrize(("state", "due", "expected"), [
    (RECEIVED, date(2026, 3, 10), 5),
    (IN_PROGRESS, date(2026, 3, 14), 1),
    (IN_PROGRESS, date(2026, 3, 15), 0),  # due today is not late yet
    (DONE, date(2026, 3, 1), 0),
    (RETURNED, date(2026, 3, 1), 0),
    (RECEIVED, None, 0),
])
def test_only_open_matters_past_their_due_date_are_overdue(state, due, expected):
    """On 15 March, a matter due on the 10th is 5 days overdue."""
    assert days_overdue(state, due, date(2026, 3, 15)) == expected


def test_the_monthly_summary_counts_what_was_received_closed_and_left_open():
    """March 2026, worked by hand over six matters."""
    facts = [
        MatterFacts("居住证明", DONE, date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 4)),  # on time
        MatterFacts("居住证明", DONE, date(2026, 3, 10), date(2026, 3, 12), date(2026, 3, 20)),  # late
        MatterFacts("低保申请", RETURNED, date(2026, 3, 11), date(2026, 3, 30), date(2026, 3, 12)),
        MatterFacts("低保申请", IN_PROGRESS, date(2026, 3, 20), date(2026, 3, 25), None),  # overdue at month end
        MatterFacts("居住证明", RECEIVED, date(2026, 2, 25), date(2026, 4, 10), None),  # received in Feb, open
        MatterFacts("居住证明", DONE, date(2026, 2, 1), date(2026, 2, 3), date(2026, 2, 3)),  # all in Feb
    ]
    summary = month_summary(facts, date(2026, 3, 1), date(2026, 3, 31))
    assert (summary.received, summary.done, summary.done_on_time, summary.returned) == (4, 2, 1, 1)
    assert (summary.open_at_end, summary.overdue_at_end) == (2, 1)
    assert summary.by_item == (("低保申请", 2), ("居住证明", 2))


def test_a_version_diff_names_the_items_added_removed_and_changed():
    """Compared by item code."""
    old = {"A": {"name": "a"}, "B": {"name": "b"}, "C": {"name": "c"}}
    new = {"A": {"name": "a"}, "C": {"name": "c2"}, "D": {"name": "d"}}
    diff = diff_items(old, new)
    assert (diff.added, diff.removed, diff.changed) == (("D",), ("B",), ("C",))
    assert diff_items(old, old).empty


def test_the_content_fingerprint_ignores_key_order_and_sees_every_change():
    """Printed on the wall: the same content gives the same hash, any change another."""
    assert content_fingerprint([{"a": 1, "b": "证明"}]) == content_fingerprint([{"b": "证明", "a": 1}])
    assert content_fingerprint([{"a": 1}]) != content_fingerprint([{"a": 2}])
