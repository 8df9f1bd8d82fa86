"""The rules as pages: the public rules page per village (no login, plain Chinese, printable) linked from
the board, the household's page and the list booklet; the committee's draft pages, which edit the rules
item by item and adopt them as the next version; the town reads them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.worlds.pages import Auth, csrf_token, zh
from tests.worlds.route_walk import demo_town
from webapp.demo.accounts import DEMO_ACCOUNTS
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.points.models.scheme import SchemeVersion

PASSWORDS = {username: password for _role, username, password in DEMO_ACCOUNTS}


def text(answer) -> str:
    """A page's visible text, tags dropped and spaces squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", answer.get_data(as_text=True)))


@pytest.fixture
def yf(make):
    """油房村 (YF) on the Fengsheng rules from 2026-01-01, its admin logged-in later; 王家村 (WJ) with no rules."""
    town = make.town(code="FS")
    village = make.village(town, code="YF", name="油房村")
    make.village(town, code="WJ", name="王家村")
    make.scheme(village, effective_from=date(2026, 1, 1))
    make.user("village_admin", username="yfadmin", village_id=village.id)
    make.user("town_admin", username="townadmin", town_id=town.id)
    db.session.commit()
    return village


def test_anyone_reads_the_villages_rules_in_plain_chinese(client, yf):
    answer = client.get("/v/YF/rules")
    assert answer.status_code == 200
    page = text(answer)
    assert "油房村" in page and "丰盛镇乡村治理积分制" in page and zh("Points rules") in page
    assert "第 1 版，2026-01-01 起施行。" in page
    assert "每户基础分 100 分。" in page
    assert "人居环境" in page and "基础分 10 分，每月评一次" in page and "达标得 6 分" in page
    assert "每次加 0.5 分，需拍照" in page          # J1
    assert "每月加 1 分" in page                     # J4, once a month
    assert "每年加 20 分，12月计入" in page or "每年加 20 分，" + zh("credited in December") in page
    assert "第 J1，J2，J3a，J3b，J4，J5a，J5b，J5c 项合计每月最多 5 分" in page
    assert "合计每年最多 50 分" in page
    assert "按人计，每次扣 1 分" in page             # K2, per person
    assert "影响期内只积分，不参与兑换" in page      # K9
    assert 'rel="stylesheet" href="/static/css/rules.css"' in answer.get_data(as_text=True)  # its print CSS


def test_a_village_without_rules_says_so_and_an_unknown_code_is_not_found(client, yf):
    assert zh("The village has not set its points rules yet.") in text(client.get("/v/WJ/rules"))
    assert client.get("/v/ZZ/rules").status_code == 404


