"""Importing staff from .xlsx: a good file creates every account with a one-time password shown once; a bad
file is refused whole with one message per bad row (row, column, reason) and nothing written."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.refusals import refused
from tests.worlds.pages import csrf_token, zh
from tests.worlds.staff import staff_xlsx
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.user import User
from webapp.people.services.roster_check import RosterError
from webapp.people.services.roster_file import MAX_ROSTER_BYTES
from webapp.people.services.staff_import import import_staff


@pytest.fixture
def town(make, auth):
    """Town FS: 油房村 YF (grids W1, W2), 王家村 WJ (grid W3); town admin `zhen` logged in."""
    town = make.town(code="FS")
    yf, wj = make.village(town, code="YF", name="油房村"), make.village(town, code="WJ", name="王家村")
    for village, code in ((yf, "W1"), (yf, "W2"), (wj, "W3")):
        make.grid(village, name=f"网格{code}").code = code
    make.user("town_admin", username="zhen", town_id=town.id)
    db.session.commit()
    auth.login("zhen")
    return {"town": town, "yf": yf, "wj": wj}


def upload(client, data: bytes, filename: str = "staff.xlsx"):
    token = csrf_token(client.get("/admin/staff/import").get_data(as_text=True))
    return client.post("/admin/staff/import", data={"csrf_token": token, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def users() -> int:
    return db.session.scalar(select(func.count(User.id)))


GOOD = (("李网格", "li.wg", "13800138000", "网格员", "YF", "W1、W2"),
        ("王委员", "wang.cw", "", "village_admin", "YF", ""),
        ("赵评议", "zhao.py", "021-5555 1234", "评议小组", "WJ", ""))


def test_a_good_file_creates_every_account_and_shows_each_one_time_password_once(town, client, auth, app):
    """Three accounts; each password appears on the result page, logs in, and is stored only hashed."""
    answer = upload(client, staff_xlsx(*GOOD))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    html = answer.get_data(as_text=True)
    passwords = dict(re.findall(r"<td><code>([a-z.]+)</code></td><td>[^<]*</td><td><code>([a-z0-9]+)</code>", html))
    assert set(passwords) == {"li.wg", "wang.cw", "zhao.py"}
    grid_worker = db.session.scalar(select(User).where(User.username == "li.wg"))
    assert sorted(g.role for g in grid_worker.grants) == ["scorer", "scorer"] and grid_worker.phone == "13800138000"
    assert passwords["li.wg"] not in grid_worker.password_hash
    for username, password in passwords.items():
        from tests.worlds.pages import Auth

        assert Auth(app.test_client()).login(username, password).status_code == 302
    assert passwords["li.wg"] not in client.get("/admin/staff/import").get_data(as_text=True)
    details = [e.detail for e in db.session.scalars(select(AuditEvent))]
    assert not any(p in repr(details) for p in passwords.values())


def test_a_bad_staff_file_is_refused_whole_with_one_message_per_row_and_nothing_written(town, client):
    """Unknown village, a username taken in the database and one repeated in the file, a grid of another
    village, a phone with letters, an unknown role, a missing name: one message per bad row, no account."""
    before, created = users(), db.session.scalar(select(func.count(AuditEvent.id)))
    bad = staff_xlsx(
        ("李网格", "li.wg", "13800138000", "网格员", "YF", "W1"),         # row 2: good
        ("张三", "zhang", "13800138001", "网格员", "XX", "W1"),          # 3: unknown village
        ("钱七", "zhen", "13800138002", "评议小组", "YF", ""),            # 4: username taken in the database
        ("孙八", "li.wg", "13800138003", "评议小组", "YF", ""),           # 5: username repeated in the file
        ("周九", "zhou", "13800138004", "网格员", "YF", "W3"),           # 6: a grid of 王家村
        ("吴十", "wu", "138-ABCD-0000", "评议小组", "YF", ""),            # 7: phone with letters
        ("郑一", "zheng", "", "村长", "YF", ""),                          # 8: unknown role
        ("", "noname", "", "评议小组", "YF", ""),                         # 9: missing name
    )
    answer = upload(client, bad)
    assert answer.status_code == 422
    html = answer.get_data(as_text=True)
    where = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td></tr>", html)
    assert [w for w, _ in where] == [
        f"第{row}行，“{column}”列" for row, column in
        ((3, "村"), (4, "用户名"), (5, "用户名"), (6, "网格"), (7, "联系电话"), (8, "角色"), (9, "姓名"))
    ], where
    assert zh("No village with code %(code)s among yours.", code="XX") in html
    assert zh("The username %(username)s is taken.", username="zhen") in html
    assert zh("The username %(username)s is already used on row %(first_row)s.", username="li.wg", first_row=2) in html
    assert zh("The grid %(code)s belongs to %(other)s, not to %(village)s.", code="W3", other="王家村",
              village="油房村") in html
    assert zh("%(value)s is not a phone number: use digits, with an optional +, - or spaces (7 to 20 characters).",
              value="138-ABCD-0000") in html
    assert zh("%(value)s is not a role you can give here.", value="村长") in html
    assert zh("The name is missing.") in html
    assert users() == before and db.session.scalar(select(func.count(AuditEvent.id))) == created


def test_a_village_admin_imports_only_into_their_own_village_and_no_town_role(town, client, auth, make):
    make.user("village_admin", username="yfadmin", village_id=town["yf"].id)
    db.session.commit()
    auth.logout()
    auth.login("yfadmin")
    before = users()
    answer = upload(client, staff_xlsx(("甲", "jia", "", "评议小组", "WJ", ""), ("乙", "yi", "", "镇管理员", "", "")))
    assert answer.status_code == 422 and users() == before
    html = answer.get_data(as_text=True)
    assert zh("No village with code %(code)s among yours.", code="WJ") in html
    assert upload(client, staff_xlsx(("丙", "bing", "", "评议小组", "YF", ""))).status_code == 200
    assert users() == before + 1


def test_the_file_is_bounded_before_it_is_read_and_the_template_downloads(town, client):
    """Over the roster's size limit: refused unread; the template has the Chinese headers."""
    zhen = db.session.scalar(select(User).where(User.username == "zhen"))
    with refused("The file %(filename)s is %(size)s MB; at most %(max)s MB can be imported at once. Split it "
                 "into smaller files, for example one per village group.", RosterError):
        import_staff(zhen, "big.xlsx", b"PK" + b"\0" * (MAX_ROSTER_BYTES + 1))
    assert users() == 1
    template = client.get("/admin/staff/import/template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(template.data)).active
    assert [c.value for c in sheet[1]] == ["姓名", "用户名", "联系电话", "角色", "村", "网格"]


def test_a_missing_required_column_is_named(town, client):
    answer = upload(client, staff_xlsx(("李", "li"), headers=("姓名", "用户名")))
    assert answer.status_code == 422
    assert zh("The required column %(column)s is missing.", column="角色") in answer.get_data(as_text=True)
