"""Village administration pages: uploading a roster and rules, the roster template, and who may.

Uploads go through the real forms: multipart, with the CSRF token taken from the page.
Every refusal is checked for what it shows (in Chinese) and for what it did not write.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.geo import Grid, VillageGroup
from webapp.people.models.household import Household, Member
from webapp.people.schemas import COLUMNS
from webapp.points.models.scheme import Cap, Category, Item, Scheme, SchemeVersion

DATA = Path(__file__).parent.parent / "data"
ROSTER = DATA / "roster"
RULES = DATA / "rules"
FENGSHENG = (RULES / "fengsheng.yaml").read_bytes()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROSTER_ROWS = (Household, Member, VillageGroup, Grid)
SCHEME_ROWS = (Scheme, SchemeVersion, Category, Item, Cap)


def count(model, *where) -> int:
    query = select(func.count()).select_from(model)
    return db.session.scalar(query.where(*where) if where else query)


def counts(*models) -> tuple[int, ...]:
    return tuple(count(m) for m in models)


def imports_recorded() -> int:
    """Audit events of roster and rules imports (logins and user creation are recorded too)."""
    return count(AuditEvent, AuditEvent.action.in_(("roster.import", "scheme.import")))


@pytest.fixture
def town(make):
    """丰盛镇 with 油房村 (managed by admin "yf") and 王家村 (managed by admin "wj")."""
    town = make.town(code="FS")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    make.user("village_admin", username="yf", village_id=yf.id)
    make.user("village_admin", username="wj", village_id=wj.id)
    db.session.commit()
    return {"town": town, "yf": yf, "wj": wj}


def upload(client, path: str, filename: str, content: bytes, village_id: int | None = None, **fields):
    """Open the page, then post the file through its form with the page's CSRF token."""
    page = client.get(path + (f"?village={village_id}" if village_id else ""))
    data = {"csrf_token": csrf_token(page.get_data(as_text=True)), "file": (io.BytesIO(content), filename), **fields}
    if village_id is not None:
        data["village"] = str(village_id)
    return client.post(path, data=data, content_type="multipart/form-data")


# --- roster -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("filename", "codes"), [
    ("good.csv", {"YF001", "YF002", "YF003"}),
    ("good.xlsx", {"1001", "XL002"}),
])
def test_village_admin_uploads_a_roster_and_the_households_exist(town, auth, client, filename, codes):
    """A good .csv or .xlsx uploaded on /admin/roster creates its households in the admin's village
    and says how many, in Chinese."""
    auth.login("yf")

    response = upload(client, "/admin/roster", filename, (ROSTER / filename).read_bytes(), town["yf"].id)

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"花名册已导入：新增{len(codes)}户，更新0户。" in page
    assert set(db.session.scalars(select(Household.code).where(Household.village_id == town["yf"].id))) == codes
    assert count(Household, Household.village_id == town["wj"].id) == 0
    assert count(AuditEvent, AuditEvent.action == "roster.import") == 1


def test_a_village_admin_of_one_village_need_not_choose_it(town, auth, client):
    """With a single village, the form works without naming it; the page is titled with its name."""
    auth.login("yf")
    page = client.get("/admin/roster").get_data(as_text=True)
    assert "导入花名册 · 油房村" in page and "下载模板" in page

    response = upload(client, "/admin/roster", "good.csv", (ROSTER / "good.csv").read_bytes())

    assert response.status_code == 302
    assert count(Household, Household.village_id == town["yf"].id) == 3


def test_bad_roster_is_refused_with_422_and_each_row_and_column_listed_in_chinese(town, auth, client):
    """bad.csv answers 422, lists each bad cell by row and column with its reason, and writes nothing."""
    auth.login("yf")

    response = upload(client, "/admin/roster", "bad.csv", (ROSTER / "bad.csv").read_bytes(), town["yf"].id)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "花名册未导入：有8行存在问题。" in page
    assert "发现问题" in page and "未导入任何内容。请改正以下问题后重新上传文件。" in page
    for place in ("第3行，“户编码”列", "第4行，“户主”列", "第5行，“户编码”列", "第6行，“常住”列",
                  "第7行，“入户日期”列", "第8行，“联系电话”列", "第8行，“身份证号”列", "第10行，“户编码”列",
                  "第11行，“家庭成员”列"):
        assert place in page, place
    assert page.count("<tr><td>第") == 9  # one table row per bad cell
    assert "户编码YF101已在第2行使用。" in page and "“也许”无效" in page
    assert counts(*ROSTER_ROWS) == (0, 0, 0, 0) and imports_recorded() == 0


def test_roster_that_is_not_a_spreadsheet_is_refused_and_nothing_written(town, auth, client):
    """A file of another kind is refused with a message; nothing is written."""
    auth.login("yf")

    response = upload(client, "/admin/roster", "roster.pdf", b"%PDF-1.4 not a roster", town["yf"].id)

    assert response.status_code == 422
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    assert counts(*ROSTER_ROWS) == (0, 0, 0, 0)


