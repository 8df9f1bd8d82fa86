"""The home page tells the committee and reviewers what waits for them."""

from __future__ import annotations

import re
from datetime import date


def test_the_home_page_counts_what_waits_for_review(client, auth, make):
    """Two recorded entries and one recorded inspection wait; an approved one does not count."""
    village = make.village()
    version = make.scheme(village)
    household = make.household(village)
    make.entry(household, version, "J2", date(2026, 3, 1), status="recorded")
    make.entry(household, version, "J4", date(2026, 3, 1), status="recorded")
    make.entry(household, version, "J2", date(2026, 3, 2))
    make.inspection(household, version, "2026-03", status="recorded")
    make.user("reviewer", "pingyi", village_id=village.id)
    auth.login("pingyi")
    page = client.get("/home").get_data(as_text=True)
    assert re.search(r'href="/review">3</a>', page)


def test_an_entry_still_waiting_in_a_closed_month_is_counted_as_waiting(client, auth, make, app):
    """A late item (its month already published) still waits for a reviewer: the town's card counts it with
    the open month's, and counts each village's figures apart (households, this month's entries, objections)."""
    from webapp.extensions import db
    from webapp.home.services import home_summary
    from webapp.publication.models import Objection, Publication

    town = make.town()
    closed, other = make.village(town, name="油房村"), make.village(town, name="王家村")
    version = make.scheme(closed)
    household = make.household(closed)
    make.household(other)
    make.household(other)
    user = make.user("town_admin", "qtownadmin", town_id=town.id)
    february = Publication(village_id=closed.id, period="2026-02", kind="month", status="notice", frozen={})
    db.session.add(february)
    db.session.flush()
    db.session.add(Objection(publication_id=february.id, household_id=household.id, filed_by_id=user.id, text="漏记"))
    make.entry(household, version, "J2", date(2026, 2, 20), status="recorded")  # late: February is closed
    make.entry(household, version, "J2", date(2026, 3, 2), status="recorded")
    make.entry(household, version, "J2", date(2026, 3, 3))
    make.entry(household, version, "J2", date(2025, 6, 3), status="final")
    make.inspection(household, version, "2026-03", status="recorded")
    db.session.commit()
    cards = {c.village.id: c for c in home_summary(user, "town_admin", date(2026, 3, 20)).villages}
    assert cards[closed.id].waiting_for_review == 3
    assert (cards[closed.id].households, cards[closed.id].entries_this_month, cards[closed.id].open_objections) \
        == (1, 2, 1)
    assert cards[closed.id].scheme_version == 1 and cards[closed.id].scheme_name
    assert (cards[other.id].households, cards[other.id].waiting_for_review, cards[other.id].scheme_name) == (2, 0, None)
