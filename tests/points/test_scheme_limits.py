"""Rules files are bounded: no aliases, no deep nesting, a size and counts a village's rules never
reach; a hostile file is refused in moments, and any file at all is imported or refused, never a crash."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from tests.refusals import refused
from tests.rule_files import scheme_text
from tests.worlds.pages import csrf_token
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.points.domain.scheme_loader import SchemeError, load_scheme
from webapp.points.models.scheme import Item, SchemeVersion
from webapp.points.services.schemes import import_scheme, read_scheme_file

# About 400 bytes that a plain SafeLoader expands to 9^9 strings under `policies` (billion laughs).
ALIAS_BOMB = "\n".join([
    "scheme: {code: X, name: X}",
    "policies:",
    '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    *(f"  {c}: &{c} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]" for p, c in zip("abcdefgh", "bcdefghi")),
    "categories: []",
])
ALIAS = "The file uses an alias (*name); write the values out in full."


def versions() -> int:
    return db.session.scalar(select(func.count(SchemeVersion.id)))


def upload(client, village_id: int, content: bytes):
    page = client.get(f"/admin/scheme?village={village_id}")
    return client.post("/admin/scheme", content_type="multipart/form-data", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "village": str(village_id),
        "file": (io.BytesIO(content), "rules.yaml")})


def test_a_billion_laughs_rules_file_is_refused_in_under_two_seconds(admin_village, client):
    """The probe's nested aliases under `policies` answer 422 at once, in a few megabytes, saving nothing."""
    assert len(ALIAS_BOMB) < 500
    tracemalloc.start()
    started = time.perf_counter()
    response = upload(client, admin_village.id, ALIAS_BOMB.encode())
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert response.status_code == 422 and "别名" in response.get_data(as_text=True)  # "alias", in Chinese
    assert elapsed < 2 and peak < 20 * 2**20
    assert versions() == 0


def test_an_alias_is_refused_with_its_line():
    """Even one harmless alias is refused, pointing at the line that uses it."""
    with refused("The rule scheme has %(count)s problem(s)", SchemeError) as caught:
        load_scheme("scheme: {code: X, name: &n X}\nother: *n\n")
    assert caught.value.problems[0].msgid == ALIAS and caught.value.problems[0].line == 2


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "a:\n" + "".join("  " * n + "- \n" for n in range(1, 5000)),
                                  "- " * 5000 + "x"])
def test_yaml_nested_5000_levels_is_refused_not_a_crash(text):
    """Deep nesting is refused by the loader before the stack overflows (it was a 500)."""
    with pytest.raises(SchemeError) as caught:
        load_scheme(text)
    assert caught.value.problems[0].msgid in ("The file is nested more than %(max)s levels deep.",
                                              "The file is not valid YAML: %(reason)s (line %(line)s, column %(column)s)")


def test_a_deeply_nested_rules_upload_answers_422(admin_village, client):
    """Through the page: 5,000 levels of nesting answer 422, not 500."""
    response = upload(client, admin_village.id, ("- " * 5000 + "x").encode())
    assert response.status_code == 422 and versions() == 0


def test_a_rules_file_over_256_kb_is_refused_before_it_is_parsed(admin_village, client):
    """The probe's 15.7 MB rules file (here 300 KB of comments) is refused by its size, in the user's words."""
    big = (scheme_text("fengsheng") + "\n" + "# 注释\n" * 50_000).encode()
    assert len(big) > 256 * 1024
    with refused("The rules file is %(kb)s KB; at most %(max)s KB are accepted."):
        read_scheme_file(big)
    response = upload(client, admin_village.id, big)
    assert response.status_code == 422 and "256" in response.get_data(as_text=True) and versions() == 0


def test_rules_with_more_items_than_allowed_are_refused():
    """1,001 items (a real scheme has about 40) are refused with the counts and the limits."""
    items = "\n".join(f"      - {{code: I{n}, name: 项{n}, points: 1}}" for n in range(1001))
    text = f"scheme: {{code: X, name: X}}\ncategories:\n  - code: C\n    name: C\n    kind: bonus\n    items:\n{items}\n"
    with pytest.raises(SchemeError) as caught:
        load_scheme(text)
    problem = caught.value.problems[0]
    assert problem.msgid.startswith("The rules have %(categories)s categories and %(items)s items")
    assert problem.params["items"] == 1001 and problem.params["max_items"] == 1000


def test_a_file_with_hundreds_of_problems_lists_the_first_100(admin_village, client):
    """300 bad items: 100 problems are listed and the page says how many more there are."""
    items = "\n".join(f"      - {{code: I{n}, name: 项{n}, points: lots}}" for n in range(300))
    text = f"scheme: {{code: X, name: X}}\ncategories:\n  - code: C\n    name: C\n    kind: bonus\n    items:\n{items}\n"
    with pytest.raises(SchemeError) as caught:
        load_scheme(text)
    assert len(caught.value.problems) == 100 and caught.value.problems.more == 200
    page = upload(client, admin_village.id, text.encode()).get_data(as_text=True)
    assert 'id="more-problems"' in page and "200" in page


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(-1000, 1000),
                    st.text(max_size=8), st.sampled_from(["base", "bonus", "deduction", "freeze", "month", "event",
                                                          "inspection", "year_end", "met", "household", "B1"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["code", "name", "kind", "points", "per", "items", "base_points", "max", "scope", "credit",
                     "default", "evidence", "inspection_period", "x"]), inner, max_size=6), max_leaves=25)


@st.composite
def rules_files(draw) -> bytes:
    """A rules file shaped like one (sections with random values), raw text, or raw bytes."""
    kind = draw(st.sampled_from(["shaped", "shaped", "text", "bytes", "mutated"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "text":
        return draw(st.text(max_size=400)).encode("utf-8", "replace")
    if kind == "mutated":
        text = scheme_text("star-140")
        at = draw(st.integers(0, len(text)))
        return (text[:at] + draw(st.text(max_size=20)) + text[at + draw(st.integers(0, 40)):]).encode("utf-8", "replace")
    data = {"scheme": draw(st.fixed_dictionaries({"code": SCALARS, "name": SCALARS}, optional={
        "base_points": SCALARS, "inspection_period": SCALARS})),
        "policies": draw(st.dictionaries(st.sampled_from(["balance", "notice_days", "approvals_needed", "redemption",
                                                          "cross_review", "year_end_prizes"]), VALUES, max_size=3)),
        "categories": draw(st.lists(VALUES, max_size=3)), "caps": draw(st.lists(VALUES, max_size=2))}
    return yaml.safe_dump(data, allow_unicode=True).encode()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=rules_files())
def test_any_rules_file_is_imported_or_refused_and_a_refusal_writes_nothing(make, content):
    """Whatever the file, the import succeeds or raises a refusal; refused, no version or item was added."""
    village = make.village(make.town(), code=None)
    before = versions(), db.session.scalar(select(func.count(Item.id)))
    try:
        with db.session.begin_nested():
            import_scheme(village, read_scheme_file(content))
    except Refusal:
        assert (versions(), db.session.scalar(select(func.count(Item.id)))) == before
    db.session.rollback()
