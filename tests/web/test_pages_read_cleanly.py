"""Every page reads cleanly: walking the GET pages of each role of the demo town (and of nobody logged in), no page
shows a database id ("id=3", "#12"), the text "None", or a UTC time ("UTC", "+00:00", "2026-11-03T12:34:56")
in what a reader sees. Times are shown in the village's time zone (the `localtime` filter)."""

from __future__ import annotations

import html
import re

import pytest

from tests.worlds.route_walk import as_everyone, demo_town, rules, url_for_rule
from webapp.web.local_time import localtime

# What the reader sees: the page without its scripts, styles and tags.
HIDDEN = re.compile(r"<(script|style|template)\b.*?</\1>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]+>")
# What must never show.
UNCLEAN = {
    "a database id": re.compile(r"\b(?:id|_id)\s*=\s*\d|(?<![&\w])#\d+\b"),
    "None": re.compile(r"\bNone\b"),
    "a UTC time": re.compile(r"\bUTC\b|\+00:00|\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d)?"),
}


def visible_text(page: str) -> str:
    return html.unescape(TAG.sub(" ", HIDDEN.sub(" ", page)))


def problems(page: str) -> list[tuple[str, str]]:
    """Each unclean thing on a page, with the text around it."""
    text = visible_text(page)
    found = []
    for what, pattern in UNCLEAN.items():
        for match in pattern.finditer(text):
            found.append((what, text[max(0, match.start() - 40):match.end() + 40].strip()))
    return found


def test_the_checker_sees_ids_none_and_utc_times_and_passes_clean_text():
    """The check itself: it flags what it must and leaves a clean page alone."""
    assert [w for w, _ in problems("<p>entry 12 id=12</p>")] == ["a database id"]
    assert [w for w, _ in problems("<p>记录 #12</p>")] == ["a database id"]
    assert [w for w, _ in problems("<p>理由：None</p>")] == ["None"]
    assert [w for w, _ in problems("<p>2026-11-03 12:00 UTC</p>")] == ["a UTC time"]
    assert [w for w, _ in problems("<p>2026-11-03T12:34:56</p>")] == ["a UTC time"]
    assert problems('<p id="x" class="a">张三 通过了 李四 户 2026-11 入户评分</p><p>2026-11-03 20:34</p>'
                    '<script>var a = {id: 1, v: null, t: "2026-11-03T12:00:00+00:00"}</script>') == []


def test_a_stored_utc_time_is_shown_in_the_village_time_zone(app):
    """Stored 2026-11-03 12:34 UTC is 20:34 in Asia/Shanghai, and the next day after 16:00 UTC."""
    from datetime import date, datetime

    assert localtime(datetime(2026, 11, 3, 12, 34)) == "2026-11-03 20:34"
    assert localtime(datetime(2026, 11, 3, 16, 30), "%Y-%m-%d") == "2026-11-04"
    assert localtime(date(2026, 11, 3)) == "2026-11-03"
    assert localtime(None) == ""


@pytest.mark.parametrize("backend_app", ["sqlite"], indirect=True)
def test_no_page_of_any_role_shows_a_database_id_none_or_a_utc_time(app, client):
    """Each demo account (and nobody) opens every GET route with the demo town's values; every HTML page that
    answers 200 reads cleanly."""
    values = demo_town()
    unclean, opened = [], 0
    for who, _token in as_everyone(client):
        for rule in rules(app):
            if rule.endpoint in ("auth.logout",):
                continue
            url = url_for_rule(app, rule, values)
            answer = client.get(url)
            if answer.status_code != 200 or answer.mimetype != "text/html":
                continue
            opened += 1
            unclean += [(who, url, what, around) for what, around in problems(answer.get_data(as_text=True))]
    assert opened > 100, opened
    assert unclean == []
