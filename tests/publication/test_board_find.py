"""查找我家 and sharing on the public board: a villager finds the household's row by the head's name, the
household code or the name's initials, with or without script, and sees names and points only; the
board's address is there to share, with its QR code."""

from __future__ import annotations

import re

import pytest

from tests.worlds.board import published_board
from webapp.publication.services.board_find import find_household
from webapp.publication.services.query import snapshot_of


@pytest.fixture
def board(make):
    return published_board(make)


def found_rows(html: str) -> list[tuple[str, str]]:
    """(anchor, name) of each row the search found."""
    return re.findall(r'<li><a href="#place-(\d+)">\s*<span class="found-rank">[^<]*</span>\s*'
                      r'<span class="found-name">([^<]+)<', html)


def test_a_name_finds_the_households_row_and_its_place_in_the_ranking(board):
    """Part of a name finds it; the row is the snapshot's, numbered by its place in the ranking."""
    publication = board["publication"]
    snapshot = snapshot_of(publication)
    found = find_household(publication, snapshot, " 张三 ")
    assert [(r.place, r.name, r.points, r.rank) for r in found.rows] == [(1, "张三丰", "65.5", 1)]
    assert snapshot["ranking"][0]["name"] == "张三丰"
    assert find_household(publication, snapshot, "  ") is None


@pytest.mark.parametrize("typed", ["YF0002", "yf0002", "ls"])
def test_a_household_code_or_the_initials_find_the_same_row(board, typed):
    publication = board["publication"]
    found = find_household(publication, snapshot_of(publication), typed)
    assert [r.name for r in found.rows] == ["李四"]


def test_another_villages_code_finds_nothing(board, make):
    other = make.household(make.village(board["town"], code="WJ"), "李四", code="WJ0002")
    publication = board["publication"]
    assert find_household(publication, snapshot_of(publication), other.code).rows == []


def test_the_board_without_script_answers_the_search_with_the_row_highlighted(client, board):
    """A plain GET form: the answer card is at #find, each row links to its anchor in the ranking, the
    ranking row is marked; the page shows no household code, only what the board shows."""
    page = client.get("/v/YF/board")
    html = page.get_data(as_text=True)
    assert re.search(r'<form method="get" action="/v/YF/board#find" role="search"', html)
    assert 'name="find"' in html
    html = client.get("/v/YF/board?find=YF0002").get_data(as_text=True)
    places = found_rows(html)
    assert [name for _place, name in places] == ["李四"]
    place = places[0][0]
    assert re.search(rf'<tr id="place-{place}" class="is-found">\s*<td class="num">\d+</td>\s*<td class="name">李四', html)
    assert html.count('class="is-found"') == 1
    assert "YF0001" not in html and "YF0003" not in html  # only what was typed is echoed back


def test_the_search_answers_htmx_with_the_answer_alone(client, board):
    response = client.get("/v/YF/board?find=王五", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.strip().startswith('<section class="card board-find" id="find">') and "<html" not in html
    assert [name for _place, name in found_rows(html)] == ["王五"]
    assert "HX-Request" in response.headers["Vary"]


def test_a_name_not_in_the_notice_says_so_and_how_to_search_instead(client, board):
    html = client.get("/v/YF/board?find=赵六").get_data(as_text=True)
    assert 'class="verdict verdict-no" role="status"' in html and "赵六" in html
    assert found_rows(html) == [] and 'class="is-found"' not in html


def test_the_board_offers_its_address_to_share_with_a_qr_code(client, board):
    """A share button for the phone's share sheet (shown by script) and, without script, the address
    and its QR code; an older notice shares its own address."""
    html = client.get("/v/YF/board").get_data(as_text=True)
    assert re.search(r'<button type="button" class="button" data-share="http://[^"]+/v/YF/board"', html)
    share = html[html.index('class="board-share"'):]
    assert "<svg" in share[:share.index("</details>")]
    assert 'value="http://localhost/v/YF/board"' in share or re.search(r'readonly value="http://[^"]+/v/YF/board"', share)
    key = board["last"].key
    html = client.get(f"/v/YF/board/{key}").get_data(as_text=True)
    assert re.search(rf'data-share="http://[^"]+/v/YF/board/{key}"', html)
