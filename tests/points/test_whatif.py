"""What-if of a rules draft on a hand-built village: a doubled item gives the totals worked out by hand.

油房村 under the Fengsheng rules has closed 2025-08 to 2025-11; the what-if replays the last three. The draft
doubles J2 (0.5 → 1), drops J5c and adds J10. Worked by hand (cap: J1–J5c at most 5 a month):
- 张三丰: 2025-09 J2×3 (1.5 → 3); 2025-10 J2×4 + J3a + inspection at the defaults (2+1+65 = 68 → 4+1+65 = 70);
  2025-11 J2×6 (3 → 6, capped at 5). Old 72.5, new 78, +5.5; rank 1 → 1.
- 李四: 2025-09 K2 (-1); 2025-10 J4 (+1); 2025-11 J5c (+1, gone in the draft: 0). Old 1, new 0, -1; rank 2 → 3.
- 王五: 2025-08 J2×2 (closed but not replayed); 2025-10 J1×2 (+1); a J2 still waiting for review. Old 1, new 1.
Village: 2025-09 0.5 → 2, 2025-10 70 → 72, 2025-11 4 → 5.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import RULES
from tests.worlds.route_walk import fingerprint
from webapp.extensions import db
from webapp.people.models.user import User
from webapp.points.models.drafts import SchemeDraft
from webapp.points.services.whatif import draft_what_if
from webapp.publication.models import Publication

D = Decimal
TODAY = date(2026, 1, 15)


def doubled_j2() -> str:
    """The Fengsheng rules with J2 doubled, J5c retired and a new bonus item J10."""
    text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8")
    j2 = "{code: J2, points: 0.5,"
    assert j2 in text
    text = text.replace(j2, "{code: J2, points: 1,")
    text = "\n".join(line for line in text.splitlines() if "code: J5c" not in line)
    text = text.replace("J5a, J5b, J5c]", "J5a, J5b]")
    return text.replace("      - {code: J6,", "      - {code: J10, points: 2, per: event, name: 参加村里的义务植树}\n"
                                               "      - {code: J6,", 1)


@pytest.fixture
def village(make, admin_village):
    """The hand-built village of the module docstring, with its draft; committed."""
    v = admin_village
    version = make.scheme(v)
    zhang = make.household(v, "张三丰", code="YF0001")
    li = make.household(v, "李四", code="YF0002")
    wang = make.household(v, "王五", code="YF0003")
    for _ in range(3):
        make.entry(zhang, version, "J2", date(2025, 9, 5))
    make.entry(zhang, version, "J2", date(2025, 10, 5), quantity=4)
    make.entry(zhang, version, "J3a", date(2025, 10, 6))
    make.inspection(zhang, version, "2025-10")
    make.entry(zhang, version, "J2", date(2025, 11, 5), quantity=6)
    make.entry(li, version, "K2", date(2025, 9, 9), member=li.members[0])
    make.entry(li, version, "J4", date(2025, 10, 9))
    make.entry(li, version, "J5c", date(2025, 11, 9))
    make.entry(wang, version, "J2", date(2025, 8, 1), quantity=2)
    make.entry(wang, version, "J1", date(2025, 10, 1), quantity=2)
    make.entry(wang, version, "J2", date(2025, 10, 2), quantity=5, status="recorded")
    for month in (8, 9, 10, 11):
        db.session.add(Publication(village_id=v.id, period=f"2025-{month:02d}", kind="month", frozen={}))
    draft = SchemeDraft(scheme_id=version.scheme_id, base_version_id=version.id, source_text=doubled_j2(),
                        note="J2 翻倍")
    db.session.add(draft)
    db.session.commit()
    return {"village": v, "draft": draft}


def admin_of(village):
    return db.session.scalar(select(User).where(User.username == "yfadmin"))


def test_doubling_an_item_gives_the_hand_worked_totals_and_ranks(village):
    result = draft_what_if(admin_of(village), village["draft"].id, TODAY)
    assert [p.key for p in result.periods] == ["2025-09", "2025-10", "2025-11"] and result.closed
    rows = {r.name: (r.old_total, r.new_total, r.difference, r.old_rank, r.new_rank) for r in result.rows}
    assert rows == {
        "张三丰": (D("72.5"), D(78), D("5.5"), 1, 1),
        "李四": (D(1), D(0), D(-1), 2, 3),
        "王五": (D(1), D(1), D(0), 2, 2),
    }
    assert [r.name for r in result.rows] == ["张三丰", "李四", "王五"]  # biggest change first
    assert [r.name for r in result.ups] == ["张三丰"] and [r.name for r in result.downs] == ["李四"]
    assert [(t.period.key, t.old, t.new) for t in result.totals] == [
        ("2025-09", D("0.5"), D(2)), ("2025-10", D(70), D(72)), ("2025-11", D(4), D(5))]
    assert (result.old_total, result.new_total) == (D("74.5"), D(79))


def test_items_in_only_one_version_are_listed_and_entries_of_a_gone_item_count_nothing(village):
    result = draft_what_if(admin_of(village), village["draft"].id, TODAY)
    assert [(i.code, i.old_points, i.new_points) for i in result.changed] == [("J2", D("0.5"), D(1))]
    assert [i.code for i in result.only_in_force] == ["J5c"]
    assert [i.code for i in result.only_in_draft] == ["J10"]
    [lost] = result.lost
    assert (lost.code, lost.entries, lost.points, len(lost.households)) == ("J5c", 1, D(1), 1)


def test_the_page_shows_totals_and_movers_and_writes_nothing(client, village):
    before = fingerprint()
    page = client.get(f"/rules/drafts/{village['draft'].id}/what-if")
    assert page.status_code == 200
    assert fingerprint() == before
    html = page.get_data(as_text=True)
    movers_up = html.split('id="movers-up"')[1].split("</section>")[0]
    assert "张三丰" in movers_up and "72.5 → 78" in movers_up and "+5.5" in movers_up and "1 → 1" in movers_up
    movers_down = html.split('id="movers-down"')[1].split("</section>")[0]
    assert "李四" in movers_down and "1 → 0" in movers_down and "2 → 3" in movers_down
    assert "74.5" in html and "79" in html
    assert "J5c" in html.split('id="lost"')[1] and "J10" in html.split('id="items"')[1]


def test_a_changed_default_keeps_what_the_inspection_found(village):
    """The draft turns B1's default to not met: the stored inspection (B1 met, the old default) still counts it."""
    draft = village["draft"]
    draft.source_text = (RULES / "fengsheng.yaml").read_text(encoding="utf-8").replace(
        "{code: B1, points: 6, default: met,", "{code: B1, points: 6,")
    db.session.commit()
    result = draft_what_if(admin_of(village), draft.id, TODAY)
    assert all(r.difference == 0 for r in result.rows), [(r.name, r.difference) for r in result.rows]


def test_a_draft_that_does_not_load_shows_its_problems(client, village):
    draft = village["draft"]
    draft.source_text = draft.source_text.replace("{code: J2, points: 1,", "{code: J2, points: many,")
    db.session.commit()
    page = client.get(f"/rules/drafts/{draft.id}/what-if")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="problems"' in html and 'id="whatif"' not in html


def test_choosing_fewer_months_redraws_only_the_results(client, village):
    page = client.get(f"/rules/drafts/{village['draft'].id}/what-if?months=1", headers={"HX-Request": "true"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.lstrip().startswith('<div id="whatif"') and "<html" not in html
    movers_up = html.split('id="movers-up"')[1].split("</section>")[0]
    assert "3 → 5" in movers_up  # 张三丰's 2025-11 alone: J2×6 is 3, doubled 6, capped at 5
