"""A town of three villages for the village evaluation (行政村积分评价): households taking part or not, and
approved courtyard ratings for the star shares."""

from __future__ import annotations

from datetime import date

from tests.factories import Factory
from tests.worlds.courtyards import approved_rating
from webapp.courtyards.models import CourtyardRound
from webapp.extensions import db


def evaluation_town(make: Factory, year: int = 2026) -> dict:
    """丰盛镇 (FS) with 油房村 (YF: four households, three taking part — 1★ and 5★ approved, one unrated — and
    one not taking part), 王家村 (WJ: two households, one 3★) and 新村 (XC: one household, unrated).
    `fsadmin` is the town admin, `yfadmin` YF's village admin, `baocun` WJ's 包村干部. Nothing is committed."""
    town = make.town(code="FS", name="丰盛镇")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    xc = make.village(town, code="XC", name="新村")
    yf_households = [make.household(yf, name, code=f"YF000{n}") for n, name in enumerate(("张三", "李四", "王五"), 1)]
    make.household(yf, "钱七", code="YF0004", eligible=False)
    wj_households = [make.household(wj, "赵六", code="WJ0001"), make.household(wj, "孙八", code="WJ0002")]
    make.household(xc, "周九", code="XC0001")
    rounds = {v.code: CourtyardRound(village_id=v.id, year=year, name=f"{year}年美丽庭院评选") for v in (yf, wj)}
    db.session.add_all(rounds.values())
    db.session.flush()
    on = date(year, 6, 1)
    approved_rating(rounds["YF"], yf_households[0], 1, on)
    approved_rating(rounds["YF"], yf_households[1], 5, on)
    approved_rating(rounds["WJ"], wj_households[0], 3, on)
    return {
        "town": town, "yf": yf, "wj": wj, "xc": xc,
        "admin": make.user("town_admin", username="fsadmin", town_id=town.id),
        "yf_admin": make.user("village_admin", username="yfadmin", village_id=yf.id),
        "wj_admin": make.user("village_admin", username="wjadmin", village_id=wj.id),
        "cadre": make.user("town_cadre", username="baocun", village_id=wj.id),
        "scorer": make.user("scorer", username="grid1", grid_id=make.grid(yf).id),
    }
