"""The grid worker's scoring pages: who may open them, htmx fragments, the no-JS fallback through
ingest_batch, the service worker at the root and the install manifest."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from tests.worlds.pages import csrf_token
from tests.worlds.villages import youfang
from webapp.extensions import db
from webapp.photos.models import EntryPhoto, Photo
from webapp.points.models.entry import Entry, Inspection, InspectionItem
from webapp.points.models.scheme import Item

STATIC = Path(__file__).resolve().parents[2] / "webapp" / "static"
PAGES = ("/score", "/score/event", "/score/inspection", "/score/outbox", "/score/offline")


@pytest.fixture
def world(make):
    """油房村 under the Fengsheng rules; grid worker `w` scores 第一网格 (张三丰 with 张小明, 李四);
    王五 lives in 第二网格."""
    world = youfang(make)
    world["scorer"] = make.user("scorer", username="w", grid_id=world["grid"].id)
    make.user("village_admin", username="a", village_id=world["village"].id)
    make.user("villager", username="v", household_id=world["zhang"].id)
    db.session.commit()
    return world


def html(response) -> str:
    return response.get_data(as_text=True)


def test_scoring_pages_render_for_a_grid_worker_in_chinese(world, auth, client):
    """Every scoring page opens for a scorer, in Chinese, with the data its scripts need."""
    auth.login("w")
    for path in PAGES:
        response = client.get(f"{path}?h=YF0001")
        assert response.status_code == 200, path
        page = html(response)
        assert 'lang="zh-CN"' in page, path
        assert "HX-Request" in response.headers["Vary"], path
        script = client.get(re.search(r'<script src="(/score/strings\.js\?v=\w+)"', page)[1]).get_data(as_text=True)
        strings = json.loads(re.search(r"self\.JifenStrings = (.*);", script, re.S)[1])
        config = json.loads(re.search(r'<script type="application/json" id="jifen-config">(.*?)</script>', page, re.S)[1])
        assert {"saved", "n_pending", "state_parked", "last_sync"} <= strings.keys(), path
        assert config["user"] == world["scorer"].id and config["csrf"], path
        assert "fieldwork/scoring.js?v=" in page and "fieldwork/outbox.js?v=" in page, path
    event = html(client.get("/score/event?h=YF0001"))
    assert "张三丰" in event and "加分项" in event and "减分项" in event
    assert "张小明" in event  # the member select of the household, for the no-JS form
    assert 'capture="environment"' in event and 'accept="image/*"' in event and " multiple" in event
    inspection = html(client.get("/score/inspection?h=YF0001"))
    assert "人居环境" in inspection
    # Base items with `default: met` start ticked; voluntary ones (A1) do not.
    assert re.search(r'name="met" value="B1" checked', inspection)
    assert not re.search(r'name="met" value="A1" checked', inspection)
    home = html(client.get("/home"))
    assert 'href="/score"' in home, "the Score tab is missing for a grid worker"


def test_other_roles_are_refused_and_visitors_sent_to_log_in(world, auth, client):
    """Only scorers score: a village admin and a villager get 403, a visitor the login page."""
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for username in ("a", "v"):
        auth.login(username)
        for path in PAGES:
            assert client.get(path).status_code == 403, (username, path)
        home = html(client.get("/home", follow_redirects=True))
        assert client.post("/score/event", data={"csrf_token": csrf_token(home)}).status_code == 403
        assert 'href="/score"' not in home
        client.post("/logout", data={"csrf_token": csrf_token(home)})


def test_household_search_answers_htmx_with_the_results_block(world, auth, client):
    """Without JS the search is a GET form; htmx gets the results block only, with Vary: HX-Request."""
    auth.login("w")
    full = client.get("/score?q=zsf")
    part = client.get("/score?q=zsf", headers={"HX-Request": "true"})
    assert "<html" in html(full) and "张三丰" in html(full)
    assert "<html" not in html(part) and 'id="results"' in html(part)
    assert "张三丰" in html(part) and "李四" not in html(part)
    assert "王五" not in html(client.get("/score?q=王五", headers={"HX-Request": "true"}))  # another grid
    assert "HX-Request" in part.headers["Vary"] and "HX-Request" in full.headers["Vary"]
    received = client.get("/score/outbox", headers={"HX-Request": "true"})
    assert 'id="received"' in html(received) and "<html" not in html(received)


def _jpeg(size=(800, 600)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_no_js_event_form_stores_the_entry_and_its_photo_once(world, auth, client):
    """Posted without JS, the form goes through ingest_batch: one entry by its form UUID, the photo
    uploaded; posting the same form again changes nothing."""
    auth.login("w")
    page = html(client.get("/score/event?h=YF0001"))
    form_uuid = re.search(r'name="uuid" value="([0-9a-f-]{36})"', page)[1]
    son = next(m for m in world["zhang"].members if m.name == "张小明")
    photo = _jpeg()
    fields = {"csrf_token": csrf_token(page), "uuid": form_uuid, "h": "YF0001", "item": "K5", "member_id": str(son.id),
              "quantity": "1", "occurred_at": "2026-11-20T09:30", "place": "村口", "note": "吵架",
              "scheme_version_id": str(world["version"].id)}
    response = client.post("/score/event", data={**fields, "photos": (io.BytesIO(photo), "a.jpg", "image/jpeg")},
                           content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith("/score/event?h=YF0001")
    entry = db.session.scalar(select(Entry).where(Entry.client_uuid == __import__("uuid").UUID(form_uuid)))
    assert entry is not None and entry.member_id == son.id and entry.recorded_by_id == world["scorer"].id
    assert entry.place == "村口" and entry.occurred_on.isoformat() == "2026-11-20"
    sha = hashlib.sha256(photo).hexdigest()
    stored = db.session.scalar(select(Photo).where(Photo.upload_sha256 == sha))
    assert stored is not None
    assert db.session.scalar(select(EntryPhoto.photo_id).where(EntryPhoto.entry_id == entry.id)) == stored.id
    assert "已" in html(client.get("/score/event?h=YF0001")) or "Saved" in html(client.get("/score"))

    again = client.post("/score/event", data={**fields, "photos": (io.BytesIO(photo), "a.jpg", "image/jpeg")},
                        content_type="multipart/form-data")
    assert again.status_code == 303
    assert db.session.query(Entry).filter(Entry.household_id == world["zhang"].id).count() == 1
    assert db.session.query(Photo).count() == 1


def test_no_js_inspection_form_stores_met_and_unmet_items(world, auth, client):
    """Unticked boxes are shortfalls; the inspection is for the current month."""
    auth.login("w")
    page = html(client.get("/score/inspection?h=YF0002"))
    form_uuid = re.search(r'name="uuid" value="([0-9a-f-]{36})"', page)[1]
    ticked = [code for code in re.findall(r'name="met" value="(\w+)" checked', page) if code != "B3"]
    response = client.post("/score/inspection", data={
        "csrf_token": csrf_token(page), "uuid": form_uuid, "h": "YF0002", "kind": "month", "met": ticked,
        "scheme_version_id": str(world["version"].id)})
    assert response.status_code == 303
    inspection = db.session.scalar(select(Inspection).where(Inspection.household_id == world["li"].id))
    assert inspection is not None and str(inspection.client_uuid) == form_uuid
    states = dict(db.session.execute(
        select(Item.code, InspectionItem.met).join(Item, Item.id == InspectionItem.item_id)
        .where(InspectionItem.inspection_id == inspection.id)).all())
    assert states["B3"] is False and states["B1"] is True and states["A1"] is False


def test_no_js_form_for_a_household_of_another_grid_is_refused_with_the_reason(world, auth, client):
    """The server's reason comes back as a flash; nothing is stored."""
    auth.login("w")
    page = html(client.get("/score/event"))
    response = client.post("/score/event", data={
        "csrf_token": csrf_token(page), "uuid": re.search(r'name="uuid" value="([0-9a-f-]{36})"', page)[1],
        "h": "YF0003", "item": "J2", "quantity": "1"}, follow_redirects=True)
    assert response.status_code == 200
    assert 'class="flash flash-error"' in html(response)
    assert db.session.query(Entry).count() == 0


