"""Satisfaction surveys on their pages: the town writes and opens one, a household answers once from its
phone, a clerk records a paper answer, and the results (page and .xlsx) never name a household."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.worlds.pages import Auth, csrf_token, post, zh
from tests.worlds.town.surveys import survey_town
from webapp.extensions import db
from webapp.town.models.surveys import Survey, SurveyResponse

NAMES_OR_CODES = re.compile(r"张三丰|李四|王五|赵六|YF0001|YF0002|WJ0001|XC0001")


def _form(w: dict, scale: str = "satisfied", choice: str = "环境", text: str = "") -> dict[str, str]:
    return {f"q{w['scale'].id}": scale, f"q{w['choice'].id}": choice, f"q{w['text'].id}": text}


def _answer(client, w: dict, **kwargs):
    url = f"/surveys/{w['survey'].id}/answer"
    return post(client, url, url, _form(w, **kwargs))


def _client_of(app, username: str):
    """A fresh client logged in as this user (a household's login cannot reach /home to log out)."""
    client = app.test_client()
    Auth(client).login(username)
    return client


def _responses() -> int:
    return db.session.scalar(select(func.count(SurveyResponse.id)))


def test_a_household_sees_the_survey_link_answers_once_and_a_second_answer_is_refused(make, auth, client):
    w = survey_town(make)
    db.session.commit()
    auth.login("YF0001")
    home = client.get("/households/YF0001").get_data(as_text=True)
    assert zh("Satisfaction survey") in home and "/surveys/my" in home
    mine = client.get("/surveys/my").get_data(as_text=True)
    assert "2026年满意度测评" in mine
    page = client.get(f"/surveys/{w['survey'].id}/answer").get_data(as_text=True)
    assert zh("Satisfied") in page and zh("Fairly satisfied") in page and "治安" in page
    answer = _answer(client, w, text="路灯不亮")
    assert answer.status_code == 302 and _responses() == 1
    assert zh("Answered. Thank you.") in client.get("/surveys/my").get_data(as_text=True)
    assert zh("Satisfaction survey") not in client.get("/households/YF0001").get_data(as_text=True)
    again = client.post(f"/surveys/{w['survey'].id}/answer",
                        data={"csrf_token": csrf_token(mine), **_form(w, scale="dissatisfied")})
    assert again.status_code == 422
    assert zh("Your household has already answered this survey. Each household answers once.") in again.get_data(True)
    assert _responses() == 1
    response = db.session.scalar(select(SurveyResponse))
    assert (response.channel, response.recorded_by_id) == ("phone", None)


def test_an_incomplete_answer_is_refused_and_the_form_keeps_what_was_chosen(make, auth, client):
    w = survey_town(make)
    db.session.commit()
    auth.login("YF0002")
    url = f"/surveys/{w['survey'].id}/answer"
    answer = post(client, url, url, {f"q{w['scale'].id}": "fairly_satisfied"})
    assert answer.status_code == 422 and _responses() == 0
    page = answer.get_data(as_text=True)
    assert zh("Please answer every question: %(prompt)s", prompt="您最关心哪方面？") in page
    assert re.search(r'value="fairly_satisfied"[^>]*checked', page)


def test_a_household_of_a_village_the_survey_is_not_opened_to_is_refused(make, auth, client):
    w = survey_town(make)
    db.session.commit()
    auth.login("XC0001")
    assert zh("Satisfaction survey") not in client.get("/households/XC0001").get_data(as_text=True)
    assert "2026年满意度测评" not in client.get("/surveys/my").get_data(as_text=True)
    assert client.get(f"/surveys/{w['survey'].id}/answer").status_code == 404
    page = client.get("/surveys/my").get_data(as_text=True)
    answer = client.post(f"/surveys/{w['survey'].id}/answer", data={"csrf_token": csrf_token(page), **_form(w)})
    assert answer.status_code == 404 and _responses() == 0


def test_a_closed_survey_refuses_an_answer(make, auth, client):
    w = survey_town(make, status="closed")
    db.session.commit()
    auth.login("YF0001")
    page = client.get(f"/surveys/{w['survey'].id}/answer").get_data(as_text=True)
    assert zh("This survey is closed.") in page and 'type="radio"' not in page
    answer = client.post(f"/surveys/{w['survey'].id}/answer", data={"csrf_token": csrf_token(page), **_form(w)})
    assert answer.status_code == 422 and zh("This survey is closed.") in answer.get_data(as_text=True)
    assert _responses() == 0


def test_the_town_admin_writes_a_survey_adds_questions_and_opens_it(make, auth, client):
    w = survey_town(make)
    db.session.commit()
    auth.login("fsadmin")
    created = post(client, "/surveys/new", "/surveys/new", {
        "title": "村务公开满意度", "intro": "", "opens_on": "2026-12-01", "closes_on": "2026-12-31",
        "villages": [str(w["yf"].id)]})
    assert created.status_code == 302
    survey = db.session.scalar(select(Survey).where(Survey.title == "村务公开满意度"))
    edit = f"/surveys/{survey.id}/edit"
    assert post(client, edit, f"/surveys/{survey.id}/questions",
                {"kind": "scale", "prompt": "您对村务公开满意吗？", "options": ""}).status_code == 302
    assert post(client, edit, f"/surveys/{survey.id}/questions",
                {"kind": "choice", "prompt": "只有一项", "options": "一"}).status_code in (302, 303)
    assert post(client, edit, f"/surveys/{survey.id}/open", {}).status_code == 302
    db.session.expire_all()
    survey = db.session.get(Survey, survey.id)
    assert survey.status == "open" and [q.prompt for q in survey.questions] == ["您对村务公开满意吗？"]
    assert survey.village_ids == {w["yf"].id}
    listing = client.get("/surveys").get_data(as_text=True)
    assert "村务公开满意度" in listing and zh("Open for answers") in listing


def test_results_show_counts_percentages_a_chart_and_texts_and_never_a_household(app, make, auth, client):
    w = survey_town(make)
    db.session.commit()
    for code, kwargs in (("YF0001", {"text": "路灯不亮"}), ("YF0002", {"scale": "dissatisfied"}),
                         ("WJ0001", {"scale": "fairly_satisfied", "text": "多办活动"})):
        assert _answer(_client_of(app, code), w, **kwargs).status_code == 302
    auth.login("fsadmin")
    page = client.get(f"/surveys/{w['survey'].id}/results").get_data(as_text=True)
    assert "油房村" in page and "王家村" in page and "50.0%" in page
    charts = re.findall(r"<svg.*?</svg>", page, re.DOTALL)
    assert charts and not any("<script" in chart for chart in charts)
    assert "路灯不亮" in page and "多办活动" in page
    assert not NAMES_OR_CODES.search(page)
    xlsx = client.get(f"/surveys/{w['survey'].id}/results.xlsx")
    book = load_workbook(BytesIO(xlsx.data))
    cells = repr([list(s.iter_rows(values_only=True)) for s in book.worksheets])
    assert "路灯不亮" in cells and not NAMES_OR_CODES.search(cells)
    cadre = _client_of(app, "baocun")  # the 包村干部 of 王家村 reads its results only
    page = cadre.get(f"/surveys/{w['survey'].id}/results").get_data(as_text=True)
    assert "王家村" in page and "油房村" not in page and "路灯不亮" not in page and not NAMES_OR_CODES.search(page)


def test_a_clerk_records_a_paper_answer_marked_as_paper(make, auth, client):
    w = survey_town(make)
    db.session.commit()
    auth.login("yfclerk")
    assert "2026年满意度测评" in client.get("/surveys/paper").get_data(as_text=True)
    url = f"/surveys/{w['survey'].id}/paper"
    assert post(client, url, url, {"code": "yf0002", **_form(w)}).status_code == 302
    refused = post(client, url, url, {"code": "WJ0001", **_form(w)})
    assert refused.status_code == 422
    assert zh("No household with code %(code)s in your villages.", code="WJ0001") in refused.get_data(as_text=True)
    response = db.session.scalar(select(SurveyResponse))
    assert (_responses(), response.channel, response.recorded_by_id) == (1, "paper", w["clerk"].id)


def test_households_clerks_and_cadres_are_refused_the_town_admin_pages(app, make):
    w = survey_town(make)
    db.session.commit()
    for username in ("YF0001", "yfclerk", "baocun"):
        client = _client_of(app, username)
        assert client.get("/surveys/new").status_code == 403
        assert client.get(f"/surveys/{w['survey'].id}/edit").status_code == 403
        page = client.get("/home", follow_redirects=True).get_data(as_text=True)
        assert client.post(f"/surveys/{w['survey'].id}/close", data={"csrf_token": csrf_token(page)}).status_code == 403
    client = _client_of(app, "YF0001")
    assert client.get(f"/surveys/{w['survey'].id}/results").status_code == 403
    db.session.expire_all()
    assert db.session.get(Survey, w["survey"].id).status == "open"
