"""The household's menu: from its own page a household logged in with its 6-digit PIN reaches the
village's notice board (at its own row), points rules, lists, service desk and three-affairs disclosures."""

from __future__ import annotations

import re

import pytest

from tests.worlds.board import published_board
from tests.worlds.lists import adopted_lists
from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.services.household_login import set_household_pin

PIN = "482913"


@pytest.fixture
def village(make):
    """油房村 with last month published and the Fengsheng lists adopted (the services list FW and the
    certificates list ZM are the service desk's); 张三丰 (YF0001) has a PIN."""
    world = published_board(make)
    adopted_lists(world["village"])
    set_household_pin(world["admin"], world["zhang"], PIN)
    db.session.commit()
    return world


def log_in_as_household(client, code: str = "YF0001", pin: str = PIN) -> None:
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": code, "password": pin, "csrf_token": token})
    assert response.status_code == 302


def menu_links(html: str) -> dict[str, str]:
    menu = html[html.index('id="household-menu"'):]
    menu = menu[:menu.index("</nav>")]
    return dict(re.findall(r'<li><a (?:id|class)="(menu-[a-z]+)" href="([^"]+)"', menu))


def test_the_households_menu_reaches_board_rules_lists_service_desk_and_disclosures(client, village):
    log_in_as_household(client)
    html = client.get("/households/YF0001").get_data(as_text=True)
    links = menu_links(html)
    assert links == {
        "menu-board": "/v/YF/board?find=YF0001#find",
        "menu-rules": "/v/YF/rules",
        "menu-desk": "/v/YF/lists/ZM",  # the last of the desk's lists (FW, then ZM)
        "menu-lists": "/v/YF/lists",
        "menu-disclosures": "/v/YF/disclosures",
    }
    desk = re.findall(r'<li><a class="menu-desk" href="([^"]+)"', html)
    assert desk == ["/v/YF/lists/FW", "/v/YF/lists/ZM"]
    for url in [*links.values(), *desk]:
        assert client.get(url.split("#")[0]).status_code == 200, url
    board = client.get("/v/YF/board?find=YF0001").get_data(as_text=True)
    assert 'class="is-found"' in board  # the board opens at the household's own row


def test_a_village_with_nothing_published_and_no_lists_still_reaches_rules_lists_and_disclosures(client, make):
    from tests.worlds.villages import youfang

    world = youfang(make)
    admin = make.user("village_admin", village_id=world["village"].id)
    set_household_pin(admin, world["zhang"], PIN)
    db.session.commit()
    log_in_as_household(client)
    links = menu_links(client.get("/households/YF0001").get_data(as_text=True))
    assert set(links) == {"menu-rules", "menu-lists", "menu-disclosures"}
    for url in links.values():
        assert client.get(url).status_code == 200, url


def test_staff_reading_a_household_see_no_household_menu(client, village, make):
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": "a", "password": "password123", "csrf_token": token})
    assert 'id="household-menu"' not in client.get("/households/YF0001").get_data(as_text=True)
