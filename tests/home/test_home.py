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
