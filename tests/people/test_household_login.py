"""Household accounts: the committee sets a 6-digit PIN; the household logs in with its code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.refusals import refused
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.user import User
from webapp.people.services.accounts import authenticate
from webapp.people.services.household_login import household_account, is_weak, login_card, set_household_pin


@pytest.fixture
def world(make):
    town = make.town()
    yf = make.village(town, code="YF")
    other = make.village(town, code="XS", name="西山村")
    grid = make.grid(yf)
    zhang = make.household(yf, "张三丰", code="YF0001", grid=grid)
    return {
        "zhang": zhang,
        "admin": make.user("village_admin", village_id=yf.id),
        "town": make.user("town_admin", town_id=town.id),
        "other_admin": make.user("village_admin", village_id=other.id),
        "scorer": make.user("scorer", grid_id=grid.id),
        "reviewer": make.user("reviewer", village_id=yf.id),
    }


def test_setting_a_pin_creates_the_household_account(world):
    """The account is named by the household code and holds the villager grant of that household only."""
    pin = set_household_pin(world["admin"], world["zhang"], "482913")
    assert pin == "482913"
    user = household_account(world["zhang"])
    assert user.username == "YF0001" and user.display_name == "张三丰"
    assert [(g.role, g.household_id) for g in user.grants] == [("villager", world["zhang"].id)]
    assert authenticate("YF0001", "482913") is user


def test_a_random_pin_is_six_digits_and_not_weak(world):
    """Without a PIN the service draws one; it works at once."""
    pin = set_household_pin(world["admin"], world["zhang"])
    assert len(pin) == 6 and pin.isdigit() and not is_weak(pin)
    assert authenticate("YF0001", pin) is not None


def test_resetting_the_pin_keeps_the_account_and_retires_the_old_pin(world):
    """A reset changes the password of the same user; the old PIN stops working."""
    set_household_pin(world["admin"], world["zhang"], "482913")
    first = household_account(world["zhang"])
    set_household_pin(world["town"], world["zhang"], "730461")
    assert household_account(world["zhang"]).id == first.id
    assert authenticate("YF0001", "482913") is None and authenticate("YF0001", "730461") is not None
    assert db.session.query(User).filter_by(username="YF0001").count() == 1


def test_weak_or_malformed_pins_are_refused(world):
    """Exactly six ASCII digits, and not one of the first a guesser would try; nothing is written."""
    weak, malformed = ("000000", "999999", "123456", "654321", "345678"), ("12345", "1234567", "48291a", "４８２９１３")
    for pin in weak + malformed:
        msgid = ("A PIN is exactly 6 digits." if pin in malformed else
                 "This PIN is too easy to guess. Choose another, or leave the field empty for a random one.")
        with refused(msgid):
            set_household_pin(world["admin"], world["zhang"], pin)
        assert household_account(world["zhang"]) is None, pin


@pytest.mark.parametrize("who", ["other_admin", "scorer", "reviewer"])
def test_only_the_committee_of_the_village_sets_pins(world, who):
    """Village admins of the household's village and its town's admins; others are told it does not exist."""
    with refused("No such household.", NotFound):
        set_household_pin(world[who], world["zhang"], "482913")
    assert login_card(world[who], world["zhang"]) is None
    assert login_card(world["admin"], world["zhang"]).exists is False


def test_a_username_taken_by_another_account_is_refused(world, make):
    """A staff account that happens to be called like the household is never turned into its login."""
    make.user("scorer", username="YF0002", grid_id=world["scorer"].grants[0].grid_id)
    li = make.household(world["zhang"].village, "李四", code="YF0002")
    with refused("The username %(username)s belongs to another account; rename that account first.") as caught:
        set_household_pin(world["admin"], li, "482913")
    assert caught.value.params == {"username": "YF0002"}
    assert authenticate("YF0002", "482913") is None


def test_the_audit_trail_records_the_reset_but_never_the_pin(world):
    """household.pin names the actor and the household; the PIN itself appears nowhere."""
    set_household_pin(world["admin"], world["zhang"], "482913")
    db.session.flush()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "household.pin"))
    assert event.actor_id == world["admin"].id and event.object_id == world["zhang"].id
    assert event.village_id == world["zhang"].village_id
    everything = " ".join(str(e.detail) for e in db.session.scalars(select(AuditEvent)))
    assert "482913" not in everything


def test_a_household_code_typed_in_lower_case_logs_in(world, make):
    """yf0001 finds YF0001's account; other usernames stay exact (admin is not ADMIN)."""
    set_household_pin(world["admin"], world["zhang"], "482913")
    assert authenticate("yf0001", "482913").username == "YF0001"
    assert authenticate("yf0001", "000000") is None
    make.user("village_admin", username="ADMIN9", village_id=world["zhang"].village_id)
    assert authenticate("admin9", "password123") is None
    assert authenticate("ADMIN9", "password123") is not None
