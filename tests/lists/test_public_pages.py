"""Public list pages (no login): a village's lists, items with their one-map, old versions, the print
booklet with its QR code, disclosures and their attachments — and nothing that names a household."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from flask import current_app

from tests.worlds.lists import PDF, adopted_lists
from tests.worlds.pages import Auth
from webapp.extensions import db
from webapp.lists.services import disclosures, service_desk, versions
from webapp.lists.services.attachments import attachment_root

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def village(make):
    """油房村 with adopted lists (in force since 10 January 2026), a household and an admin."""
    village = make.village(make.town(code="FS", name="丰盛镇"), code="YF", name="油房村")
    adopted_lists(village)
    make.household(village, head="张三丰", code="YF0001", phone="13812345678")
    make.user("village_admin", username="yf", village_id=village.id)
    db.session.commit()
    return village


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def test_a_villager_without_logging_in_reads_the_lists_and_an_item_with_its_chart(client, village):
    """The village's lists, then an item: its flow chart (inline SVG, every step) and its facts."""
    index = page(client, "/v/YF/lists")
    assert "服务群众事项清单" in index and "依法出具证明事项清单" in index
    item = page(client, "/v/YF/lists/FW/items/FW-01")
    svg = ET.fromstring(re.search(r"<svg xmlns=.*?</svg>", item, re.S).group(0))
    steps = ["".join(t.text for t in g.iter(SVG + "text") if t.get("class") == "action")
             for g in svg.iter(SVG + "g") if g.get("class") == "step"]
    assert steps == ["携带材料到村便民服务站提出申请", "审核材料，录入系统；材料不全的一次性告知", "审核并办理参保登记", "告知申请人办理结果"]
    for fact in ("村便民服务站", "居民身份证", "国发〔2014〕8号", "村务监督委员会", "镇社会保障服务中心"):
        assert fact in item
    assert "<script" not in item.split("</main>")[0].split('<main id="main">')[1]  # the chart needs no JavaScript


