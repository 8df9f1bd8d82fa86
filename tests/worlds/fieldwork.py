"""The sync world: 丰盛镇's 油房村 on two versions of the Fengsheng rules, a grid worker with a
registered phone, and the items a phone sends in a batch."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from tests.factories import Factory
from tests.rule_files import scheme_text
from webapp.extensions import db
from webapp.fieldwork.services.devices import register_device
from webapp.points.services.schemes import import_scheme

NOW = datetime(2026, 12, 2, 4, 0, tzinfo=UTC)  # the server's clock in these tests: noon, 2 December


def build_world(make: Factory) -> dict:
    """丰盛镇: 油房村 (YF) with rules v1 (2020) and v2 (2025, without J4), grids W1 and W2, households
    YF0001 (W1, with 李四), YF0002 (W1), YF0003 (W2); 王家村 (WJ) with WJ0001. Grid worker "grid"
    scores W1 with a registered phone; "yfadmin" administers YF."""
    town = make.town(code="FS")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    w1, w2 = make.grid(yf, name="第一网格"), make.grid(yf, name="第二网格")
    v1 = make.scheme(yf)
    text = scheme_text("fengsheng")
    without_j4 = "\n".join(line for line in text.splitlines() if "code: J4," not in line).replace("J3b, J4,", "J3b,")
    v2, _ = import_scheme(yf, without_j4, effective_from=date(2025, 1, 1))
    wj_version = make.scheme(wj)
    hh1 = make.household(yf, head="张三丰", code="YF0001", grid=w1, members=("李四",))
    hh2 = make.household(yf, head="王五", code="YF0002", grid=w1)
    hh3 = make.household(yf, head="赵六", code="YF0003", grid=w2)
    other = make.household(wj, head="钱七", code="WJ0001")
    scorer = make.user("scorer", username="grid", grid_id=w1.id)
    admin = make.user("village_admin", username="yfadmin", village_id=yf.id)
    device, token = register_device(scorer, "Redmi 12")
    db.session.commit()
    return {"town": town, "yf": yf, "wj": wj, "w1": w1, "w2": w2, "v1": v1, "v2": v2, "wj_version": wj_version,
            "hh1": hh1, "hh2": hh2, "hh3": hh3, "other": other, "scorer": scorer, "admin": admin, "device": device,
            "token": token}


def event(world: dict, **fields) -> dict:
    item = {"uuid": str(uuid.uuid4()), "type": "event", "household": "YF0001", "member_id": None, "item": "J1",
            "scheme_version_id": world["v2"].id, "quantity": "1", "occurred_at": "2026-11-22T08:15:00+08:00",
            "note": "", "place": "村口", "photos": []}
    item.update(fields)
    return item


def inspection(world: dict, **fields) -> dict:
    item = {"uuid": str(uuid.uuid4()), "type": "inspection", "household": "YF0001", "period": "2026-11",
            "scheme_version_id": world["v2"].id, "occurred_at": "2026-11-22T09:00:00+08:00",
            "items": {"B1": True, "B3": False}, "note": "", "place": "", "photos": [], "item_photos": {}}
    item.update(fields)
    return item
