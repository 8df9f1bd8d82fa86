"""Household cards: an unguessable token per household, reissue revokes, the sheet prints QR codes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from webapp.extensions import db
from webapp.store.domain import StoreRefusal
from webapp.store.models import HouseholdCard
from webapp.store.services.cards import household_by_card, issue_missing, printed_cards, reissue


@pytest.fixture
def village(make):
    v = make.village(code="YF")
    group = make.group(v, "一组")
    make.household(v, "张三丰", code="YF0001", group=group)
    make.household(v, "李四", code="YF0002")
    return v


def test_every_household_gets_one_card_and_issuing_again_adds_none(village):
    assert issue_missing(village, None) == 2
    assert issue_missing(village, None) == 0
    assert len(db.session.scalars(select(HouseholdCard)).all()) == 2


def test_a_card_token_is_unguessable_and_says_nothing_about_the_household(village):
    issue_missing(village, None)
    for card in db.session.scalars(select(HouseholdCard)):
        assert len(card.token) >= 22  # 128 random bits
        assert card.household.code not in card.token


def test_reissuing_revokes_the_old_card(village):
    issue_missing(village, None)
    old = db.session.scalar(select(HouseholdCard).join(HouseholdCard.household).where(
        HouseholdCard.household.has(code="YF0001")))
    new = reissue(village, "YF0001", None)
    assert old.revoked_at is not None and new.revoked_at is None
    assert household_by_card(f"JIFEN:{new.token}").code == "YF0001"
    with pytest.raises(StoreRefusal, match="replaced"):
        household_by_card(f"JIFEN:{old.token}")


def test_the_card_sheet_shows_code_name_village_and_a_qr_code_holding_the_token(village):
    issue_missing(village, None)
    cards = printed_cards(village)
    assert [(c.household.code, c.household.head_name, c.village_name) for c in cards] == [
        ("YF0001", "张三丰", "油房村"), ("YF0002", "李四", "油房村")]
    assert cards[0].qr_svg.startswith("<svg") and 'class="qr"' in cards[0].qr_svg
    assert [c.household.code for c in printed_cards(village, codes=["YF0002"])] == ["YF0002"]
    assert all(c.token not in c.qr_svg for c in cards)  # encoded as modules, not as text on the page