def test_the_rules_page_prints_on_a4():
    css = (Path(__file__).resolve().parents[2] / "webapp/static/css/rules.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css


def test_the_board_the_households_page_and_the_list_booklet_link_the_rules(app, client):
    values = demo_town()
    rules_url = f"/v/{values['vcode']}/rules"
    assert client.get(rules_url).status_code == 200
    assert rules_url in client.get(f"/v/{values['vcode']}/board").get_data(as_text=True)
    assert rules_url in client.get(f"/v/{values['vcode']}/lists/{values['lcode']}/print").get_data(as_text=True)
    Auth(client).login("admin", PASSWORDS["admin"])
    assert rules_url in client.get(f"/households/{values['code']}").get_data(as_text=True)


def draft_page(client):
    """Log in the committee and start (or open) the draft; returns its URL and the page's CSRF token."""
    Auth(client).login("yfadmin")
    token = csrf_token(client.get("/admin/scheme").get_data(as_text=True))
    answer = client.post("/admin/scheme/drafts", data={"csrf_token": token})
    assert answer.status_code == 303
    return answer.headers["Location"], token


def revision(client, url: str) -> str:
    return re.search(r'name="revision" value="(\d+)"', client.get(url).get_data(as_text=True)).group(1)


def test_the_committee_edits_the_rules_in_pages_and_adopts_them_as_the_next_version(client, yf):
    url, token = draft_page(client)
    edits = [
        {"change": "item", "item": "J1", "name": "家庭成员做好人好事", "points": "1", "evidence": "required"},
        {"change": "add", "category": "J", "code": "J10", "name": "参加村里的读书会", "points": "0.5", "per": "month"},
        {"change": "retire", "item": "J2"},
        {"change": "cap", "cap": "0", "max": "8", "per": "month"},
        {"change": "terms", "effective_from": "2026-04-01", "note": "村民代表会议 2026-03-20"},
    ]
    for form in edits:
        answer = client.post(url, data={"csrf_token": token, "revision": revision(client, url), **form})
        assert answer.status_code == 303, (form, text(answer)[:400])
    page = text(client.get(url))
    assert "分值：0.5 → 1" in page and "原内容：家庭成员做好人好事，积极参与" in page
    assert "J10 参加村里的读书会 每月加 0.5 分" in page and "已取消 J2" in page
    assert "上限修改" in page and "合计每月最多 8 分" in page
    assert db.session.scalar(select(SchemeVersion.number).order_by(SchemeVersion.number.desc())) == 1  # not yet

    answer = client.post(url + "/adopt", data={"csrf_token": token, "revision": revision(client, url)})
    assert answer.status_code == 303
    version = text(client.get(answer.headers["Location"]))
    assert "第2版" in version or "第 2 版" in version
    assert "2026-04-01 起施行。" in version and "与第 1 版相比的变化" in version and "分值：0.5 → 1" in version
    assert "每次加 1 分，需拍照" in text(client.get("/v/YF/rules"))  # in force now (today is after April 2026)


def test_a_change_that_breaks_the_rules_is_shown_with_its_problems_and_not_saved(client, yf):
    url, token = draft_page(client)
    before = revision(client, url)
    answer = client.post(url, data={"csrf_token": token, "revision": before, "change": "cap", "cap": "0",
                                    "max": "8", "per": "week"})
    assert answer.status_code == 422
    assert zh("The change was not saved: the rules would have problems.") in text(answer)
    assert revision(client, url) == before


def test_a_stale_form_is_refused_and_the_page_shows_the_newer_draft(client, yf):
    url, token = draft_page(client)
    stale = revision(client, url)
    client.post(url, data={"csrf_token": token, "revision": stale, "change": "retire", "item": "J2"})
    answer = client.post(url, data={"csrf_token": token, "revision": stale, "change": "retire", "item": "J3a"})
    assert answer.status_code == 422
    assert zh("Someone else changed this draft meanwhile; the page now shows their changes.") in text(answer)


def test_the_town_admin_reads_the_draft_without_its_forms_and_cannot_change_it(client, yf):
    url, token = draft_page(client)
    Auth(client).logout()
    Auth(client).login("townadmin")
    page = client.get(url)
    assert page.status_code == 200
    assert zh("You can read this draft; the village committee edits and adopts it.") in text(page)
    assert 'name="change"' not in page.get_data(as_text=True)
    town_token = csrf_token(client.get("/home", follow_redirects=True).get_data(as_text=True))
    for path in ("", "/adopt", "/discard"):
        answer = client.post(url + path, data={"csrf_token": town_token, "change": "retire", "item": "J2"})
        assert answer.status_code == 403
    assert client.post("/admin/scheme/drafts", data={"csrf_token": town_token, "village": yf.id}).status_code == 403


def test_a_version_exports_its_rules_file_byte_for_byte(client, yf):
    Auth(client).login("yfadmin")
    version = db.session.scalar(select(SchemeVersion))
    answer = client.get(f"/admin/scheme/versions/{version.id}/rules.yaml")
    assert answer.status_code == 200 and answer.get_data(as_text=True) == version.source_text
    assert 'attachment; filename="fengsheng-v1.yaml"' == answer.headers["Content-Disposition"]


def test_discarding_a_draft_leaves_the_rules_as_they_were(client, yf):
    url, token = draft_page(client)
    client.post(url, data={"csrf_token": token, "revision": revision(client, url), "change": "retire", "item": "J2"})
    answer = client.post(url + "/discard", data={"csrf_token": token})
    assert answer.status_code == 303
    assert client.get(url).status_code == 404
    assert "J2" in text(client.get("/v/YF/rules"))
    assert db.session.scalar(select(Village).where(Village.code == "YF")) is not None
