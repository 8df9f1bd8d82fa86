"""A published notice board: 油房村 with last month closed and published today (its notice open)."""

from __future__ import annotations

from datetime import date, timedelta

from tests.factories import Factory
from tests.worlds.villages import youfang
from webapp.core.periods import Period
from webapp.extensions import db
from webapp.publication.services import publications


def last_month(today: date) -> Period:
    return Period.of_date("month", Period.of_date("month", today).start - timedelta(days=1))


def published_board(make: Factory) -> dict:
    """油房村 (YF): 张三丰 (YF0001, initials zsf) 65.5 with a J2, 李四 (YF0002) and 王五 (YF0003) 65 each,
    last month closed and published today; the honour roll is the proposed one (everyone with points).
    Committed."""
    world = youfang(make)
    today = date.today()
    last = last_month(today)
    for head in ("zhang", "li", "wang"):
        make.inspection(world[head], world["version"], last.key)
    make.entry(world["zhang"], world["version"], "J2", last.start + timedelta(days=11))
    admin = make.user("village_admin", village_id=world["village"].id)
    publication = publications.publish(admin, publications.close_period(admin, world["village"], last, today), today)
    db.session.commit()
    return {**world, "admin": admin, "last": last, "publication": publication}
