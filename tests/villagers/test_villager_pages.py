"""The villager's side over HTTP: household login by code + PIN, the committee's PIN card, the
household's records with evidence, and self-declaration."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.data.photos.make_photos import text_as_jpeg
from tests.worlds.pages import csrf_token
from tests.worlds.photos import attach, small_jpeg, stored_photo
from webapp.extensions import db
from webapp.people.models.household import Member
from webapp.people.services.household_login import set_household_pin
from webapp.points.models.entry import Entry, Freeze
from webapp.points.services.points import active_freeze
from webapp.review.models import ReviewDecision

PIN = "482913"
PHONE, ID_NUMBER = "13912345678", "110105194912310021"


@pytest.fixture
def village(make):
    """油房村 (Fengsheng rules): 张三丰 (YF0001, with a login) has a J1 entry with a photo and a
    rejected J2 in March 2026; 李四 (YF0002) has a J2. The roster holds phone and ID numbers."""
    town = make.town()
    v = make.village(town, code="YF")
    grid = make.grid(v)
    version = make.scheme(v)
    zhang = make.household(v, "张三丰", code="YF0001", grid=grid, phone=PHONE)
    db.session.add(Member(household=zhang, name="张小明", id_number=ID_NUMBER, phone=PHONE))
    li = make.household(v, "李四", code="YF0002", grid=grid)
    admin = make.user("village_admin", username="admin", village_id=v.id)
    make.user("scorer", username="grid", grid_id=grid.id)
    make.user("village_admin", username="elsewhere", village_id=make.village(town, code="XS").id)
    make.user("villager", username="li", household_id=li.id)
    entry = make.entry(zhang, version, "J1", date(2026, 3, 12))
    photo = stored_photo()
    attach(photo, entry=entry)
    rejected = make.entry(zhang, version, "J2", date(2026, 3, 14), status="rejected")
    db.session.add(ReviewDecision(entry_id=rejected.id, reviewer_id=admin.id, decision="reject", reason="查无此事"))
    make.entry(li, version, "J2", date(2026, 3, 5))
    set_household_pin(admin, zhang, PIN)
    db.session.commit()
    return {"village": v, "zhang": zhang, "li": li, "photo": photo}


def post_login(client, username: str, password: str, address: str = "127.0.0.1"):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def logout(client):
    """Log out whoever is logged in (a villager's home redirects to the household page)."""
    page = client.get("/home", follow_redirects=True).get_data(as_text=True)
    return client.post("/logout", data={"csrf_token": csrf_token(page)})


# -- login -------------------------------------------------------------------------------------

def test_login_page_tells_villagers_to_use_the_household_code_and_pin(client):
    """The login form's labels say 用户名或户编码 / 密码或6位数字密码 (Chinese, the default)."""
    page = client.get("/login").get_data(as_text=True)
    assert "用户名或户编码" in page and "密码或6位数字密码" in page


def test_a_household_logs_in_with_its_code_in_lower_case_and_lands_on_its_page(village, client):
    """yf0001 + PIN → the household's own page."""
    response = post_login(client, "yf0001", PIN)
    assert response.status_code == 302
    home = client.get("/home")
    assert home.status_code == 302 and home.headers["Location"].endswith("/households/YF0001")


def test_a_household_account_is_throttled_per_username(village, client):
    """Ten wrong PINs a minute, even from ten addresses (and in either case), and the right PIN is refused too."""
    for n in range(10):
        code = "YF0001" if n % 2 else "yf0001"
        assert post_login(client, code, f"{100000 + n}", address=f"10.0.0.{n + 1}").status_code == 401
    assert post_login(client, "YF0001", PIN, address="10.0.1.1").status_code == 429


# -- the committee's PIN card ---------------------------------------------------------------------

def test_the_committee_sees_the_login_card_and_others_do_not(village, auth, client):
    """Only those who manage the village see the household-login card."""
    auth.login("admin")
    assert 'id="household-login"' in client.get("/households/YF0001").get_data(as_text=True)
    logout(client)
    auth.login("grid")
    assert 'id="household-login"' not in client.get("/households/YF0001").get_data(as_text=True)


def test_resetting_the_pin_shows_the_new_pin_once(village, auth, client):
    """htmx gets the card with the PIN, not cached; the new PIN logs in, the old one no longer does."""
    auth.login("admin")
    page = client.get("/households/YF0001").get_data(as_text=True)
    response = client.post("/households/YF0001/pin", data={"pin": "730461", "csrf_token": csrf_token(page)},
                           headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "730461" in body and "<html" not in body
    assert response.headers["Cache-Control"] == "no-store"
    assert "730461" not in client.get("/households/YF0001").get_data(as_text=True)
    logout(client)
    assert post_login(client, "YF0001", PIN).status_code == 401
    assert post_login(client, "YF0001", "730461").status_code == 302


def test_a_random_pin_is_set_without_javascript(village, auth, client):
    """An empty PIN field draws a random PIN, shown on a whole page."""
    auth.login("admin")
    token = csrf_token(client.get("/households/YF0001").get_data(as_text=True))
    body = client.post("/households/YF0001/pin", data={"pin": "", "csrf_token": token}).get_data(as_text=True)
    pin = re.search(r'class="pin">(\d{6})<', body).group(1)
    assert "<html" in body and pin != PIN


def test_a_weak_pin_is_refused_with_a_message(village, auth, client):
    """123456 is refused (422) and the old PIN still works."""
    auth.login("admin")
    token = csrf_token(client.get("/households/YF0001").get_data(as_text=True))
    response = client.post("/households/YF0001/pin", data={"pin": "123456", "csrf_token": token})
    assert response.status_code == 422 and 'class="error"' in response.get_data(as_text=True)
    logout(client)
    assert post_login(client, "YF0001", PIN).status_code == 302


@pytest.mark.parametrize("who", ["grid", "elsewhere", "li"])
def test_only_the_committee_may_set_a_pin(village, auth, client, who):
    """A grid worker, another village's admin or a villager gets 404."""
    auth.login(who)
    token = csrf_token(client.get("/home", follow_redirects=True).get_data(as_text=True))
    assert client.post("/households/YF0001/pin", data={"pin": "730461", "csrf_token": token}).status_code == 404


# -- what the household sees ---------------------------------------------------------------------

def test_a_villager_sees_its_records_with_photo_links(village, auth, client):
    """Records of March: the J1 line with its thumbnail linking to the photo; the rejection with its reason."""
    post_login(client, "YF0001", PIN)
    page = client.get("/households/YF0001?period=2026-03").get_data(as_text=True)
    photo_id = village["photo"].id
    assert f'href="/photos/{photo_id}"' in page and f'src="/photos/{photo_id}/thumb"' in page
    assert "查无此事" in page and "2026-03-14" in page
    assert client.get(f"/photos/{photo_id}/thumb").status_code == 200


def test_the_period_pickers_htmx_swap_carries_the_records(village, auth, client):
    """The statement block that htmx swaps in holds the records too."""
    post_login(client, "YF0001", PIN)
    part = client.get("/households/YF0001?period=2026-03", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in part and 'id="statement"' in part and 'id="records"' in part


def test_a_boosted_link_gets_the_whole_page(village, auth, client):
    """hx-boost swaps the whole body: a boosted request is answered with the whole page, not a block."""
    post_login(client, "YF0001", PIN)
    page = client.get("/households/YF0001", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in page.get_data(as_text=True)


def test_another_households_page_and_photos_are_not_found(village, auth, client):
    """李四's page is 404 for 张三丰's account, and 张三丰's photo is 404 for 李四."""
    post_login(client, "YF0001", PIN)
    assert client.get("/households/YF0002").status_code == 404
    logout(client)
    auth.login("li")
    assert client.get(f"/photos/{village['photo'].id}").status_code == 404


def test_no_page_shows_a_villager_phone_or_id_numbers(village, auth, client):
    """Household page and declarations page: names and points, never phone or ID numbers."""
    post_login(client, "YF0001", PIN)
    for url in ("/households/YF0001?period=2026-03", "/my/declarations"):
        page = client.get(url).get_data(as_text=True)
        assert PHONE not in page and ID_NUMBER not in page, url


# -- self-declaration ------------------------------------------------------------------------------

def test_the_household_page_links_to_self_declaration_for_the_household_only(village, auth, client):
    """The villager sees the link on their page; the committee does not."""
    post_login(client, "YF0001", PIN)
    assert "/my/declarations" in client.get("/households/YF0001").get_data(as_text=True)
    logout(client)
    auth.login("admin")
    assert "/my/declarations" not in client.get("/households/YF0001").get_data(as_text=True)


def test_a_household_declares_j6_with_a_photo(village, auth, client):
    """The multipart form creates a recorded, self-declared J6; the list shows it waiting with its photo."""
    post_login(client, "YF0001", PIN)
    page = client.get("/my/declarations").get_data(as_text=True)
    assert 'capture="environment"' in page and 'enctype="multipart/form-data"' in page
    assert '<option value="J6"' in page and '<option value="J1"' not in page
    response = client.post("/my/declarations", data={
        "csrf_token": csrf_token(page), "item": "J6", "note": "流转5亩",
        "photos": [(io.BytesIO(small_jpeg()), "land.jpg")],
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    entry = db.session.scalar(select(Entry).where(Entry.household_id == village["zhang"].id,
                                                  Entry.note == "流转5亩"))
    assert entry.status == "recorded" and entry.flags == ["self_declared"]
    listing = client.get("/my/declarations").get_data(as_text=True)
    assert "J6" in listing and "流转5亩" in listing and "/thumb" in listing


def test_a_non_image_declaration_is_refused_on_the_page(village, auth, client):
    """A text file named .jpg: 422 with the reason, nothing recorded."""
    post_login(client, "YF0001", PIN)
    token = csrf_token(client.get("/my/declarations").get_data(as_text=True))
    before = db.session.scalar(select(func.count()).select_from(Entry))
    response = client.post("/my/declarations", data={
        "csrf_token": token, "item": "J6", "note": "",
        "photos": [(io.BytesIO(text_as_jpeg()), "x.jpg")],
    }, content_type="multipart/form-data")
    assert response.status_code == 422 and 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Entry)) == before


def test_only_villagers_open_the_declarations_page(village, auth, client):
    """Staff are refused (403: the page is a villager's own, no object of anyone else's is named)."""
    auth.login("admin")
    assert client.get("/my/declarations").status_code == 403


def test_the_committee_lifts_a_freeze_and_the_household_may_redeem_again(client, auth, make):
    """A K9 freeze shows on the household page with a lift button for the committee; lifting ends it
    yesterday, so today the household is no longer frozen. A villager cannot lift it."""
    village = make.village()
    household = make.household(village, "张三", code="YF0009")
    db.session.add(Freeze(household_id=household.id, starts_on=date(2026, 1, 5), reason="K9 违法违纪"))
    make.user("village_admin", "cunweihui", village_id=village.id)
    make.user("villager", "YF0009", household_id=household.id)
    freeze_id = db.session.scalar(select(Freeze.id))
    auth.login("YF0009")
    page = client.get("/households/YF0009").get_data(as_text=True)
    assert "K9 违法违纪" in page and f"/freezes/{freeze_id}/lift" not in page
    token = csrf_token(page)
    assert client.post(f"/households/YF0009/freezes/{freeze_id}/lift", data={"csrf_token": token}).status_code == 404
    client.post("/logout", data={"csrf_token": token})
    auth.login("cunweihui")
    page = client.get("/households/YF0009").get_data(as_text=True)
    assert f"/freezes/{freeze_id}/lift" in page
    lifted = client.post(f"/households/YF0009/freezes/{freeze_id}/lift", data={"csrf_token": csrf_token(page)})
    assert lifted.status_code == 302
    assert active_freeze(household.id, date.today()) is None
