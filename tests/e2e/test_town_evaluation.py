"""The village evaluation (行政村积分评价) on a 360×640 phone: the demo town's admin loads Pudong's template,
enters two items for 油房村 and reads the ranking with a village's explanation open; nothing wider than
the screen. Screenshots for a person to look at."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tests.worlds.browser import login, password_of, screenshot

NO_HORIZONTAL_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _set_up(db_session) -> tuple[int, int]:
    """The demo town's evaluation of this year from Pudong's template, with 油房村's two key items (committed)."""
    from webapp.people.models.geo import Village
    from webapp.people.models.user import User
    from webapp.town.services import evaluation as service

    admin = db_session.scalar(select(User).where(User.username == "town"))
    village = db_session.scalar(select(Village).where(Village.code == "YF"))
    year = date.today().year
    evaluation = service.evaluation_of(service.admin_town_id(admin), year) or service.load_template(admin, year)
    manual = [i for i in evaluation.items if i.method == "manual"]
    service.enter_value(admin, year, manual[0].id, village.id, "8", "全年组织为老服务活动6次")
    service.enter_value(admin, year, manual[3].id, village.id, "2", "违法用地一处，已整改")
    db_session.commit()
    return year, village.id


def test_the_town_reads_the_evaluation_on_a_phone(page, base, db_session):
    year, village_id = _set_up(db_session)
    login(page, base, "town", password_of("town"))
    page.goto(f"{base}/town/evaluation?year={year}")
    assert "户户参与" in page.content() and "向各村发布" in page.content()
    page.click(f"#village-{village_id} summary")
    assert "全年组织为老服务活动6次" in page.content()
    assert page.evaluate(NO_HORIZONTAL_SCROLL)
    screenshot(page, "town-evaluation.png")
    screenshot(page, "town-evaluation-screen.png", full_page=False)
