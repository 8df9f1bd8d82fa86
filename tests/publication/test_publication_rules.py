"""Closing, the notice window, finalising and the snapshot hash, without a database."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from tests.refusals import refused
from tests.rule_files import scheme_text
from webapp.core.periods import Period
from webapp.points.domain.scheme_loader import load_scheme
from webapp.publication.domain.publication import (
    PublicationError,
    canonical_json,
    check_can_close,
    check_can_finalise,
    closing_keys,
    matches,
    notice_open,
    notice_window,
    publication_kinds,
    short_hash,
    snapshot_hash,
)


@pytest.mark.parametrize(("name", "kinds"), [
    ("fengsheng", ("month", "year")), ("star-140", ("quarter", "year")), ("bieshan", ("month", "year")),
])
def test_each_plan_publishes_its_own_periods_and_the_year(name, kinds):
    """Fengsheng ranks monthly, the 140-point plan quarterly, Bieshan by its monthly ranking cadence."""
    assert publication_kinds(load_scheme(scheme_text(name))) == kinds


def test_a_period_closes_only_after_it_ends():
    """March closes from 1 April; a quarter is refused under a monthly plan."""
    with refused("%(period)s has not ended yet; it can be closed from %(day)s.", PublicationError) as caught:
        check_can_close(Period.month(2026, 3), date(2026, 3, 31), ("month", "year"))
    assert caught.value.params == {"period": "2026-03", "day": "2026-04-01"}
    check_can_close(Period.month(2026, 3), date(2026, 4, 1), ("month", "year"))
    with refused("This village's rules do not publish results by %(kind)s.", PublicationError):
        check_can_close(Period.quarter(2026, 1), date(2026, 4, 1), ("month", "year"))


def test_a_three_day_notice_includes_the_day_of_publication():
    """Published on 5 January for 3 days: objections 5–7 January; final from the 8th."""
    assert notice_window(date(2027, 1, 5), 3) == (date(2027, 1, 5), date(2027, 1, 7))
    assert [notice_open(date(2027, 1, d), date(2027, 1, 5), date(2027, 1, 7)) for d in (4, 5, 7, 8)] == [
        False, True, True, False]
    with refused("The public notice runs until %(day)s; results become final after it.", PublicationError):
        check_can_finalise(date(2027, 1, 7), date(2027, 1, 7), 0)
    with refused("%(count)s objections still wait for an answer.", PublicationError):
        check_can_finalise(date(2027, 1, 8), date(2027, 1, 7), 1)
    check_can_finalise(date(2027, 1, 8), date(2027, 1, 7), 0)


def test_an_item_is_late_once_the_month_it_counts_in_is_closed():
    """A March entry and a Q1 inspection both count in March: late once March, Q1 or 2026 is closed."""
    assert closing_keys("2026-03") == closing_keys("2026-Q1") == {"2026-03", "2026-Q1", "2026"}
    assert closing_keys("2026") == {"2026-12", "2026-Q4", "2026"}


def test_the_hash_is_sha256_of_the_canonical_text_that_anyone_can_recompute():
    """Key order and spacing do not change the text; sha256sum of its UTF-8 bytes is the hash."""
    one = canonical_json({"village": "油房村", "ranking": [{"rank": 1, "name": "张三", "points": "87.5"}]})
    two = canonical_json({"ranking": [{"points": "87.5", "name": "张三", "rank": 1}], "village": "油房村"})
    assert one == two and "张三" in one and " " not in one
    full = snapshot_hash(one)
    assert full == hashlib.sha256(one.encode("utf-8")).hexdigest()
    printed = short_hash(full)
    assert len(printed) == 14 and printed.replace(" ", "") == full[:12]
    assert matches(full, printed) and matches(full, printed.upper()) and not matches(full, "0000 0000")