def test_roster_upload_without_csrf_token_is_refused_and_nothing_written(town, auth, client):
    """The upload form needs its CSRF token like every other form."""
    auth.login("yf")

    response = client.post("/admin/roster", data={
        "file": (io.BytesIO((ROSTER / "good.csv").read_bytes()), "good.csv"), "village": str(town["yf"].id),
    }, content_type="multipart/form-data")

    assert response.status_code == 400
    assert count(Household) == 0


def test_roster_template_downloads_as_an_xlsx_with_the_chinese_columns(town, auth, client):
    """The template is an .xlsx attachment whose header row is the documented columns."""
    auth.login("yf")

    response = client.get("/admin/roster/template.xlsx")

    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert "attachment" in response.headers["Content-Disposition"]
    assert "roster-template.xlsx" in response.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert header == [c.title for c in COLUMNS]
    assert header == ["户编码", "户主", "村民小组", "网格", "地址", "联系电话", "身份证号", "家庭成员", "常住",
                      "参与积分", "入户日期"]


def test_filled_in_template_uploads_back(town, auth, client):
    """The downloaded template, as it comes, is a valid roster (its example row becomes a household)."""
    auth.login("yf")
    template = client.get("/admin/roster/template.xlsx").data

    response = upload(client, "/admin/roster", "roster-template.xlsx", template, town["yf"].id)

    assert response.status_code == 302
    assert count(Household, Household.village_id == town["yf"].id) == 1


# --- scheme -------------------------------------------------------------------------------------

def test_village_admin_uploads_rules_and_the_version_is_listed(town, auth, client):
    """fengsheng.yaml uploaded on /admin/scheme becomes version 1 in force from the date given,
    and the page lists it."""
    auth.login("yf")

    response = upload(client, "/admin/scheme", "fengsheng.yaml", FENGSHENG, town["yf"].id,
                      effective_from="2026-01-01")

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "积分规则已导入为第1版，自2026-01-01起生效。" in page
    assert "版本记录" in page and "丰盛镇乡村治理积分制" in page and "2026-01-01" in page
    version = db.session.scalars(select(SchemeVersion)).one()
    assert (version.scheme.village_id, version.number) == (town["yf"].id, 1)
    assert version.source_text == FENGSHENG.decode("utf-8")
    assert version.imported_by.username == "yf"


def test_uploading_the_same_rules_again_changes_nothing(town, auth, client):
    """A second upload of the same file says so and adds no version."""
    auth.login("yf")
    assert upload(client, "/admin/scheme", "fengsheng.yaml", FENGSHENG, town["yf"].id).status_code == 302
    before = counts(*SCHEME_ROWS)

    response = upload(client, "/admin/scheme", "fengsheng.yaml", FENGSHENG, town["yf"].id)

    assert response.status_code == 302
    assert "与最新版本相同，未作更改。" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert counts(*SCHEME_ROWS) == before


def test_broken_yaml_is_refused_with_422_and_its_problems_listed_and_nothing_written(town, auth, client):
    """A malformed YAML file answers 422 with the problem and its line, in Chinese; nothing is written."""
    auth.login("yf")

    response = upload(client, "/admin/scheme", "broken.yaml", "scheme: [\n  code: x\n".encode(), town["yf"].id)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "积分规则未导入，请修改文件后重试。" in page
    assert "发现问题" in page and "文件不是有效的YAML" in page and "第3行" in page
    assert counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0) and imports_recorded() == 0


def test_rules_with_several_problems_list_each_one(town, auth, client):
    """An unknown policy value, a duplicate item code and a cap naming an unknown item are all listed."""
    auth.login("yf")
    broken = (FENGSHENG.decode("utf-8").replace("balance: carry_over", "balance: weird")
              .replace("{code: A2, points: 2,", "{code: A1, points: 2,")
              .replace("items: [J6, J7, J8, J9]", "items: [J6, J7, J8, J99]"))

    response = upload(client, "/admin/scheme", "broken.yaml", broken.encode("utf-8"), town["yf"].id)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "policies.balance" in page and "weird" in page
    assert "项目编码A1重复" in page
    assert "积分上限列出了不存在的项目J99" in page
    assert page.count("<tr><td>第") == 3
    assert counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0)


