"""The committee's home is a to-do list with the rules' deadlines, each line opening the page that does it;
a reviewer's home lists what waits in their own review area (issue 14)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from webapp.core.periods import Period
from webapp.extensions import db
from webapp.publication.domain.deadlines import inspection_deadline, next_day_of_month
from webapp.publication.models import Objection, Publication
from webapp.people.models.household import Household
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.store.models import Product, StockMovement


def _names(line: str, period: Period) -> bool:
    """Whether a line names the period (not merely a day inside it, such as a deadline)."""
    return re.search(rf"{period.key}(?!-\d)", line) is not None


def _line(page: str, kind: str) -> list[str]:
    """The to-do lines of a kind, as HTML."""
    return re.findall(rf'<li class="todo-{kind}">(.*?)</li>', page, re.S)


@pytest.fixture
def world(make):
    """Fengsheng rules (publish by the 10th, score by the 3rd, redeem on the 20th); two grids of which
    the first has one of its two households inspected this month; two entries waiting; last month not
    closed; an older month on notice with an objection; a store with one product low in stock."""
    today = date.today()
    this_month = Period.of_date("month", today)
    town = make.town(code="FS")
    village = make.village(town, code="YF", name="油房村")
    version = make.scheme(village)
    east, west = make.grid(village, "东网格"), make.grid(village, "西网格")
    inspected = make.household(village, "张三", code="YF0001", grid=east)
    make.household(village, "李四", code="YF0002", grid=east)
    waiting = make.household(village, "王五", code="YF0003", grid=west)
    make.inspection(inspected, version, this_month.key)
    make.entry(waiting, version, "J2", today.replace(day=1), status="recorded", received_at=datetime(2026, 1, 5, 20))
    make.entry(inspected, version, "J2", today.replace(day=1), status="recorded")
    older = Period.of_date("month", Period.of_date("month", this_month.start - timedelta(days=1)).start
                           - timedelta(days=1))
    notice = Publication(village_id=village.id, period=older.key, kind="month", status="notice", frozen={"rows": []},
                         notice_starts_on=today, notice_ends_on=today + timedelta(days=2))
    db.session.add(notice)
    db.session.flush()
    villager = make.user("villager", "YF0003", household_id=waiting.id)
    db.session.add(Objection(publication_id=notice.id, household_id=inspected.id, filed_by_id=villager.id, text="不对"))
    store = make.store(town, [village])
    low = Product(store_id=store.id, code="P1", name="香皂", price_points=5, low_stock_at=5)
    plenty = Product(store_id=store.id, code="P2", name="大米", price_points=50, low_stock_at=5)
    db.session.add_all([low, plenty])
    db.session.flush()
    db.session.add_all([StockMovement(store_id=store.id, product_id=low.id, kind="stock_in", quantity=3),
                        StockMovement(store_id=store.id, product_id=plenty.id, kind="stock_in", quantity=40)])
    make.user("village_admin", "cunweihui", village_id=village.id)
    db.session.commit()
    return {"village": village, "east": east, "west": west, "store": store, "notice": notice, "older": older,
            "this_month": this_month, "version": version}


def test_the_committee_home_lists_what_waits_each_line_linked(client, auth, world):
    today = date.today()
    auth.login("cunweihui")
    page = client.get("/home").get_data(as_text=True)
    village = world["village"]

    review = _line(page, "review")
    assert len(review) == 1 and f'href="/review?village={village.id}"' in review[0]
    assert ">2 " in review[0] or "2 条" in review[0] or "2 entries" in review[0]
    assert "2026-01-06" in review[0]  # the oldest arrived at 20:00 UTC on 5 January: the 6th in the village

    inspect = _line(page, "inspect")
    this_month, due = world["this_month"], inspection_deadline(world["this_month"], 3)
    east = [line for line in inspect if "东网格" in line and _names(line, this_month)]
    west = [line for line in inspect if "西网格" in line and _names(line, this_month)]
    assert len(east) == 1 and f'href="/households?grid={world["east"].id}"' in east[0] and due.isoformat() in east[0]
    assert len(west) == 1 and f'href="/households?grid={world["west"].id}"' in west[0]

    last = Period.of_date("month", this_month.start - timedelta(days=1))
    close = [line for line in _line(page, "close") if _names(line, last)]  # (last year's too, never closed)
    assert len(close) == 1
    assert f'href="/admin/publications?village={village.id}"' in close[0]
    assert this_month.start.replace(day=10).isoformat() in close[0]  # Fengsheng: by the 10th of the next month

    objections = _line(page, "objections")
    assert len(objections) == 1 and _names(objections[0], world["older"])
    assert f'href="/admin/publications/{world["notice"].id}"' in objections[0]
    assert (today + timedelta(days=2)).isoformat() in objections[0]  # the day the notice ends

    redeem = _line(page, "redeem")
    assert len(redeem) == 1 and next_day_of_month(today, 20).isoformat() in redeem[0]

    stock = _line(page, "stock")
    assert len(stock) == 1 and "香皂" in stock[0] and "大米" not in stock[0]
    assert f'href="/store/stock?store={world["store"].id}"' in stock[0]


def test_a_grid_whose_households_are_all_inspected_has_no_line(client, auth, make, world):
    """Once 李四 is inspected too, the east grid leaves the list for this month; the west grid stays."""
    lisi = db.session.query(Household).filter_by(code="YF0002").one()
    make.inspection(lisi, world["version"], world["this_month"].key)
    db.session.commit()
    auth.login("cunweihui")
    inspect = _line(client.get("/home").get_data(as_text=True), "inspect")
    assert not [line for line in inspect if "东网格" in line and _names(line, world["this_month"])]
    assert [line for line in inspect if "西网格" in line and _names(line, world["this_month"])]


def test_a_closed_month_asks_to_be_published_and_a_published_one_leaves_the_list(client, auth, world):
    last = Period.of_date("month", world["this_month"].start - timedelta(days=1))
    closed = Publication(village_id=world["village"].id, period=last.key, kind="month", status="closed",
                         frozen={"rows": []})
    db.session.add(closed)
    db.session.commit()
    auth.login("cunweihui")
    page = client.get("/home").get_data(as_text=True)
    assert not [line for line in _line(page, "close") if _names(line, last)]
    publish = _line(page, "publish")
    assert len(publish) == 1 and f'href="/admin/publications/{closed.id}"' in publish[0]
    closed.status = "final"
    db.session.commit()
    page = client.get("/home").get_data(as_text=True)
    assert not [line for line in _line(page, "close") if _names(line, last)] and not _line(page, "publish")


def test_a_reviewer_home_lists_only_what_waits_in_their_area(client, auth, make, world):
    """The reviewer's group (three, as Fengsheng asks) reviews the west grid: one of the two waiting is theirs."""
    reviewers = [make.user("reviewer", name, village_id=world["village"].id) for name in ("pingyi", "p2", "p3")]
    group = ReviewGroup(village_id=world["village"].id, name="第一组")
    db.session.add(group)
    db.session.flush()
    db.session.add_all([ReviewGroupMember(group_id=group.id, user_id=r.id) for r in reviewers]
                       + [ReviewGroupArea(group_id=group.id, grid_id=world["west"].id)])
    db.session.commit()
    auth.login("pingyi")
    page = client.get("/home").get_data(as_text=True)
    review = _line(page, "review")
    assert len(review) == 1 and "2026-01-06" in review[0]
    assert re.search(r'href="/review">1</a>', page)
    for kind in ("inspect", "close", "objections", "stock"):
        assert not _line(page, kind)
