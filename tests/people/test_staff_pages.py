"""Staff and roles: add an account with roles in scopes, a new password, deactivation; a town admin manages
the town, a village admin only their own village's staff (never a town admin); others open nothing."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.worlds.fieldwork import build_world, event
from tests.worlds.pages import Auth, post, zh
from webapp.extensions import db
from webapp.people.models.audit import AuditEvent
from webapp.people.models.household import Household
from webapp.people.models.user import RoleGrant, User
from webapp.points.models.entry import Entry
from webapp.points.services.points import household_month_totals


@pytest.fixture
def world(make):
    """The sync world (油房村 YF with grids W1, W2 and the grid worker `grid` on a phone; 王家村 WJ), plus a
    town admin `zhen` and WJ's admin `wjadmin`."""
    w = build_world(make)
    make.user("town_admin", username="zhen", town_id=w["town"].id)
    make.user("village_admin", username="wjadmin", village_id=w["wj"].id)
    db.session.commit()
    return w


def user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def new_account(client, **fields):
    data = {"username": "li.wangge", "display_name": "李网格", "phone": "13800138000", "password": "wangge-2026",
            "again": "wangge-2026", "role": "scorer", **fields}
    return post(client, "/admin/staff/new", "/admin/staff/new", data)


def test_a_town_admin_adds_a_grid_worker_with_two_grids(world, client, auth):
    """One account, one grant per grid; the new worker logs in with the typed password; audited."""
    auth.login("zhen")
    answer = new_account(client, grids=[world["w1"].id, world["w2"].id])
    account = user("li.wangge")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/admin/staff/{account.id}")
    assert sorted(g.grid_id for g in account.grants) == sorted([world["w1"].id, world["w2"].id])
    assert account.phone == "13800138000" and account.display_name == "李网格"
    assert "李网格" in client.get("/admin/staff").get_data(as_text=True)
    event_ = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create",
                                                        AuditEvent.object_id == account.id))
    assert event_.village_id == world["yf"].id and event_.actor_id == user("zhen").id
    auth.logout()
    assert Auth(client).login("li.wangge", "wangge-2026").status_code == 302


def test_every_role_is_offered_with_its_name_and_a_town_cadre_gets_several_villages(world, client, auth):
    """The role picker lists every Role by its Chinese name; a village-scoped role takes several villages."""
    from webapp.labels import ROLE_NAMES
    from webapp.people.domain.access import Role

    auth.login("zhen")
    page = client.get("/admin/staff/new").get_data(as_text=True)
    for role in Role:
        with force_locale("zh_CN"):
            name = str(ROLE_NAMES[role.value])
        assert f'<option value="{role.value}">{name}</option>' in page
    new_account(client, username="auditor1", role="auditor", villages=[world["yf"].id, world["wj"].id])
    assert sorted(g.village_id for g in user("auditor1").grants) == sorted([world["yf"].id, world["wj"].id])


def test_a_bad_account_is_refused_with_the_reason(world, client, auth):
    """A taken username, two different passwords, a phone with letters, a grid of another village: nothing."""
    auth.login("yfadmin")
    cases = [({"username": "grid"}, zh("The username %(username)s is taken.", username="grid")),
             ({"again": "other-password"}, zh("The two passwords differ; type the same password twice.")),
             ({"phone": "138abc"}, zh("%(value)s is not a phone number: use digits, with an optional +, - or spaces "
                                      "(7 to 20 characters).", value="138abc"))]
    for fields, message in cases:
        new_account(client, grids=[world["w1"].id], **fields)
        assert message in client.get("/admin/staff/new").get_data(as_text=True)
    assert user("li.wangge") is None
    other = build_grid_of(world)
    assert new_account(client, grids=[other]).status_code == 404
    assert user("li.wangge") is None


def build_grid_of(world) -> int:
    from webapp.people.models.geo import Grid

    grid = Grid(village_id=world["wj"].id, code="WJ1", name="王家网格")
    db.session.add(grid)
    db.session.commit()
    return grid.id


