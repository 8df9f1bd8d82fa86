"""Browsing households and reading a household's points, as a page and as JSON."""

from __future__ import annotations

from datetime import date

import pytest

from tests.worlds.villages import youfang
from webapp.extensions import db


@pytest.fixture
def village(make):
    """油房村 under the Fengsheng rules, with three households scored in March 2026.

    张三丰: inspection with B3 not met and A1 met: base 4×6 + 3×5 + 2×10 + 2 = 61;
            J1×4 (2) + J2×4 (2) + J3a (1) + J4 (1) = 6 raw, capped to 5; member 张小明 K5 −1.
            Total 61 + 5 − 1 = 65.
    李四:   inspection at defaults: 30 + 15 + 20 = 65 — tied with 张三丰.
    王五:   not inspected: 0.
    """
    world = youfang(make)
    version, zhang, li = world["version"], world["zhang"], world["li"]
    make.inspection(zhang, version, "2026-03", not_met=("B3",), met=("A1",))
    make.inspection(li, version, "2026-03")
    on = date(2026, 3, 12)
    make.entry(zhang, version, "J1", on, quantity=4)
    make.entry(zhang, version, "J2", on, quantity=4)
    make.entry(zhang, version, "J3a", on)
    make.entry(zhang, version, "J4", on)
    son = next(m for m in zhang.members if m.name == "张小明")
    make.entry(zhang, version, "K5", on, member=son)
    make.entry(zhang, version, "J2", on, status="recorded")  # not reviewed yet: does not count
    db.session.commit()
    return world


def test_admin_finds_households_by_name_code_and_pinyin_initials(village, make, auth, client):
    """Search matches the head's name, the household code, or the initials of the name."""
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    auth.login("a")
    assert "张三丰" in client.get("/households?q=张三").get_data(as_text=True)
    assert "李四" in client.get("/households?q=YF0002").get_data(as_text=True)
    page = client.get("/households?q=zsf").get_data(as_text=True)
    assert "张三丰" in page and "李四" not in page


def test_household_search_answers_htmx_with_only_the_results(village, make, auth, client):
    """One URL, two representations: htmx gets the results block, with Vary: HX-Request."""
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    auth.login("a")
    full = client.get("/households?q=zsf")
    part = client.get("/households?q=zsf", headers={"HX-Request": "true"})
    restore = client.get("/households?q=zsf", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.get_data(as_text=True)
    assert "<html" not in part.get_data(as_text=True) and 'id="results"' in part.get_data(as_text=True)
    assert "<html" in restore.get_data(as_text=True)
    assert "HX-Request" in part.headers["Vary"] and "HX-Request" in full.headers["Vary"]


def test_group_filter_limits_the_list(village, make, auth, client):
    """Filtering by village group leaves out households of other groups."""
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    auth.login("a")
    page = client.get(f"/households?group={village['zhang'].group_id}").get_data(as_text=True)
    assert "张三丰" in page and "王五" not in page


def test_household_page_explains_the_month_line_by_line(village, make, auth, client):
    """Each item, its state or quantity, raw and counted points, the total and the rank."""
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    auth.login("a")
    page = client.get("/households/YF0001?period=2026-03").get_data(as_text=True)
    assert "65" in page
    assert "厨房“三要”" in page and "未达标" in page          # B3 not met
    assert "超出上限" in page                                 # J4 cut by the 5-a-month cap
    assert "张小明" in page                                   # the member's deduction rolled up


def test_points_json_has_the_same_figures_as_the_page(village, make, auth, client):
    """GET /api/v1/households/<code>/points gives lines, totals, rank, earned and spendable."""
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    auth.login("a")
    data = client.get("/api/v1/households/YF0001/points?period=2026-03").get_json()
    assert data["totals"] == {"base": "61", "bonus": "5", "deduction": "1", "total": "65"}
    assert data["rank"] == 1 and data["ranked_households"] == 3
    assert data["earned_year"] == "65" and data["spendable"] == "65"
    lines = {(ln["item_code"], ln["status"]): ln for ln in data["base_lines"] + data["event_lines"]}
    assert lines[("B3", "not_met")]["counted_points"] == "0"
    assert lines[("J4", "capped")]["raw_points"] == "1" and lines[("J4", "capped")]["counted_points"] == "0"
    assert lines[("K5", "counted")]["member_name"] == "张小明"
    tied = client.get("/api/v1/households/YF0002/points?period=2026-03").get_json()
    assert tied["rank"] == 1
    assert client.get("/api/v1/households/YF0003/points?period=2026-03").get_json()["rank"] == 3


def test_points_json_accepts_quarters_and_years(village, make, auth, client):
    """Quarter and year statements add up the months."""
    make.user("village_admin", username="a", village_id=village["village"].id)
    db.session.commit()
    auth.login("a")
    assert client.get("/api/v1/households/YF0001/points?period=2026-Q1").get_json()["totals"]["total"] == "65"
    assert client.get("/api/v1/households/YF0001/points?period=2026").get_json()["totals"]["total"] == "65"
    bad = client.get("/api/v1/households/YF0001/points?period=2026-13")
    assert bad.status_code == 400 and bad.get_json()["error"]


def test_points_json_needs_a_login(village, client):
    """Anonymous callers get 401 JSON, not a login page."""
    response = client.get("/api/v1/households/YF0001/points?period=2026-03")
    assert response.status_code == 401 and response.is_json


def test_village_never_sees_another_villages_households(village, make, auth, client):
    """An admin of another village gets 404 for the page and the JSON, and an empty search."""
    other = make.village(village["town"], code="WJ", name="王家村")
    make.user("village_admin", username="b", village_id=other.id)
    db.session.commit()
    auth.login("b")
    assert client.get("/households/YF0001").status_code == 404
    assert client.get("/api/v1/households/YF0001/points").status_code == 404
    assert "张三丰" not in client.get("/households?q=张").get_data(as_text=True)


def test_scorer_sees_only_households_of_their_grid(village, make, auth, client):
    """A grid worker's list holds their grid; another grid's household is not found."""
    make.user("scorer", username="g", grid_id=village["grid"].id)
    db.session.commit()
    auth.login("g")
    page = client.get("/households").get_data(as_text=True)
    assert "张三丰" in page and "李四" in page and "王五" not in page
    assert client.get("/households/YF0003").status_code == 404


def test_town_admin_sees_every_village_of_the_town(village, make, auth, client):
    """The town watches all its villages."""
    make.user("town_admin", username="t", town_id=village["town"].id)
    db.session.commit()
    auth.login("t")
    assert client.get("/households/YF0003").status_code == 200


def test_villager_lands_on_their_own_household(village, make, auth, client):
    """A household head's home is their own points; other households are not found."""
    make.user("villager", username="v", household_id=village["li"].id)
    db.session.commit()
    auth.login("v")
    home = client.get("/home")
    assert home.status_code == 302 and home.headers["Location"].endswith("/households/YF0002")
    assert client.get("/households/YF0001").status_code == 404
