"""A household that types a wrong 6-digit password is told whom to ask: its village committee, by name."""

from __future__ import annotations

import pytest

from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.services.household_login import pin_help, set_household_pin, wrong_pin_message

PIN = "482913"


@pytest.fixture
def world(make):
    """油房村 with two named admins and one switched off; 张三丰 (YF0001) has a login, 李四 (YF0002) none;
    西山村's only admin has no name on record."""
    town = make.town()
    yf = make.village(town, code="YF")
    xs = make.village(town, code="XS", name="西山村")
    zhang = make.household(yf, "张三丰", code="YF0001")
    make.household(yf, "李四", code="YF0002")
    wang = make.user("village_admin", username="wang", village_id=yf.id, display_name="王会计")
    make.user("village_admin", username="li", village_id=yf.id, display_name="李主任")
    make.user("village_admin", username="zhao", village_id=yf.id, display_name="赵书记").active = False
    make.user("village_admin", username="xs", village_id=xs.id)  # no name given
    make.user("reviewer", username="pingyi", village_id=yf.id, display_name="周评议员")
    set_household_pin(wang, zhang, PIN)
    db.session.commit()
    return {"yf": yf, "xs": xs}


def post_login(client, username: str, password: str):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_a_household_login_names_its_village_and_active_admins(world):
    """The village's active admins by name (at most two); never a reviewer or a switched-off admin."""
    found = pin_help("yf0001")
    assert found.village == "油房村" and found.admins == ("王会计", "李主任")


def test_staff_and_households_without_a_login_get_no_household_help(world):
    """A staff account, an unknown name or a household that has no login yet keep the plain message."""
    assert pin_help("wang") is None and pin_help("nobody") is None and pin_help("YF0002") is None


def test_a_village_without_named_admins_still_says_ask_the_committee(world, make):
    """With no admin named, the message still says whom to ask: the village committee."""
    zhou = make.household(world["xs"], "周五", code="XS0001")
    set_household_pin(make.user("town_admin", town_id=world["xs"].town_id), zhou, "731904")
    db.session.commit()
    message = wrong_pin_message("XS0001")
    assert message.params == {"village": "西山村"} and "ask the village committee of" in message.msgid


def test_a_wrong_household_password_says_whom_to_ask_in_chinese(world, client):
    """密码不对 + 忘了密码请找油房村村委会（王会计或李主任）重新设置; no phone number."""
    response = post_login(client, "YF0001", "000000")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "6位数字密码不对。忘了密码请找油房村村委会（王会计或李主任）重新设置。" in page
    assert "用户名或密码错误" not in page


def test_a_wrong_staff_password_keeps_the_plain_message(world, client):
    """Staff accounts learn nothing about households: the usual 用户名或密码错误."""
    page = post_login(client, "wang", "wrong-password").get_data(as_text=True)
    assert "用户名或密码错误" in page and "村委会" not in page


def test_the_household_message_is_in_english_for_an_english_phone(world, client):
    client.set_cookie("lang", "en")
    page = post_login(client, "YF0001", "000000").get_data(as_text=True)
    assert "Wrong PIN. If you forgot it, ask the village committee of 油房村 (王会计 or 李主任)" in page


def test_the_committees_login_card_says_whom_a_household_is_told_to_ask(world, auth, client):
    """The committee sees which names the wrong-password message gives, so it knows to keep them right."""
    auth.login("wang")
    page = client.get("/households/YF0001").get_data(as_text=True)
    assert "密码输错时，会提示该户找村委会：王会计或李主任。" in page


def test_an_admin_account_named_after_the_committee_is_not_named(world, make):
    """An account called 村两委 (as the demo's) adds nothing: the message says 村委会 alone then."""
    zhou = make.household(world["xs"], "周五", code="XS0001")
    committee = make.user("village_admin", username="cwh", village_id=world["xs"].id, display_name="西山村两委")
    set_household_pin(committee, zhou, "731904")
    db.session.commit()
    assert pin_help("XS0001").admins == ()
