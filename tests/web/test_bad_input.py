"""Bad input is a 4xx, never a 500: huge ids, control characters, numbers beyond any column."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import BadRequest

from tests.worlds.pages import post
from tests.worlds.route_walk import INT_PARAMETERS, as_everyone, demo_town, rules, url_for_rule
from webapp.extensions import db
from webapp.people.services.roster import RosterError, import_roster
from webapp.web.bounded_input import INT_MAX, BoundedMultiDict, refuse_control_characters

HUGE = (2**31, 2**63, 2**64)
WALKERS = ("town_admin", "village_admin", "clerk", "scorer", "villager")


def test_huge_ids_in_every_route_and_every_number_field_give_no_server_error(app, client):
    """Every route, as five roles: ids of 2^31, 2^63 and 2^64 in the path, the query and the form — no 5xx."""
    values = demo_town()
    failures, sent = [], 0
    for who, token in as_everyone(client):
        if who not in WALKERS:
            continue
        for huge in HUGE:
            numbers = {name: str(huge) for name in INT_PARAMETERS}
            for method in ("GET", "POST"):
                for rule in rules(app, method):
                    if rule.endpoint == "auth.logout":
                        continue
                    url = url_for_rule(app, rule, values, ints=huge)
                    try:
                        if method == "GET":
                            answer = client.get(url, query_string=numbers)
                        else:
                            answer = client.post(url, data={"csrf_token": token, **numbers})
                        status = answer.status_code
                    except Exception as error:  # noqa: BLE001 - the test client raises what would be a 500
                        status = f"{type(error).__name__}: {error}"[:160]
                    sent += 1
                    if not isinstance(status, int) or status >= 500:
                        failures.append((who, method, url, status))
                    db.session.rollback()
    assert failures == []
    assert sent > 5 * 3 * 100, sent


@pytest.mark.parametrize("path", ["/photos/{}", "/photos/{}/thumb", "/attachments/{}", "/v/YF/disclosures/{}",
                                  "/v/YF/lists/x/v{}"])
@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_id_in_a_public_address_is_not_found(client, path, huge):
    """Anonymous addresses with an id beyond any database's integers answer 404."""
    assert client.get(path.format(huge)).status_code == 404


def test_the_largest_id_still_matches_a_route(client):
    """2^31 - 1 is an id like any other (404: no such photo), so nothing real is cut off."""
    assert client.get(f"/photos/{INT_MAX}").status_code == 404
    assert client.get(f"/photos/{INT_MAX + 1}").status_code == 404


def test_a_number_beyond_the_range_in_a_query_is_not_given():
    """request.args.get(…, type=int) treats 2^63 like a word: the default."""
    args = BoundedMultiDict([("village", str(2**63)), ("page", "3"), ("group", "-" + str(2**40)), ("ids", "7"),
                             ("ids", str(2**31))])
    assert args.get("village", type=int) is None and args.get("page", 1, type=int) == 3
    assert args.get("group", 5, type=int) == 5 and args.getlist("ids", type=int) == [7]


def test_a_huge_village_in_a_query_shows_the_page_as_if_none_was_chosen(app, client, auth, make):
    """A village admin's household list with ?village=2^63 is the ordinary list."""
    village = make.village()
    make.user("village_admin", username="vadmin", village_id=village.id)
    auth.login("vadmin")
    assert client.get(f"/households?village={2**63}&page={2**64}").status_code == 200


@pytest.mark.parametrize("path", ["/v/%00/board", "/v/YF/board%01", "/households?q=a%00b", "/login?next=%0d"])
def test_a_control_character_in_the_path_or_query_is_a_bad_request(client, path):
    """NUL and other control characters in the address are refused before any view: 400."""
    assert client.get(path).status_code == 400


def test_a_login_with_a_nul_in_the_username_is_a_bad_request(client):
    """The login form with a NUL in the username is refused with 400, not a database error."""
    answer = post(client, "/login", "/login", {"username": "ad\x00min", "password": "x"})
    assert answer.status_code == 400


@pytest.mark.parametrize(("value", "refused"), [("two\tlines\r\nhere", False), ("nul\x00", True),
                                                ("escape\x1b[0m", True), ("bell\x07", True)])
def test_form_text_may_hold_tabs_and_line_breaks_but_no_other_control_character(app, value, refused):
    """A text area keeps tab, CR and LF; NUL, ESC and BEL are a bad request."""
    with app.test_request_context("/anything", method="POST", data={"note": value}):
        if refused:
            with pytest.raises(BadRequest):
                refuse_control_characters()
        else:
            refuse_control_characters()


def test_a_control_character_in_a_field_name_or_file_name_is_a_bad_request(app):
    """Not only values: a field's name and an upload's file name are checked too."""
    import io

    with app.test_request_context("/x", method="POST", data={"no\x00te": "x"}), pytest.raises(BadRequest):
        refuse_control_characters()
    with app.test_request_context("/x", method="POST", data={"file": (io.BytesIO(b"a"), "a\x00.csv")}), \
            pytest.raises(BadRequest):
        refuse_control_characters()


def test_a_roster_cell_with_a_nul_is_refused_with_its_row(make):
    """A CSV roster whose head's name holds a NUL is refused whole, naming row 3 and the column."""
    village = make.village()
    data = "户编码,户主\nA1,张三\nA2,李\x00四\n".encode()
    with pytest.raises(RosterError) as refused:
        import_roster(village, "nul.csv", data)
    [problem] = refused.value.problems
    assert (problem.row, problem.column) == (3, "户主") and "control character" in problem.msgid
