"""The model-household picker: the rule stated beside it, the proposals first, every other household
found by name, code or pinyin initials, instead of a checkbox per household (issue 14)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from webapp.core.period_choices import default_period
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.publication.services.publications import close_period


@pytest.fixture
def closed(make):
    """30 households, 25 inspected last month with distinct totals (6 points short per missed item, half a
    point per volunteering), 5 with nothing; last month closed."""
    village = make.village(code="YF", name="油房村")
    version = make.scheme(village)
    last = default_period(date.today())
    for n in range(30):
        household = make.household(village, "王五" if n == 29 else f"户主{n:02d}", code=f"YF{n:04d}")
        if n < 25:
            make.inspection(household, version, last.key, not_met=("B1", "B2")[:n // 10])
            make.entry(household, version, "J2", last.start, quantity=n % 10 + 1)
    admin = make.user("village_admin", "cunweihui", village_id=village.id)
    publication = close_period(admin, db.session.get(Village, village.id), last, date.today())
    db.session.commit()
    return publication


def _boxes(html: str, name: str) -> list[str]:
    return re.findall(rf'name="{name}" value="(\d+)"', html)


def test_the_picker_states_the_rule_and_starts_from_the_proposals(client, auth, closed):
    auth.login("cunweihui")
    html = client.get(f"/admin/publications/{closed.id}").get_data(as_text=True)
    assert re.search(r"10\D{1,12}15", html)  # Fengsheng: 10-15 model households a month, stated by the picker
    assert len(_boxes(html, "model")) == 20  # the proposals, not a box for each of the 30 households
    assert len(re.findall(r'name="model" value="\d+"[^>]*checked', html)) == 10  # the proposed ten
    assert "王五" not in html  # no points: not proposed


def test_the_picker_finds_any_ranked_household_by_pinyin_initials_or_code(client, auth, closed):
    auth.login("cunweihui")
    found = client.get(f"/admin/publications/{closed.id}?q=ww", headers={"HX-Request": "true"})
    html = found.get_data(as_text=True)
    assert html.lstrip().startswith('<tbody id="pick-results"') and "王五" in html
    assert len(_boxes(html, "model")) == 1
    by_code = client.get(f"/admin/publications/{closed.id}?q=YF0029").get_data(as_text=True)
    assert "王五" in by_code and len(_boxes(by_code, "model")) == 21  # the proposals and the one found
