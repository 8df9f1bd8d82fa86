"""/admin/devices: a village admin sees and revokes the phones of their own village's users only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.worlds.fieldwork import build_world, event
from tests.worlds.pages import csrf_token
from webapp.extensions import db
from webapp.fieldwork.models import Device
from webapp.fieldwork.services.devices import register_device
from webapp.people.models.audit import AuditEvent


@pytest.fixture
def world(make):
    """The sync world, plus a phone of 王家村's grid worker and 王家村's admin."""
    world = build_world(make)
    wj_grid = make.grid(world["wj"], name="王家网格")
    wj_scorer = make.user("scorer", username="wjgrid", grid_id=wj_grid.id)
    make.user("village_admin", username="wjadmin", village_id=world["wj"].id)
    wj_device, _ = register_device(wj_scorer, "Huawei Nova")
    db.session.commit()
    return dict(world, wj_device=wj_device)


def test_a_village_admin_sees_only_the_devices_of_their_villages_users(world, auth, client):
    """油房村's admin sees the Redmi of their grid worker, not 王家村's Huawei."""
    auth.login("yfadmin")
    page = client.get("/admin/devices")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Redmi 12" in html and "grid" in html and "Huawei Nova" not in html


def test_a_village_admin_revokes_a_phone_and_it_can_no_longer_sync(world, auth, client):
    """The revoke form (with CSRF) revokes the device; its token then gets 401; the audit trail says who."""
    auth.login("yfadmin")
    page = client.get("/admin/devices").get_data(as_text=True)
    public_id = world["device"].public_id
    response = client.post(f"/admin/devices/{public_id}/revoke", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    device = db.session.scalar(select(Device).where(Device.public_id == public_id))
    assert device.revoked_at is not None and device.revoked_by_id == world["admin"].id
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "device.revoke"))
    assert audit.actor_id == world["admin"].id and audit.village_id == world["yf"].id
    sync = client.post("/api/v1/sync/batch", json={"protocol": 1, "items": [event(world)]},
                       headers={"Authorization": f"Bearer {world['token']}"})
    assert sync.status_code == 401


def test_a_village_admin_cannot_revoke_another_villages_phone(world, auth, client):
    """Naming 王家村's device is 404 and changes nothing."""
    auth.login("yfadmin")
    page = client.get("/admin/devices").get_data(as_text=True)
    response = client.post(f"/admin/devices/{world['wj_device'].public_id}/revoke",
                           data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404
    assert db.session.get(Device, world["wj_device"].id).revoked_at is None


def test_a_scorer_cannot_see_or_revoke_devices(world, auth, client):
    """A grid worker gets 403 on the page and on the form."""
    auth.login("grid")
    assert client.get("/admin/devices").status_code == 403
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    response = client.post(f"/admin/devices/{world['device'].public_id}/revoke", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 403
    assert db.session.get(Device, world["device"].id).revoked_at is None


def test_revoking_needs_the_csrf_token(world, auth, client):
    """The revoke form is a normal form: without its token it is refused."""
    auth.login("yfadmin")
    response = client.post(f"/admin/devices/{world['device'].public_id}/revoke")
    assert response.status_code == 400
    assert db.session.get(Device, world["device"].id).revoked_at is None
