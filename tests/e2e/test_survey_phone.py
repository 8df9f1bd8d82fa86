"""A satisfaction survey (满意度测评) on a household's phone: from its page to the answers, on 360×640,
nothing wider than the screen; a second visit says it has answered. Screenshots for a person to look at."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _open_survey(db_session) -> int:
    """The demo town's admin writes a three-question survey open to 油房村 today (committed)."""
    from webapp.people.models.geo import Village
    from webapp.people.models.user import User
    from webapp.town.services import surveys as service

    admin = db_session.scalar(select(User).where(User.username == "town"))
    village = db_session.scalar(select(Village).where(Village.code == "YF"))
    today = date.today()
    survey = service.create_survey(admin, "2026年第四季度村民满意度测评", "请根据本村积分制工作的实际情况如实填写。",
                                   today - timedelta(days=1), today + timedelta(days=14), [village.id])
    service.add_question(admin, survey, "scale", "您对本村积分制评分的公平公正满意吗？", "")
    service.add_question(admin, survey, "choice", "您最希望积分超市增加哪类商品？", "日用品\n粮油\n农资\n其他")
    service.add_question(admin, survey, "text", "您对积分制工作的意见和建议", "")
    service.change_state(admin, survey, "open")
    db_session.commit()
    return survey.id


def test_a_household_answers_a_survey_on_a_phone_once(page, base, db_session):
    survey_id = _open_survey(db_session)
    login(page, base, "villager", password_of("villager"))
    link = page.locator("#survey-link")
    assert link.is_visible()
    link.click()
    page.wait_for_url(f"{base}/surveys/my")
    page.click(f"a[href='/surveys/{survey_id}/answer']")
    page.wait_for_url(f"{base}/surveys/{survey_id}/answer")
    page.check("input[value=fairly_satisfied]")
    page.check("input[value=粮油]")
    page.fill("textarea", "希望超市周末也开门。")
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "survey-phone-answer.png")
    screenshot(page, "survey-phone-answer-screen.png", full_page=False)
    with page.expect_navigation():
        page.click("form button.primary")
    assert "已记录" in page.content()
    assert "已填写" in page.content()
    screenshot(page, "survey-phone-done.png", full_page=False)
    page.goto(f"{base}/surveys/{survey_id}/answer")
    assert "每户只能填写一次" in page.content() and page.locator("input[type=radio]").count() == 0


def test_the_town_reads_the_results_on_a_phone_with_a_chart_and_no_names(page, base, db_session):
    from webapp.town.models.surveys import Survey

    survey = db_session.scalar(select(Survey).order_by(Survey.id.desc()))
    survey_id = survey.id if survey else _open_survey(db_session)
    login(page, base, "town", password_of("town"))
    page.goto(f"{base}/surveys/{survey_id}/results")
    assert page.locator("svg.survey-chart").count() >= 2
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    assert "YF0" not in page.content()
    screenshot(page, "survey-phone-results.png")