def test_the_chart_alone_downloads_as_an_svg_image(client, village):
    """For printing on the wall: image/svg+xml, never sniffed, valid XML."""
    response = client.get("/v/YF/lists/FW/items/FW-02/chart.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert ET.fromstring(response.get_data(as_text=True)).get("role") == "img"


def test_search_finds_items_by_words_and_answers_htmx_with_the_results_only(client, village):
    """Active search: the whole page normally, the results block for htmx; Vary: HX-Request either way."""
    full = client.get("/v/YF/lists?q=居住")
    assert "居住证明" in full.get_data(as_text=True) and "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]
    partial = client.get("/v/YF/lists?q=生活保障 评议", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert partial.lstrip().startswith('<section class="card" id="results">')
    assert "最低生活保障申请" in partial and "居住证明" not in partial


def test_adopting_a_new_version_keeps_the_old_versions_public_page_unchanged(client, village):
    """Version 1's page reads the same after version 2 is adopted and in force, and says it is no longer in force."""
    before = page(client, "/v/YF/lists/FW/v1")
    service = village_list(village, "FW")
    draft = versions.start_draft(service)
    versions.save_item(draft, versions.item_content(draft.items[0]) | {"name": "养老保险参保登记（新）"}, draft.items[0])
    versions.adopt(draft, date(2026, 2, 1), "村民代表会议表决通过", date(2026, 2, 2))
    db.session.commit()

    after = page(client, "/v/YF/lists/FW/v1")
    current = page(client, "/v/YF/lists/FW")

    assert items_of(after) == items_of(before) == ["城乡居民基本养老保险参保登记", "最低生活保障申请"]
    assert "养老保险参保登记（新）" in items_of(current)
    assert "/v/YF/lists/FW\"" in after  # a link to the version in force
    assert "城乡居民基本养老保险参保登记" in page(client, "/v/YF/lists/FW/v1/items/FW-01")


def village_list(village, code):
    from webapp.lists.services.catalog import village_lists

    return next(d for d in village_lists(village) if d.code == code)


def items_of(html: str) -> list[str]:
    return re.findall(r'<li><a href="/v/YF/lists/FW(?:/v\d+)?/items/[^"]+">\s*<span>\d+\. ([^<]+)', html)


def test_drafts_and_unknown_lists_are_not_public(client, village):
    """A draft is the committee's work in progress: 404, like a list or village that does not exist."""
    versions.start_draft(village_list(village, "FW"))
    db.session.commit()
    for url in ("/v/YF/lists/FW/v2", "/v/YF/lists/FW/v2/items/FW-01", "/v/YF/lists/NOPE", "/v/XX/lists",
                "/v/YF/lists/FW/items/NOPE", "/v/YF/lists/FW/v9/print"):
        page(client, url, 404)


def test_the_booklet_prints_one_item_per_page_with_a_qr_code_to_the_live_page(client, village):
    """Print CSS breaks the page before each item; a QR code (inline SVG, made on the server) leads back."""
    html = page(client, "/v/YF/lists/FW/print")
    assert html.count('class="card booklet-page"') == 2
    assert ".booklet-page { break-before: page; }" in html and "@page { size: A4" in html
    assert html.count('class="segno"') == 3  # the cover and each item
    assert "http://localhost/v/YF/lists/FW/items/FW-02" in html


def test_the_service_desk_log_is_not_public(client, auth, make, village):
    """Not logged in: redirected to the login page; a villager: 403; another village's admin: 404 for a matter."""
    item = village_list(village, "FW").versions[0].items[0]
    matter = service_desk.register(village, "YF0001", item.id, date(2026, 3, 2))
    db.session.commit()
    for url in ("/admin/desk", f"/admin/desk/{matter.id}", "/admin/desk?view=summary"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    make.user("villager", username="hh", household_id=matter.household_id)
    make.user("village_admin", username="wj", village_id=make.village(village.town, code="WJ").id)
    db.session.commit()
    auth.login("hh")
    assert client.get("/admin/desk").status_code == 403
    other = client.application.test_client()
    Auth(other).login("wj")
    assert other.get(f"/admin/desk/{matter.id}").status_code == 404


def test_public_pages_name_no_household(client, village):
    """Lists, items, booklet and disclosures show no household name, phone or code, even with matters logged."""
    item = village_list(village, "FW").versions[0].items[0]
    service_desk.register(village, "YF0001", item.id, date(2026, 3, 2), notes="张三丰 13812345678")
    disclosures.post(village, "village", "2026年3月低保评议结果", "评议结果见附件", date(2026, 3, 5))
    db.session.commit()
    for url in ("/v", "/v/YF/lists", "/v/YF/lists/FW", "/v/YF/lists/FW/items/FW-01", "/v/YF/lists/FW/print",
                "/v/YF/disclosures", "/v/YF/disclosures?print=1&month=2026-03", "/v/YF/lists?q=养老"):
        html = page(client, url)
        assert "张三丰" not in html and "13812345678" not in html and "YF0001" not in html


def test_disclosures_are_dated_public_posts_archived_by_month_with_a_print_view(client, village):
    """Posts show from their date on, grouped by month, by category when asked; a future post stays hidden."""
    today = date.today()
    disclosures.post(village, "finance", "一月财务收支公开", "收入 12,000 元", date(2026, 1, 31))
    disclosures.post(village, "party", "发展党员公示", "公示期5天", date(2026, 2, 3))
    future = disclosures.post(village, "village", "下月的公示", "", today + timedelta(days=3))
    db.session.commit()
    html = page(client, "/v/YF/disclosures")
    assert html.index("发展党员公示") < html.index("一月财务收支公开") and "下月的公示" not in html
    assert "一月财务收支公开" not in page(client, "/v/YF/disclosures?category=party")
    assert "发展党员公示" not in page(client, "/v/YF/disclosures?month=2026-01")
    printed = page(client, "/v/YF/disclosures?print=1&month=2026-01")
    assert "收入 12,000 元" in printed and 'class="segno"' in printed
    page(client, f"/v/YF/disclosures/{future.id}", 404)
    page(client, "/v/YF/disclosures?month=2026-13", 400)


def test_a_public_pdf_attachment_downloads_with_its_type_and_never_sniffed(client, village):
    """application/pdf, nosniff, as an attachment; a picture shows inline; a future post's file is 404."""
    post = disclosures.post(village, "finance", "三月财务公开", "", date(2026, 3, 31), files=[("三月收支.pdf", PDF)],
                            root=attachment_root(current_app.config))
    later = disclosures.post(village, "finance", "未来", "", date.today() + timedelta(days=5), files=[("x.pdf", PDF)],
                             root=attachment_root(current_app.config))
    db.session.commit()
    response = client.get(f"/attachments/{post.attachments[0].id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(f"/attachments/{later.attachments[0].id}").status_code == 404