def test_a_village_admin_manages_only_their_own_villages_staff(world, client, auth, make):
    """yfadmin lists YF's staff, not WJ's nor the town admin; opening or changing them is 404; they cannot
    give a town role nor a role in WJ."""
    auth.login("yfadmin")
    listing = client.get("/admin/staff").get_data(as_text=True)
    assert "grid" in listing and "wjadmin" not in listing and "zhen" not in listing
    for other in ("wjadmin", "zhen"):
        account = user(other)
        assert client.get(f"/admin/staff/{account.id}").status_code == 404
        answer = post(client, "/admin/staff", f"/admin/staff/{account.id}/password",
                      {"password": "taken-over-2026", "again": "taken-over-2026"})
        assert answer.status_code == 404
        assert post(client, "/admin/staff", f"/admin/staff/{account.id}/deactivate", {}).status_code == 404
    assert 'value="town_admin"' not in client.get("/admin/staff/new").get_data(as_text=True)
    new_account(client, username="boss", role="town_admin")
    assert new_account(client, username="wjrev", role="reviewer", villages=[world["wj"].id]).status_code == 404
    assert user("boss") is None and user("wjrev") is None
    assert user("zhen").active and user("wjadmin").check_password("password123")


def test_a_scorer_and_a_reviewer_cannot_open_the_staff_pages(world, client, auth, make):
    make.user("reviewer", username="rev", village_id=world["yf"].id)
    db.session.commit()
    for who in ("grid", "rev"):
        auth.login(who)
        for path in ("/admin/staff", "/admin/staff/new", "/admin/staff/import", f"/admin/staff/{user('grid').id}"):
            assert client.get(path).status_code == 403, (who, path)
        auth.logout()


def test_a_new_password_ends_the_users_sessions_and_works(world, client, auth, app):
    """The admin sets a new password: the old one fails, the new one works, the old session is gone."""
    other = app.test_client()
    Auth(other).login("grid")
    assert other.get("/home").status_code == 200
    auth.login("yfadmin")
    account = user("grid")
    page = f"/admin/staff/{account.id}"
    answer = post(client, page, f"{page}/password", {"password": "brand-new-2026", "again": "brand-new-2026"})
    assert answer.status_code == 302
    assert "brand-new-2026" not in client.get(page).get_data(as_text=True)
    assert other.get("/home").status_code == 302
    assert Auth(app.test_client()).login("grid", "password123").status_code == 401
    assert Auth(app.test_client()).login("grid", "brand-new-2026").status_code == 302


def test_roles_are_added_and_removed_but_never_the_last(world, client, auth):
    auth.login("yfadmin")
    account = user("grid")
    page = f"/admin/staff/{account.id}"
    post(client, page, f"{page}/roles", {"role": "reviewer", "villages": [world["yf"].id]})
    db.session.expire_all()
    assert sorted(g.role for g in account.grants) == ["reviewer", "scorer"]
    scorer_grant = next(g for g in account.grants if g.role == "scorer")
    post(client, page, f"{page}/roles/{scorer_grant.id}/remove", {})
    db.session.expire_all()
    assert [g.role for g in account.grants] == ["reviewer"]
    post(client, page, f"{page}/roles/{account.grants[0].id}/remove", {})
    assert db.session.scalar(select(func.count(RoleGrant.id)).where(RoleGrant.user_id == account.id)) == 1


def test_a_deactivated_user_cannot_log_in_their_phone_is_revoked_and_their_entries_still_count(world, client, auth,
                                                                                                 app):
    """The grid worker synced an entry; deactivated from the staff page, they cannot log in, their phone's
    sync answers the revoked message, and the entry they recorded stays (and still counts once approved)."""
    bearer = {"Authorization": f"Bearer {world['token']}"}
    item = event(world)
    assert client.post("/api/v1/sync/batch", json={"protocol": 1, "items": [item]}, headers=bearer).status_code == 200
    entry = db.session.scalar(select(Entry).where(Entry.client_uuid == uuid.UUID(item["uuid"])))
    assert entry is not None
    auth.login("yfadmin")
    account = user("grid")
    page = f"/admin/staff/{account.id}"
    assert post(client, page, f"{page}/deactivate", {}).status_code == 302
    db.session.expire_all()
    assert not account.active
    assert Auth(app.test_client()).login("grid").status_code == 401
    refused = app.test_client().post("/api/v1/sync/batch", json={"protocol": 1, "items": [event(world)]},
                                     headers=bearer)
    assert refused.status_code == 401 and refused.get_json()["code"] == "device_revoked"
    assert refused.get_json()["error"] == zh("This phone is no longer allowed to sync. Please log in again; "
                                             "your unsent forms are kept.")
    assert db.session.scalar(select(func.count(Entry.id))) == 1
    db.session.get(Entry, entry.id).status = "approved"  # the committee reviews it after the worker left
    db.session.commit()
    totals = household_month_totals(db.session.get(Household, world["hh1"].id), date(2026, 12, 2))
    assert totals.get((2026, 11), 0) != 0
    assert post(client, page, f"{page}/deactivate", {}).status_code == 302  # said already; nothing changes
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "user.deactivate")) == 1
