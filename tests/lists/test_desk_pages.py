"""The service desk and disclosure admin pages: registering and moving matters, overdue matters standing
out, the monthly summary, and uploads (a renamed program is refused in the user's language, nothing written)."""

from __future__ import annotations

import io
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale, ngettext
from sqlalchemy import func, select

from tests.worlds.lists import ELF, PDF, desk_village, jpeg
from tests.worlds.pages import post, zh
from webapp.extensions import db
from webapp.lists.models import Attachment, Disclosure, ServiceMatter
from webapp.lists.services import service_desk


@pytest.fixture
def village(app, make):
    """油房村 with adopted lists, two households, its admin; an empty attachment folder."""
    shutil.rmtree(Path(app.config["DATA_DIR"]) / "attachments", ignore_errors=True)
    village, village.items = desk_village(make)
    make.user("village_admin", username="yf", village_id=village.id)
    db.session.commit()
    return village


def stored(app) -> int:
    root = Path(app.config["DATA_DIR"]) / "attachments"
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def test_registering_a_matter_through_the_form_sets_its_due_date_from_the_item(client, auth, village):
    """FW-01 takes 7 days by its steps: received on 2 March, due on 9 March."""
    auth.login("yf")
    response = post(client, "/admin/desk", "/admin/desk", {
        "village": village.id, "household": "YF0001", "item": village.items["FW-01"].id,
        "received_on": "2026-03-02", "handler": "王专员", "notes": "代办参保"})
    matter = db.session.scalar(select(ServiceMatter))
    assert response.headers["Location"].endswith(f"/admin/desk/{matter.id}")
    assert (matter.due_on, matter.handler, matter.status) == (date(2026, 3, 9), "王专员", "received")


def test_an_unknown_household_is_refused_with_a_message(client, auth, village):
    """Nothing is logged; the page says why."""
    auth.login("yf")
    post(client, "/admin/desk", "/admin/desk",
         {"village": village.id, "household": "XX9999", "item": village.items["FW-01"].id})
    page = client.get("/admin/desk").get_data(as_text=True)
    assert zh("No household with code %(code)s in this village.", code="XX9999") in page
    assert db.session.scalar(select(func.count(ServiceMatter.id))) == 0


