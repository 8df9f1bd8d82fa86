"""The lists world: the Fengsheng duty lists adopted in a village, and files to attach to them."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from PIL import Image
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.lists.models import DutyList, FlowStep, ListItem, ListVersion
from webapp.lists.services import import_export as lists_io, versions

LISTS = Path(__file__).resolve().parents[1] / "data" / "lists"
FENGSHENG = (LISTS / "fengsheng.yaml").read_text(encoding="utf-8")
MEETING, START = date(2026, 1, 5), date(2026, 1, 10)


def adopted_lists(village, text: str = FENGSHENG, meeting: date = MEETING, start: date = START) -> dict[str, DutyList]:
    """Import a lists file into the village and adopt every list at one meeting; {code: list}."""
    done = lists_io.import_lists(village.town, village, lists_io.read_yaml(text))
    for entry in done:
        versions.adopt(entry.draft, meeting, "村民代表会议表决通过", start)
    db.session.commit()
    return {entry.duty_list.code: entry.duty_list for entry in done}


def counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in (DutyList, ListVersion, ListItem, FlowStep))


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 20), "blue").save(out, "JPEG")
    return out.getvalue()


def desk_village(make) -> tuple:
    """油房村 (town FS) with the Fengsheng lists adopted and two households, YF0001 张三丰 and YF0002 李四;
    (the village, {item code: item of the version in force})."""
    village = make.village(make.town(code="FS"), code="YF", name="油房村")
    lists = adopted_lists(village)
    make.household(village, head="张三丰", code="YF0001")
    make.household(village, head="李四", code="YF0002")
    return village, {i.code: i for d in lists.values() for i in d.versions[-1].items}
