"""Device tokens and the bootstrap document, at the service level."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.refusals import refused
from webapp.core.refusal import NotFound
from webapp.extensions import db
from webapp.fieldwork.services.bootstrap import bootstrap
from webapp.fieldwork.services.devices import (
    device_for_token,
    devices_for_admin,
    register_device,
    revoke_device,
    token_digest,
)


def test_a_token_finds_its_device_until_it_is_revoked(world):
    """The token works (and marks the phone as seen) until the admin revokes it; revoking twice is harmless."""
    device = device_for_token(world["token"])
    assert device.id == world["device"].id and device.last_seen_at is not None
    assert world["device"].token_sha256 == token_digest(world["token"]) != world["token"]
    assert device_for_token("wrong") is None and device_for_token("") is None
    revoke_device(world["admin"], str(device.public_id))
    first = device.revoked_at
    revoke_device(world["admin"], str(device.public_id))
    assert device.revoked_at == first and device_for_token(world["token"]) is None


def test_a_deactivated_users_phone_stops_syncing(world):
    """A user switched off loses their phones too."""
    world["scorer"].active = False
    assert device_for_token(world["token"]) is None


def test_only_users_who_score_get_a_device(world, make):
    """A reviewer does not score door to door."""
    reviewer = make.user("reviewer", village_id=world["yf"].id)
    with refused("Only grid workers and village admins score households on a phone."):
        register_device(reviewer, "pc")
    _, token = register_device(world["admin"], "admin phone")
    assert device_for_token(token).user_id == world["admin"].id


def test_an_admin_lists_and_revokes_only_their_villages_devices(world, make):
    """Another village's admin sees none of 油房村's phones and cannot revoke them."""
    other_admin = make.user("village_admin", village_id=world["wj"].id)
    assert [d.id for d in devices_for_admin(world["admin"])] == [world["device"].id]
    assert devices_for_admin(other_admin) == [] and devices_for_admin(world["scorer"]) == []
    for public_id in (str(world["device"].public_id), "not-a-uuid"):
        with refused("No such device.", NotFound):
            revoke_device(other_admin, public_id)


def test_the_bootstrap_of_a_village_admin_has_the_whole_village(world, make):
    """The admin scores every household of the village; households that left are not listed."""
    make.household(world["yf"], head="周九", code="YF0010", grid=world["w2"], left_on=date(2026, 1, 1))
    now = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)
    body = bootstrap(world["admin"], now)
    assert [h["code"] for h in body["households"]] == ["YF0001", "YF0002", "YF0003"]
    assert body["periods"] == {"month": "2026-11", "quarter": "2026-Q4", "year": "2026"}
    assert body["user"]["id"] == world["admin"].id
    assert bootstrap(world["admin"], now)["version"] == body["version"]


def test_the_bootstrap_periods_follow_the_villages_clock(world):
    """17:00 UTC on 31 December is already next year in the village."""
    body = bootstrap(world["scorer"], datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
    assert body["periods"] == {"month": "2027-01", "quarter": "2027-Q1", "year": "2027"}


def test_a_user_who_scores_nowhere_gets_an_empty_bootstrap(world, make):
    """No grids, no households, no villages."""
    villager = make.user("villager", household_id=world["hh1"].id)
    db.session.flush()
    body = bootstrap(villager)
    assert body["households"] == [] and body["villages"] == []
