"""The public notice board (公示栏), no login: the board, the TV, the poster, the hash check and the
snapshot download show published results only — names, village groups and points, nothing else."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest

from tests.worlds.photos import attach, stored_photo
from webapp.core.period_choices import period_label
from webapp.core.periods import Period
from webapp.publication.domain.publication import short_hash
from webapp.publication.services import objections, picks as publication_picks, publications
from webapp.review.services.decisions import review_entry

# Head, household code, phone, head's ID number, another member, their ID number, address.
ROSTER = [
    ("张三", "YF-HH-0001", "13911110001", "110101199001011234", "张小明", "110101201503031111", "油房村东街1号"),
    ("李四", "YF-HH-0002", "13911110002", "110101198502022345", "李小红", "110101201204042222", "油房村西街2号"),
    ("王五", "YF-HH-0003", "13911110003", "11010119700303345X", "王小刚", "110101200805053333", "油房村南街3号"),
]
OBJECTION_TEXT = "我家院子当天已经打扫干净了，检查的人没进门"


def previous_month(period: Period) -> Period:
    return Period.of_date("month", period.start - timedelta(days=1))


@pytest.fixture
def yf(make):
    """油房村 under the Fengsheng rules, three households with phones, ID numbers and family members.

    The month before last (`before`) was published on its 3rd day after; 李四's late J4 entry for it
    was approved afterwards and his objection to its B1 finding upheld. Last month (`last`) is closed
    and published today with the committee's photo of 张三's J2 entry: its notice is open now.
    Last month: 张三 65 + J2 0.5 = 65.5, 王五 65, 李四 65."""
    today = date.today()
    last = previous_month(Period.of_date("month", today))
    before = previous_month(last)
    town = make.town()
    village = make.village(town, code="YF", name="油房村")
    other = make.village(town, code="WJ", name="王家村")
    version, other_version = make.scheme(village), make.scheme(other)
    groups = (make.group(village, "一组"), make.group(village, "二组"))
    homes = {}
    for index, (head, code, phone, head_id, member, member_id, address) in enumerate(ROSTER):
        hh = make.household(village, head, code=code, group=groups[index % 2], members=(member,), phone=phone,
                            address=address)
        for person in hh.members:
            person.id_number = head_id if person.is_head else member_id
            person.phone = phone if person.is_head else "1380000" + phone[-4:]
        homes[head] = hh
        for period in (before, last):
            make.inspection(hh, version, period.key, not_met=("B1",) if head == "李四" and period == before else ())
    j2 = make.entry(homes["张三"], version, "J2", last.start + timedelta(days=11))
    admin = make.user("village_admin", village_id=village.id)
    reviewer = make.user("reviewer", village_id=village.id)
    scorer = make.user("village_admin", village_id=village.id)
    villager = make.user("villager", household_id=homes["李四"].id)

    published_on = before.end + timedelta(days=3)
    old = publications.publish(admin, publications.close_period(admin, village, before, published_on), published_on)
    late = make.entry(homes["李四"], version, "J4", before.start + timedelta(days=19), status="recorded",
                      recorded_by_id=scorer.id)
    review_entry(reviewer, late.id, "approve")
    objection = objections.file_objection(villager, old, homes["李四"].id, OBJECTION_TEXT, published_on)
    objections.answer_objection(admin, objection, "uphold", "复查属实", objections.Correction(met={"B1": True}))

    photo = stored_photo()
    attach(photo, entry=j2)
    new = publications.close_period(admin, village, last, today)
    publication_picks.set_photos(admin, new, [(photo.id, "村容整洁")])
    publications.publish(admin, new, today)
    return {"village": village, "other": other, "other_version": other_version, "homes": homes, "admin": admin,
            "before": before, "last": last, "old": old, "new": new, "photo": photo}


def public_urls(vcode: str, period: str) -> list[str]:
    base = f"/v/{vcode}/board"
    return [base, f"{base}/{period}", f"{base}/tv", f"{base}/{period}/tv", f"{base}/{period}/poster?size=A4",
            f"{base}/{period}/poster?size=A3", f"{base}/{period}/check", f"{base}/{period}/check?h=00000000",
            f"{base}/{period}/snapshot.json"]


def text_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_board_shows_the_newest_notice_ranking_and_how_to_object(client, yf):
    """/v/YF/board is last month: every head with group and points, the notice window, the login link
    for objections, the short hash linked to the check page, and a link to the older notice."""
    html = text_of(client, "/v/YF/board")
    new = yf["new"]
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<td class="name">(\S+?)<span class="sub">(\S+?)</span></td>\s*'
                      r'<td class="num points">([\d.]+)</td>', html)
    assert rows == [("1", "张三", "一组", "65.5"), ("2", "李四", "二组", "65"), ("2", "王五", "一组", "65")]
    assert new.notice_starts_on.isoformat() in html and new.notice_ends_on.isoformat() in html
    assert 'href="/login"' in html
    assert short_hash(new.sha256) in html
    assert f'/v/YF/board/{yf["last"].key}/check?h={new.sha256[:12]}' in html
    assert f'href="/v/YF/board/{yf["before"].key}"' in html
    assert 'href="/v/YF/board/tv"' in html  # from the newest notice, the TV follows whatever is newest
    assert f'href="/v/YF/board/{yf["last"].key}/tv"' in text_of(client, f"/v/YF/board/{yf['last'].key}")


def test_an_older_notice_shows_its_own_results(client, yf):
    """The month before last: 李四 59 (B1 not met then), third; the published result never moved."""
    html = text_of(client, f"/v/YF/board/{yf['before'].key}")
    assert re.search(r"李四<span class=\"sub\">二组</span></td>\s*<td class=\"num points\">59</td>", html)
    assert short_hash(yf["old"].sha256) in html


def test_late_entries_corrections_and_objection_outcomes_show_with_the_period_they_belong_to(app, client, yf):
    """Last month's notice lists 李四's late J4 and the correction of his B1, both of the month before,
    and the upheld objection."""
    html = text_of(client, f"/v/YF/board/{yf['last'].key}")
    with app.test_request_context():
        before_label = period_label(yf["before"])
    late_section = html[html.index("board-list", html.index("</table>")):]
    assert "李四" in late_section and before_label in late_section
    assert "outcome-upheld" in html
    for url in (f"/v/YF/board/{yf['last'].key}/poster", f"/v/YF/board/{yf['last'].key}/poster?size=A3"):
        assert "poster-notes" in text_of(client, url)


def test_the_committees_photos_show_from_the_public_photo_address(client, yf):
    """The snapshot names the photo by its stored SHA-256; the board links the Photo row, which anyone may load."""
    html = text_of(client, "/v/YF/board")
    photo_id = yf["photo"].id
    assert f'src="/photos/{photo_id}/thumb"' in html and 'alt="村容整洁"' in html
    assert client.get(f"/photos/{photo_id}/thumb").status_code == 200


def test_a_closed_period_that_is_not_published_is_not_found(client, make, yf):
    """Closing freezes a ranking, but only publishing shows it: every public page of it is 404."""
    other, admin = yf["other"], make.user("village_admin", village_id=yf["other"].id)
    make.inspection(make.household(other, "赵六", code="WJ-HH-0001"), yf["other_version"], yf["last"].key)
    closed = publications.close_period(admin, other, yf["last"], date.today())
    assert closed.status == "closed"
    for url in public_urls("WJ", yf["last"].key):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("url", [
    "/v/WJ/board/{last}", "/v/WJ/board/{last}/poster", "/v/WJ/board/{last}/check", "/v/WJ/board/{last}/snapshot.json",
    "/v/WJ/board", "/v/WJ/board/tv", "/v/NOPE/board", "/v/NOPE/board/{last}", "/v/yf/board",
    "/v/YF/board/2026-13", "/v/YF/board/notaperiod/tv", "/v/YF/board/1999-01/poster",
])
def test_another_village_or_an_unknown_period_is_not_found(client, yf, url):
    """油房村's results are never reached through another village's code, and nothing else answers."""
    assert client.get(url.format(last=yf["last"].key)).status_code == 404


def test_the_tv_has_nothing_to_press_and_reloads_itself(client, yf):
    """No links, buttons or forms (but the big button that reads the honour roll aloud); the ranking in
    a self-scrolling panel; a reload without script too; /board/tv follows the newest notice."""
    html = text_of(client, "/v/YF/board/tv")
    html = re.sub(r'<button type="button" class="speak-button" data-speak=.*?</button>', "", html, flags=re.DOTALL)
    for tag in ("<a ", "<button", "<form", "<input"):
        assert tag not in html
    assert 'data-tv-scroll' in html and "publication/board-tv.js" in html
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d+"></noscript>', html)
    assert "张三" in html and short_hash(yf["new"].sha256) in html
    older = text_of(client, f"/v/YF/board/{yf['before'].key}/tv")
    assert short_hash(yf["old"].sha256) in older


@pytest.mark.parametrize("size", ["A4", "A3"])
def test_the_poster_carries_the_short_hash_and_a_qr_code_of_the_check_address(client, yf, size):
    """A one-page layout for the size asked, with the hash in groups of four and a QR code whose text is
    the absolute check address with the short hash in the query."""
    last, new = yf["last"].key, yf["new"]
    html = text_of(client, f"/v/YF/board/{last}/poster?size={size}")
    assert f"@page {{ size: {size} portrait;" in html
    assert f'<p class="short-hash">{short_hash(new.sha256)}</p>' in html
    check_url = f"http://localhost/v/YF/board/{last}/check?h={new.sha256[:12]}"
    assert re.search(r'<svg viewBox="[\d ]+" class="segno"><title>' + re.escape(check_url) + "</title>", html)


def test_an_unknown_poster_size_prints_on_a4(client, yf):
    assert "@page { size: A4 portrait;" in text_of(client, f"/v/YF/board/{yf['last'].key}/poster?size=letter")


def test_the_poster_of_150_households_fits_four_columns_of_readable_type(client, make, yf):
    """150 households with three-character names: four columns at 8 pt or more on A4, larger on A3;
    three households get two columns of large type."""
    from webapp.publication.services.board import poster_layout

    rows = [{"rank": i + 1, "name": "欧阳林", "group": "四组", "points": "82.5", "cumulative": "229.5"}
            for i in range(150)]
    snapshot = {"ranking": rows, "honour_roll": rows[:10], "model_households": rows[:10]}
    a4, a3 = poster_layout(snapshot, "A4"), poster_layout(snapshot, "A3")
    assert (a4.columns, a4.fits) == (4, True) and a4.font_pt >= 8
    assert a3.fits and a3.font_pt >= 1.4 * a4.font_pt
    html = text_of(client, f"/v/YF/board/{yf['last'].key}/poster")
    assert re.search(r'class="poster-ranking" style="--columns: 2; font-size: 12.0pt"', html)


def test_the_check_page_says_whether_the_typed_hash_matches(client, yf):
    """The poster's short hash (spaces and capitals allowed) matches; another one does not; the older
    notice's hash is recognised and linked; fewer than 8 characters are asked for again. The stored
    snapshot is rehashed and found unchanged."""
    last, before, new, old = yf["last"].key, yf["before"].key, yf["new"], yf["old"]
    check = f"/v/YF/board/{last}/check"
    typed = short_hash(new.sha256).upper()
    html = text_of(client, f"{check}?h={typed}")
    assert 'class="verdict verdict-yes" role="status"' in html and new.sha256 in html
    assert html.count("verdict-yes") == 2  # the match, and the rehash of the stored snapshot
    wrong = "ffff ffff ffff" if not new.sha256.startswith("ffff") else "0000 0000 0000"
    html = text_of(client, f"{check}?h={wrong}")
    assert 'class="verdict verdict-no" role="status"' in html
    html = text_of(client, f"{check}?h={old.sha256[:12]}")
    assert 'class="verdict verdict-no" role="status"' in html and f"/v/YF/board/{before}/check?h=" in html
    assert 'verdict-short' in text_of(client, f"{check}?h=abc")
    assert 'role="status"' not in text_of(client, check)


def test_the_check_form_swaps_only_its_verdict_for_htmx(client, yf):
    """An htmx request gets the verdict section alone, and the response says it varies on HX-Request."""
    response = client.get(f"/v/YF/board/{yf['last'].key}/check?h={yf['new'].sha256[:12]}",
                          headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.strip().startswith('<section class="card check-verdict" id="verdict"') and "<html" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_the_snapshot_download_is_the_exact_text_the_hash_was_taken_over(client, yf):
    """sha256sum of the downloaded bytes is the published hash."""
    response = client.get(f"/v/YF/board/{yf['last'].key}/snapshot.json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.data == yf["new"].snapshot.encode("utf-8")
    assert hashlib.sha256(response.data).hexdigest() == yf["new"].sha256


def test_public_pages_leak_nothing_but_names_and_points(client, yf):
    """No phone number, ID number, household code, address, family member's name or objection text on
    any public page — neither today's notice nor the older one."""
    secrets = [OBJECTION_TEXT]
    for _head, code, phone, head_id, member, member_id, address in ROSTER:
        secrets += [code, phone, head_id, member_id, member, address, "1380000" + phone[-4:]]
    for period in (yf["last"].key, yf["before"].key):
        for url in public_urls("YF", period):
            page = text_of(client, url)
            leaked = [secret for secret in secrets if secret in page]
            assert not leaked, f"{url} shows {leaked}"
            assert "/check" in url or "张三" in page  # the page did show the results