def test_service_worker_is_served_at_the_root_and_names_every_asset_by_content(world, auth, client, app):
    """/sw.js may control the whole site, is revalidated on every check, and embeds a hash of each
    shell file: a deploy that changes one changes the worker's bytes."""
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype in ("text/javascript", "application/javascript")
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = html(response)
    for name in ("fieldwork/outbox.js", "fieldwork/sync.js", "fieldwork/scoring.js", "fieldwork/camera.js", "vendor/idb-8.0.4/umd.js"):
        digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]
        assert f"/static/{name}?v={digest}" in body, name
    for url in ("/static/css/app.css", "/static/manifest.webmanifest"):
        assert f'"{url}"' in body, url
    assert "htmx" not in body  # the scoring pages do without it (the first load's 60 KB)
    for path in PAGES:
        assert f'"{path}"' in body
    assert '"/api/v1/scoring/bootstrap"' in body
    for url in re.findall(r'"(/static/[^"]+)"', body):
        with client.get(url) as asset:
            assert asset.status_code == 200, url
    assert (STATIC / "vendor" / "idb-8.0.4" / "LICENSE").exists()


def test_manifest_is_valid_json_with_icons_that_exist(client):
    """The install manifest: 积分, opens /score standalone in the notice-board red, icons 192/512 + maskable."""
    with client.get("/static/manifest.webmanifest") as response:
        assert response.status_code == 200
        manifest = json.loads(response.get_data())
    assert manifest["name"] == "积分" and manifest["start_url"] == "/score"
    assert manifest["display"] == "standalone" and manifest["theme_color"].lower() == "#b3261e"
    sizes = set()
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as response:
            data = response.get_data()
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_pages_and_scripts_are_compressed(world, auth, client):
    """Bytes over a village's mobile network: pages and scripts go out compressed."""
    auth.login("w")
    page = client.get("/score", headers={"Accept-Encoding": "gzip"})
    assert page.headers.get("Content-Encoding") == "gzip"
    with client.get("/static/fieldwork/scoring.js", headers={"Accept-Encoding": "gzip, deflate, br"}) as script:
        assert script.headers.get("Content-Encoding") in ("br", "deflate", "gzip")