# --- who may ------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["reviewer", "scorer", "auditor", "villager"])
def test_other_roles_get_403_on_the_import_pages_and_write_nothing(town, make, auth, client, role):
    """A reviewer, grid worker, auditor or villager may neither open nor post the import pages."""
    grid = make.grid(town["yf"])
    household = make.household(town["yf"], code="YF9001")
    scope = {"reviewer": {"village_id": town["yf"].id}, "auditor": {"village_id": town["yf"].id},
             "scorer": {"grid_id": grid.id}, "villager": {"household_id": household.id}}[role]
    make.user(role, username="other", **scope)
    db.session.commit()
    auth.login("other")
    token = csrf_token(client.get("/home", follow_redirects=True).get_data(as_text=True))

    for path in ("/admin/roster", "/admin/scheme", "/admin/roster/template.xlsx"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "您无权查看此内容。" in response.get_data(as_text=True)
    roster = client.post("/admin/roster", content_type="multipart/form-data", data={
        "csrf_token": token, "village": str(town["yf"].id),
        "file": (io.BytesIO((ROSTER / "good.csv").read_bytes()), "good.csv")})
    scheme = client.post("/admin/scheme", content_type="multipart/form-data", data={
        "csrf_token": token, "village": str(town["yf"].id), "file": (io.BytesIO(FENGSHENG), "fengsheng.yaml")})

    assert (roster.status_code, scheme.status_code) == (403, 403)
    assert count(Household) == 1  # only the villager's own, made above
    assert counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0)


def test_anonymous_visitors_are_sent_to_log_in(town, client):
    """The import pages need a login."""
    for path in ("/admin/roster", "/admin/scheme", "/admin/roster/template.xlsx"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path


def test_village_admin_cannot_import_a_roster_into_another_village(town, auth, client):
    """Naming another village's id imports nothing anywhere, and that village's name is not shown."""
    auth.login("yf")

    response = upload(client, "/admin/roster", "good.csv", (ROSTER / "good.csv").read_bytes(), town["wj"].id)

    assert response.status_code in (200, 403, 404)
    assert "王家村" not in response.get_data(as_text=True)
    assert counts(*ROSTER_ROWS) == (0, 0, 0, 0) and imports_recorded() == 0


def test_village_admin_cannot_import_rules_into_another_village(town, auth, client):
    """Naming another village's id imports no rules anywhere, and that village's name is not shown."""
    auth.login("yf")

    response = upload(client, "/admin/scheme", "fengsheng.yaml", FENGSHENG, town["wj"].id)

    assert response.status_code in (200, 403, 404)
    assert "王家村" not in response.get_data(as_text=True)
    assert counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0) and imports_recorded() == 0


def test_village_admin_does_not_see_another_villages_rules(town, make, auth, client):
    """The versions listed are the admin's village's only."""
    make.scheme(town["wj"], "bieshan")
    db.session.commit()
    auth.login("yf")

    page = client.get(f"/admin/scheme?village={town['wj'].id}").get_data(as_text=True)
    own = client.get("/admin/scheme").get_data(as_text=True)

    assert "版本记录" not in page and "版本记录" not in own
    assert "王家村" not in page


def test_town_admin_imports_into_the_village_they_choose(town, make, auth, client):
    """A town admin manages all the town's villages: the upload lands in the one named."""
    make.user("town_admin", username="fs", town_id=town["town"].id)
    db.session.commit()
    auth.login("fs")
    page = client.get("/admin/roster").get_data(as_text=True)
    assert "油房村" in page and "王家村" in page  # the village picker

    response = upload(client, "/admin/roster", "good.csv", (ROSTER / "good.csv").read_bytes(), town["wj"].id)

    assert response.status_code == 302
    assert count(Household, Household.village_id == town["wj"].id) == 3
    assert count(Household, Household.village_id == town["yf"].id) == 0


# --- refusals that should say so (app bugs, see the reasons) ------------------------------------

def test_rules_file_not_in_utf8_is_never_stored_garbled(town, auth, client):
    """A rules file saved as GB18030 is either read correctly or refused with 422; a version with
    garbled names must never be stored (versions are immutable)."""
    auth.login("yf")
    text_ = FENGSHENG.decode("utf-8")

    response = upload(client, "/admin/scheme", "fengsheng.yaml", text_.encode("gb18030"), town["yf"].id)

    if response.status_code == 422:
        assert counts(*SCHEME_ROWS) == (0, 0, 0, 0, 0)
    else:
        assert db.session.scalars(select(Scheme.name)).one() == "丰盛镇乡村治理积分制"
        assert "\ufffd" not in db.session.scalars(select(SchemeVersion.source_text)).one()


def test_upload_into_another_village_is_refused_with_a_message(town, auth, client):
    """Posting to a village one does not manage is answered as a refusal (403/404) that says why."""
    auth.login("yf")

    response = upload(client, "/admin/roster", "good.csv", (ROSTER / "good.csv").read_bytes(), town["wj"].id)

    assert response.status_code in (403, 404)
    assert "请选择您负责的村。" in response.get_data(as_text=True) or response.status_code == 403
    assert count(Household) == 0


def test_upload_without_a_file_is_refused_with_a_message(town, auth, client):
    """Posting the form with no file is answered 400/422 with an error message, nothing written."""
    auth.login("yf")
    page = client.get("/admin/roster").get_data(as_text=True)

    response = client.post("/admin/roster", data={"csrf_token": csrf_token(page), "village": str(town["yf"].id)},
                           content_type="multipart/form-data")

    assert response.status_code in (400, 422)
    assert 'class="flash flash-error"' in response.get_data(as_text=True) or "错误" in response.get_data(as_text=True)
    assert count(Household) == 0
