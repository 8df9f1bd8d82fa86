"""Review group pages: who may open them, the forms (with their CSRF tokens), what a refusal shows
and that it writes nothing.

丰盛镇 has 油房村 (admin "yf", reviewers r1–r3, grid worker "grid1") and 王家村 (admin "wj");
the town admin "town" manages both.
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import func, select

from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.review.models import ReviewGroup, ReviewGroupArea, ReviewGroupMember
from webapp.review.services import groups as rg

PAGE = "/admin/review-groups"


def zh(msgid: str, **params) -> str:
    """A message as the Chinese page shows it, escaped (the msgid itself until it is translated)."""
    with force_locale("zh_CN"):
        return str(escape(gettext(msgid, **params)))


def written() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m))
                 for m in (ReviewGroup, ReviewGroupMember, ReviewGroupArea, AuditEvent))


@pytest.fixture
def town(make):
    town = make.town(code="FS")
    yf = make.village(town, code="YF", name="油房村")
    wj = make.village(town, code="WJ", name="王家村")
    make.scheme(yf, "fengsheng")
    w1 = make.grid(yf, "第一网格")
    make.household(yf, grid=w1)
    make.user("village_admin", username="yf", village_id=yf.id)
    make.user("village_admin", username="wj", village_id=wj.id)
    make.user("town_admin", username="town", town_id=town.id)
    reviewers = [make.user("reviewer", username=f"r{i}", village_id=yf.id) for i in (1, 2, 3)]
    scorer = make.user("scorer", username="grid1", grid_id=w1.id)
    group = rg.create_group(yf, "甲组", actor_id=None)
    db.session.commit()
    return {"yf": yf, "wj": wj, "w1": w1, "wj_grid": make.grid(wj, "王家网格"), "reviewers": reviewers,
            "scorer": scorer, "group": group}


def post(client, url: str, data: dict, page: str = PAGE):
    """Open the page for its CSRF token, then post the form."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_a_reviewer_cannot_open_the_administration_pages(town, auth, client):
    """Reviewers review; only the committee and the town set up groups: 403, page and forms alike."""
    auth.login("r1")

    assert client.get(PAGE).status_code == 403
    response = post(client, f"{PAGE}/{town['group'].id}/members", {"members": [town["reviewers"][0].id]}, page="/home")
    assert response.status_code == 403


def test_a_village_admin_of_another_village_gets_404_for_this_village_and_its_groups(town, auth, client):
    """王家村's admin may not learn that 油房村 or its groups exist."""
    auth.login("wj")
    before = written()

    assert client.get(f"{PAGE}?village={town['yf'].id}").status_code == 404
    response = post(client, f"{PAGE}/{town['group'].id}/members", {"members": [town["reviewers"][0].id]})

    assert response.status_code == 404
    assert "甲组" not in response.get_data(as_text=True)
    assert written() == before


def test_the_list_shows_groups_their_problems_and_the_rules(town, auth, client):
    """A new group without members or area is shown with its problems, next to the rules' minimum of 3."""
    auth.login("yf")

    html = client.get(PAGE).get_data(as_text=True)

    assert "甲组" in html
    assert zh("%(count)s members; the rules ask for at least %(min)s.", count=0, min=3) in html
    assert zh("No area yet: choose its grids or village groups.") in html
    assert zh("at least %(min)s", min=3) in html
    assert zh("%(count)s households are not in the area of any review group.", count=1) in html


def test_a_village_admin_sets_up_a_group_through_the_forms(town, auth, client):
    """Create, members, area: each posts, redirects to the list and leaves the group ready to review."""
    auth.login("yf")
    r_ids = [u.id for u in town["reviewers"]]

    created = post(client, PAGE, {"village": town["yf"].id, "name": "乙组"})
    group = db.session.scalar(select(ReviewGroup).where(ReviewGroup.name == "乙组"))
    members = post(client, f"{PAGE}/{group.id}/members", {"members": r_ids})
    area = post(client, f"{PAGE}/{group.id}/areas", {"grids": [town["w1"].id]})

    assert [r.status_code for r in (created, members, area)] == [302, 302, 302]
    assert members.headers["Location"].endswith(f"{PAGE}?village={town['yf'].id}#group-{group.id}")
    db.session.expire_all()
    assert sorted(m.user_id for m in group.members) == sorted(r_ids)
    assert rg.configuration_problems(town["yf"])[group.id] == []
    html = client.get(PAGE).get_data(as_text=True)
    assert zh("Ready to review.") in html


def test_a_member_without_the_reviewer_role_is_refused_with_a_message(town, auth, client):
    """Ticking the grid worker refuses the whole form, says why, and writes nothing."""
    auth.login("yf")
    before = written()

    response = post(client, f"{PAGE}/{town['group'].id}/members",
                    {"members": [town["reviewers"][0].id, town["scorer"].id]})

    assert response.status_code == 302
    assert written() == before
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert zh("Only reviewers and village admins of this village can be members of a review group.") in page


def test_an_area_of_another_village_is_404_and_nothing_is_written(town, auth, client):
    """A grid id of 王家村 posted by 油房村's admin is not found."""
    auth.login("yf")
    before = written()

    response = post(client, f"{PAGE}/{town['group'].id}/areas", {"grids": [town["w1"].id, town["wj_grid"].id]})

    assert response.status_code == 404
    assert written() == before


def test_cross_review_of_its_own_area_is_refused(town, auth, client):
    """Choosing the group itself as its cross-review target is refused with a message."""
    auth.login("yf")
    group_id = town["group"].id

    response = post(client, f"{PAGE}/{group_id}/target", {"target": group_id})

    assert db.session.get(ReviewGroup, group_id).reviews_group_id is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert zh("A group cannot cross-review its own area; choose another group.") in page


def test_a_duplicate_name_is_refused_and_a_group_can_be_renamed_and_deleted(town, auth, client):
    """Names are unique in the village; rename and delete go through their forms."""
    auth.login("yf")
    group_id = town["group"].id

    for name, message in (("甲组", zh("There is already a group named %(name)s in this village.", name="甲组")),
                          ("  ", zh("Give the group a name."))):
        refused = post(client, PAGE, {"village": town["yf"].id, "name": name})
        assert message in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ReviewGroup)) == 1
    post(client, f"{PAGE}/{group_id}/name", {"name": "东片评议组"})
    assert db.session.get(ReviewGroup, group_id).name == "东片评议组"
    post(client, f"{PAGE}/{group_id}/delete", {"confirm": "1"})
    db.session.expire_all()
    assert db.session.get(ReviewGroup, group_id) is None


def test_a_form_without_its_csrf_token_is_refused(town, auth, client):
    """Every form carries a CSRF token; a post without one writes nothing."""
    auth.login("yf")
    before = written()

    response = client.post(PAGE, data={"village": town["yf"].id, "name": "乙组"})

    assert response.status_code == 400
    assert written() == before


def test_a_town_admin_picks_a_village_first(town, auth, client):
    """Managing two villages, the town admin sees the picker, then the chosen village's groups."""
    auth.login("town")

    picker = client.get(PAGE).get_data(as_text=True)
    chosen = client.get(f"{PAGE}?village={town['yf'].id}").get_data(as_text=True)

    assert zh("Choose a village") in picker and "甲组" not in picker
    assert "甲组" in chosen