def test_a_year_notice_shows_its_prizes_on_the_board_the_tv_and_the_poster(client, make):
    """Fengsheng, last year, 15 resident households → 3 prize slots: 甲 first, 乙 second, 丙 third (the
    committee gave 丙, tied with 丁, the last slot). The year shows no cumulative column."""
    year = Period.whole_year(date.today().year - 1)
    new_year = date(year.year + 1, 1, 4)
    village = make.village(code="YF")
    version = make.scheme(village)
    admin = make.user("village_admin", village_id=village.id)
    homes = {name: make.household(village, name) for name in ["甲", "乙", "丙", "丁"] + [f"户{i}" for i in range(11)]}
    for name, times in (("甲", 3), ("乙", 2), ("丙", 1), ("丁", 1)):
        for day in range(1, times + 1):
            make.entry(homes[name], version, "J2", date(year.year, 5, day))
    publication = publications.close_period(admin, village, year, new_year)
    publication_picks.decide_tied_prize(admin, publication, homes["丙"].id, True)
    publication_picks.decide_tied_prize(admin, publication, homes["丁"].id, False)
    publications.publish(admin, publication, new_year)
    board = text_of(client, f"/v/YF/board/{year.key}")
    prizes = re.findall(r"<tr><td>(\S+?)<span class=\"sub\">.*?</span></td>\s*<td class=\"name\">(\S+?)<span", board)
    assert prizes == [("一等奖", "甲"), ("二等奖", "乙"), ("三等奖", "丙")]
    assert 'class="board-ranking"' in board and "with-cumulative" not in board
    tv = text_of(client, f"/v/YF/board/{year.key}/tv")
    assert re.search(r'<span class="chip-name">丙</span><span class="chip-sub">三等奖', tv)
    assert "丁</span><span class=\"chip-sub\">三等奖" not in tv
    assert "丙 <small>三等奖</small>" in text_of(client, f"/v/YF/board/{year.key}/poster")
