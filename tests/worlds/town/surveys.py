"""A town with a satisfaction survey (满意度测评) open to two of its three villages, for the survey tests."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import Factory
from webapp.extensions import db
from webapp.town.services import surveys as service


def survey_town(make: Factory, today: date | None = None, status: str = "open") -> dict:
    """丰盛镇 (FS) with 油房村 (YF: 张三丰 YF0001, 李四 YF0002), 王家村 (WJ: 王五 WJ0001) and 新村 (XC: 赵六 XC0001).
    Its admin `fsadmin` wrote the survey 「2026年满意度测评」: a scale question, a single choice (环境/治安/服务)
    and a short text, open from yesterday for ten days to YF and WJ (not XC). Each household has a login
    (username its code); `yfclerk` keeps the store serving YF; `baocun` is the 包村干部 of WJ.
    Nothing is committed."""
    today = today or date.today()
    town = make.town(code="FS", name="丰盛镇")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    xc = make.village(town, code="XC", name="新村")
    households = {
        "zhang": make.household(yf, "张三丰", code="YF0001"), "li": make.household(yf, "李四", code="YF0002"),
        "wang": make.household(wj, "王五", code="WJ0001"), "zhao": make.household(xc, "赵六", code="XC0001"),
    }
    users = {name: make.user("villager", username=hh.code, household_id=hh.id) for name, hh in households.items()}
    admin = make.user("town_admin", username="fsadmin", town_id=town.id)
    store = make.store(town, [yf])
    clerk = make.user("clerk", username="yfclerk", store_id=store.id)
    cadre = make.user("town_cadre", username="baocun", village_id=wj.id)
    survey = service.create_survey(admin, "2026年满意度测评", "请如实填写。", today - timedelta(days=1),
                                   today + timedelta(days=10), [yf.id, wj.id])
    scale = service.add_question(admin, survey, "scale", "您对本村积分制工作满意吗？", "")
    choice = service.add_question(admin, survey, "choice", "您最关心哪方面？", "环境\n治安\n服务")
    text = service.add_question(admin, survey, "text", "您的意见和建议", "")
    if status != "draft":
        service.change_state(admin, survey, "open")
    if status == "closed":
        service.change_state(admin, survey, "close")
    db.session.flush()
    return {"town": town, "yf": yf, "wj": wj, "xc": xc, **households, "users": users, "admin": admin,
            "clerk": clerk, "cadre": cadre, "survey": survey, "scale": scale, "choice": choice, "text": text,
            "today": today}


def answers(world: dict, scale: str = "satisfied", choice: str = "环境", text: str = "") -> dict[int, str]:
    """A complete answer set for the world's survey."""
    return {world["scale"].id: scale, world["choice"].id: choice, world["text"].id: text}
