"""The days the rules set, worked by hand for Fengsheng: publish by the 10th of the next month, score by
the 3rd of the next month, redeem on the 20th; and which periods the rules cover."""

from __future__ import annotations

from datetime import date

from webapp.core.periods import Period
from webapp.publication.domain.deadlines import (
    inspection_deadline,
    next_day_of_month,
    period_publish_deadline,
    publish_deadline,
    rules_cover,
)


def test_a_month_is_published_by_the_rules_day_of_the_next_month():
    assert publish_deadline(2026, 11, 10) == date(2026, 12, 10)
    assert publish_deadline(2026, 12, 10) == date(2027, 1, 10)
    assert publish_deadline(2026, 1, 31) == date(2026, 2, 28)  # clipped to February
    assert publish_deadline(2026, 3, None) == date(2026, 4, 10)  # the 10th when the rules name no day


def test_a_quarter_and_a_year_are_published_by_the_day_after_their_last_month():
    assert period_publish_deadline(Period.quarter(2026, 4), 10) == date(2027, 1, 10)
    assert period_publish_deadline(Period.whole_year(2026), 10) == date(2027, 1, 10)


def test_inspections_are_due_by_the_rules_day_of_the_next_month_or_the_periods_last_day():
    assert inspection_deadline(Period.month(2026, 11), 3) == date(2026, 12, 3)
    assert inspection_deadline(Period.quarter(2026, 1), None) == date(2026, 3, 31)


def test_the_next_redemption_day_is_this_months_until_it_has_passed():
    assert next_day_of_month(date(2026, 12, 3), 20) == date(2026, 12, 20)
    assert next_day_of_month(date(2026, 12, 20), 20) == date(2026, 12, 20)
    assert next_day_of_month(date(2026, 12, 21), 20) == date(2027, 1, 20)
    assert next_day_of_month(date(2026, 1, 31), 30) == date(2026, 2, 28)


def test_rules_cover_a_period_in_force_on_any_of_its_days():
    took_effect = date(2026, 3, 15)
    assert not rules_cover(Period.month(2026, 2), took_effect)
    assert rules_cover(Period.month(2026, 3), took_effect)
    assert rules_cover(Period.whole_year(2026), took_effect)
    assert not rules_cover(Period.whole_year(2025), date(2026, 1, 1))