def test_an_overdue_matter_stands_out_at_the_top_of_the_log(client, auth, village):
    """Past its due date and still open: first, marked overdue, with the number of days."""
    today = date.today()
    late = service_desk.register(village, "YF0002", village.items["FW-01"].id, today - timedelta(days=10))
    service_desk.register(village, "YF0001", village.items["FW-02"].id, today)
    db.session.commit()
    auth.login("yf")
    html = client.get("/admin/desk").get_data(as_text=True)
    first = html.index('<li class="matter')
    assert html[first:].startswith('<li class="matter overdue">')
    assert html.index("李四") < html.index("张三丰")
    with force_locale("zh_CN"):
        assert ngettext("%(num)d day overdue", "%(num)d days overdue", 3) in html  # due 3 days ago
    only = client.get("/admin/desk?status=overdue", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert only.lstrip().startswith('<section class="card" id="results">') and "张三丰" not in only
    assert late.number in only


def test_a_matter_moves_through_the_form_and_a_return_needs_a_reason(client, auth, village):
    """Start, then return without a reason (refused), then with one."""
    matter = service_desk.register(village, "YF0001", village.items["FW-01"].id, date(2026, 3, 2))
    db.session.commit()
    auth.login("yf")
    url = f"/admin/desk/{matter.id}"
    post(client, url, url, {"action": "start", "on": "2026-03-03"})
    post(client, url, url, {"action": "return", "on": "2026-03-04", "reason": ""})
    assert zh("Say why the matter is returned.") in client.get(url).get_data(as_text=True)
    post(client, url, url, {"action": "return", "on": "2026-03-04", "reason": "缺少户口簿"})
    db.session.expire_all()
    matter = db.session.get(ServiceMatter, matter.id)
    assert (matter.status, matter.return_reason) == ("returned", "缺少户口簿")
    assert [e.to_status for e in matter.events] == ["received", "in_progress", "returned"]


def test_the_monthly_summary_page(client, auth, village):
    """Figures of the month for the village's committee."""
    matter = service_desk.register(village, "YF0001", village.items["ZM-01"].id, date(2026, 3, 2))
    service_desk.transition(matter, "finish", date(2026, 3, 3))
    db.session.commit()
    auth.login("yf")
    html = client.get("/admin/desk?view=summary&month=2026-03").get_data(as_text=True)
    assert "居住证明" in html and html.count('class="value">1<') >= 3
    assert client.get("/admin/desk?view=summary&month=2026-99").status_code == 400


def test_a_renamed_executable_is_refused_with_a_clear_message_and_nothing_is_written(app, client, auth, village):
    """An ELF (or MZ) file named .pdf, attached to a post or a matter: a message in the page's language, no file, no row."""
    matter = service_desk.register(village, "YF0001", village.items["FW-01"].id, date(2026, 3, 2))
    db.session.commit()
    auth.login("yf")
    before = (stored(app), db.session.scalar(select(func.count(Disclosure.id))))
    post(client, "/admin/disclosures", "/admin/disclosures", {
        "village": village.id, "category": "finance", "title": "三月财务公开", "published_on": "2026-03-31",
        "files": [(io.BytesIO(ELF), "财务报表.pdf")]}, content_type="multipart/form-data")
    url = f"/admin/desk/{matter.id}"
    post(client, url, url, {"action": "attach", "files": [(io.BytesIO(b"MZ" + ELF[2:]), "scan.pdf")]},
         content_type="multipart/form-data")
    page = client.get(url).get_data(as_text=True)
    message = zh("This file is a program or an archive, not a PDF or a picture, whatever its name says. It was not saved.")
    assert message in page or message in client.get("/admin/disclosures").get_data(as_text=True)
    assert (stored(app), db.session.scalar(select(func.count(Disclosure.id)))) == before
    assert db.session.scalar(select(func.count(Attachment.id))) == 0


def test_a_post_with_a_pdf_and_a_picture_is_public_and_a_matters_file_is_not(app, client, auth, village,
                                                                           object_store):
    """The post's files download for anyone; a matter's file only for the village's admins."""
    auth.login("yf")
    post(client, "/admin/disclosures", "/admin/disclosures", {
        "village": village.id, "category": "finance", "title": "三月财务公开", "published_on": "2026-03-31",
        "body": "本月收入 12,000 元", "files": [(io.BytesIO(PDF), "收支表.pdf"), (io.BytesIO(jpeg()), "公示栏.jpg")]},
        content_type="multipart/form-data")
    disclosure = db.session.scalar(select(Disclosure))
    assert [a.content_type for a in disclosure.attachments] == ["application/pdf", "image/jpeg"]
    matter = service_desk.register(village, "YF0001", village.items["FW-01"].id, date(2026, 3, 2))
    db.session.commit()
    url = f"/admin/desk/{matter.id}"
    post(client, url, url, {"action": "attach", "files": [(io.BytesIO(PDF), "户口簿.pdf")]}, content_type="multipart/form-data")
    private = db.session.scalar(select(Attachment).where(Attachment.matter_id == matter.id))
    assert client.get(f"/attachments/{private.id}").status_code == 200

    public = client.application.test_client()
    html = public.get(f"/v/YF/disclosures/{disclosure.id}").get_data(as_text=True)
    assert "本月收入 12,000 元" in html and "收支表.pdf" in html
    picture = public.get(f"/attachments/{disclosure.attachments[1].id}")
    assert picture.mimetype == "image/jpeg" and picture.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in picture.headers.get("Content-Disposition", "")
    assert public.get(f"/attachments/{private.id}").status_code == 404
