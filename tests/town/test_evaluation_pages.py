"""The village evaluation on its pages: the town loads Pudong's template, edits an item, enters a village's
items with a note and an evidence photo, reads the ranking and publishes it; a village admin reads only
its own village's result, a 包村干部 theirs; nobody else writes."""

from __future__ import annotations

from io import BytesIO

from PIL import Image
from sqlalchemy import select

from tests.worlds.pages import Auth, post, zh
from tests.worlds.town.evaluation import evaluation_town
from webapp.extensions import db
from webapp.town.models.evaluation import EvaluationItem, EvaluationValue, VillageEvaluation

PAGE = "/town/evaluation?year=2026"


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def _set_up(client, auth, w) -> VillageEvaluation:
    auth.login("fsadmin")
    assert post(client, PAGE, "/town/evaluation/2026/template", {}).status_code == 302
    return db.session.scalar(select(VillageEvaluation))


def test_the_town_loads_pudongs_template_enters_items_and_publishes(make, auth, client):
    w = evaluation_town(make)
    db.session.commit()
    evaluation = _set_up(client, auth, w)
    page = client.get(PAGE).get_data(as_text=True)
    assert "户户参与（家庭户积分折算为行政村积分）" in page and "重大负面舆情" in page
    assert zh("Publish to the villages") in page and "油房村" in page
    old = db.session.scalar(select(EvaluationItem).where(EvaluationItem.name == "为老服务"))
    saved = post(client, PAGE, f"/town/evaluation/2026/items/{old.id}",
                 {"name": "为老服务", "kind": "key", "method": "manual", "max_points": "12"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(EvaluationItem, old.id).max_points == 12

    url = f"/town/evaluation/2026/villages/{w['yf'].id}"
    form = client.get(url).get_data(as_text=True)
    assert "为老服务" in form and "户户参与" not in form  # computed items are not entered
    entered = post(client, url, url, {f"points_{old.id}": "11", f"note_{old.id}": "敬老活动4次",
                                      f"photo_{old.id}": (BytesIO(_jpeg()), "old.jpg")},
                   content_type="multipart/form-data")
    assert entered.status_code == 302
    value = db.session.scalar(select(EvaluationValue))
    assert (value.points, value.note, value.photo_id is not None) == (11, "敬老活动4次", True)
    page = client.get(PAGE).get_data(as_text=True)
    assert zh("Entered by the town: %(points)s of %(max)s. %(note)s", points="11", max="12", note="敬老活动4次") in page
    assert client.get(f"/photos/{value.photo_id}").status_code == 200

    assert post(client, PAGE, "/town/evaluation/2026/publish", {}).status_code == 302
    db.session.expire_all()
    assert db.session.get(VillageEvaluation, evaluation.id).published_on is not None
    refused = post(client, url, url, {f"points_{old.id}": "1", f"note_{old.id}": "改"})
    assert refused.status_code == 302 and db.session.scalar(select(EvaluationValue)).points == 11
    auth.logout()

    auth.login("yfadmin")
    mine = client.get(PAGE).get_data(as_text=True)
    assert "油房村" in mine and "王家村" not in mine and "敬老活动4次" in mine
    assert zh("No. %(rank)s of %(count)s villages", rank=1, count=3) in mine
    assert client.get(f"/photos/{value.photo_id}").status_code == 200
    auth.logout()
    auth.login("baocun")  # WJ's 包村干部
    theirs = client.get(PAGE).get_data(as_text=True)
    assert "王家村" in theirs and "油房村" not in theirs
    assert client.get(f"/photos/{value.photo_id}").status_code == 404


def test_a_village_reads_nothing_before_the_town_publishes(make, auth, client):
    w = evaluation_town(make)
    db.session.commit()
    _set_up(client, auth, w)
    auth.logout()
    auth.login("yfadmin")
    page = client.get(PAGE).get_data(as_text=True)
    assert zh("The town has not published this year's evaluation.") in page and "户户参与" not in page


def test_only_the_town_admin_writes_and_a_grid_worker_reads_nothing(make, auth, client, app):
    w = evaluation_town(make)
    db.session.commit()
    evaluation = _set_up(client, auth, w)
    item = evaluation.items[2]
    auth.logout()
    writes = ["/town/evaluation/2026/template", "/town/evaluation/2026/items", f"/town/evaluation/2026/items/{item.id}",
              f"/town/evaluation/2026/items/{item.id}/remove", f"/town/evaluation/2026/villages/{w['yf'].id}",
              "/town/evaluation/2026/publish"]
    for username in ("yfadmin", "baocun", "grid1"):
        other = app.test_client()
        Auth(other).login(username)
        for url in writes:
            assert post(other, "/home", url, {"name": "x", "kind": "key", "method": "manual",
                                              "max_points": "5"}).status_code == 403, (username, url)
    grid = app.test_client()
    Auth(grid).login("grid1")
    assert grid.get(PAGE).status_code == 403
    db.session.expire_all()
    assert db.session.get(VillageEvaluation, evaluation.id).published_on is None
    assert len(db.session.get(VillageEvaluation, evaluation.id).items) == 8


def test_a_town_admin_reaches_only_its_own_towns_villages(make, auth, client):
    w = evaluation_town(make)
    elsewhere = make.village(make.town(code="QT", name="其他镇"), code="QT1", name="外镇村")
    db.session.commit()
    _set_up(client, auth, w)
    assert client.get(f"/town/evaluation/2026/villages/{elsewhere.id}").status_code == 404
    assert "外镇村" not in client.get(PAGE).get_data(as_text=True)
    assert client.get("/town/evaluation?year=1").status_code == 404
