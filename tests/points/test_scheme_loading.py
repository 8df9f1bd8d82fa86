"""Loading schemes: the four seed files as shipped, and clear problems for broken ones."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from tests.refusals import refused
from tests.rule_files import scheme_text
from webapp.points.domain.scheme_loader import Problem, SchemeError, load_scheme, scheme_fingerprint

MINI = """\
scheme: {code: mini, name: Mini, base_points: 10}
policies: {balance: carry_over}
categories:
  - code: A
    name: Base
    kind: base
    base_points: 10
    items:
      - {code: A1, points: 6, name: clean}
      - {code: A2, points: 4, name: tidy}
  - code: J
    name: Bonus
    kind: bonus
    items:
      - {code: J1, points: 1, name: help}
      - {code: J2, points: 2, name: lead}
  - code: K
    name: Deduction
    kind: deduction
    items:
      - {code: K1, points: -1, name: quarrel}
caps:
  - {items: [J1, J2], max: 5, per: month}
"""


def problems(text: str) -> list[Problem]:
    """The problems load_scheme reports for a text it must refuse."""
    with refused("The rule scheme has %(count)s problem(s)", SchemeError) as caught:
        load_scheme(text)
    return caught.value.problems


def messages(text: str) -> list[str]:
    return [str(p) for p in problems(text)]


@pytest.mark.parametrize("name", ["fengsheng", "star-140", "bieshan", "pudong"])
def test_every_seed_scheme_loads_unchanged(name):
    """The seed files load as shipped, with no edits."""
    rules = load_scheme(scheme_text(name))
    assert rules.code == name


def test_fengsheng_has_its_41_items_in_7_categories(fengsheng):
    """A 4 + B 5 + C 4 + D 2 + E 3 base items, J 12 bonus, K 11 deductions: 41 items, 7 categories."""
    assert len(fengsheng.items) == 41
    assert [c.code for c in fengsheng.categories] == ["A", "B", "C", "D", "E", "J", "K"]
    assert fengsheng.base_points == Decimal(100)
    assert len(fengsheng.base_items("month")) == 4 + 5 + 4 + 2 + 3
    assert list(fengsheng.items)[:3] == ["A1", "A2", "A3"]


def test_fengsheng_items_inherit_kind_and_scope_from_their_category(fengsheng):
    """K items are member-scope deductions; K9 is a freeze of its own kind with no points."""
    k2, k9 = fengsheng.items["K2"], fengsheng.items["K9"]
    assert (k2.kind, k2.scope, k2.points) == ("deduction", "member", Decimal(-1))
    assert (k9.kind, k9.scope, k9.points) == ("freeze", "member", Decimal(0))


def test_fractional_points_stay_exact(fengsheng):
    """J1's 0.5 points are Decimal('0.5'), not a float approximation."""
    assert fengsheng.items["J1"].points == Decimal("0.5")


def test_fengsheng_knobs_are_read(fengsheng):
    """Defaults, credit, evidence, per and caps come through as written."""
    items = fengsheng.items
    assert items["B1"].default_met and not items["A1"].default_met
    assert (items["J9"].credit, items["J9"].per) == ("year_end", "event")
    assert items["J1"].evidence == "required" and items["J3a"].per == "month"
    assert items["B1"].per == "inspection"
    month_cap, year_cap = fengsheng.caps
    assert (month_cap.max, month_cap.per, month_cap.item_order[:2]) == (Decimal(5), "month", ("J1", "J2"))
    assert (year_cap.max, year_cap.per, year_cap.key) == (Decimal(50), "year", ("J6", "J7", "J8", "J9"))
    assert fengsheng.caps_for("J9") == (year_cap,) and fengsheng.caps_for("K1") == ()


def test_fengsheng_policies_are_typed_and_kept_whole(fengsheng):
    """Known policies are typed fields; the whole mapping stays in raw for later features."""
    policies = fengsheng.policies
    assert (policies.balance, policies.annual_rank_basis) == ("carry_over", "sum")
    assert (policies.publish_by_day, policies.yuan_per_point, policies.redemption_day) == (10, Decimal(1), 20)
    assert policies.review_group_min_size == 3 and policies.approvals_needed == 1
    assert policies.raw["year_end_prizes"]["share_of_resident_households"] == 0.20
    assert policies.raw["model_households_per_month"] == {"min": 10, "max": 15}


def test_categories_without_items_or_kind_are_accepted():
    """Bieshan and Pudong only name their topics; their categories have no items and no kind."""
    bieshan, pudong = load_scheme(scheme_text("bieshan")), load_scheme(scheme_text("pudong"))
    assert len(bieshan.categories) == 8 and not bieshan.items
    assert bieshan.subject == "member_and_household"
    assert (bieshan.policies.balance, bieshan.policies.annual_rank_basis) == ("reset_monthly", "monthly_average")
    assert pudong.categories[0].kind is None and pudong.categories[0].item_codes == ()


def test_unknown_keys_are_kept_as_extra():
    """Keys the engine does not use (topics, village_evaluation, eligibility, source) are kept, not refused."""
    pudong = load_scheme(scheme_text("pudong"))
    assert "key" in pudong.extra["village_evaluation"]
    assert pudong.extra["pilot_min_village_groups"] == 2 and "户在" in pudong.extra["eligibility"]
    assert pudong.categories[0].extra["topics"][0] == "营造和谐有序大家园"
    assert pudong.policies.raw["audit_committee"] is True


def test_base_categories_without_items_get_one_implicit_item(star140):
    """Star-140 names only its bases (HJ 40, WM 40 quarterly; DJ, MS, ZF 20 yearly): one item each."""
    hj = star140.items["HJ"]
    assert (hj.name, hj.kind, hj.points, hj.implicit, hj.default_met) == ("环境整治", "base", Decimal(40), True, False)
    assert [i.code for i in star140.base_items("quarter")] == ["HJ", "WM"]
    assert [i.code for i in star140.base_items("year")] == ["DJ", "MS", "ZF"]
    assert [c.code for c in star140.categories_with_base_in("quarter")] == ["HJ", "WM"]
    assert star140.policies.star_ratings["bands"][0] == {"stars": 5, "top_percent": 10}


def test_the_mini_scheme_loads():
    """The scheme the broken variants below start from is itself valid."""
    assert list(load_scheme(MINI).items) == ["A1", "A2", "J1", "J2", "K1"]


def test_malformed_yaml_names_the_line():
    """An unclosed bracket is reported with its line and column."""
    (problem,) = problems("scheme: {code: x, name: X}\ncategories: [\n  {code: A, name: A\n")
    assert problem.msgid.startswith("The file is not valid YAML")
    assert problem.line == 4 and problem.params["column"] == 1


@pytest.mark.parametrize("text, expected", [
    ("- a\n- b\n", "must be a mapping"),
    ("", "The file is empty"),
    ("categories: []\n", "no scheme section"),
    ("scheme: {code: x, name: X}\n", "no categories"),
])
def test_a_file_without_its_sections_is_refused(text, expected):
    """A file that is not a mapping, or lacks scheme or categories, says so."""
    assert any(expected in m for m in messages(text))


def test_an_unknown_balance_lists_the_allowed_values():
    """balance: weird is refused, naming the three balance policies."""
    (problem,) = problems(MINI.replace("balance: carry_over", "balance: weird"))
    assert problem.path == "policies.balance" and problem.line == 2
    assert problem.message == "balance cannot be 'weird'; use one of: carry_over, reset_monthly, reset_yearly"


def test_a_duplicate_item_code_names_both_places():
    """Two items coded A2 are one problem pointing at the second and naming the first."""
    (problem,) = problems(MINI.replace("{code: K1,", "{code: A2,"))
    assert problem.path == "categories[2].items[0].code" and problem.line == 21
    assert problem.message == "Item code A2 is used twice (also categories[0].items[1])"


def test_a_duplicate_category_code_is_refused():
    """Two categories coded J are refused."""
    assert "Category code J is used twice (also categories[1])" in messages(MINI.replace("code: K\n", "code: J\n"))[0]


def test_a_cap_naming_an_unknown_item_is_refused():
    """A cap over J1 and J7, where J7 does not exist, names J7 and its place."""
    (problem,) = problems(MINI.replace("items: [J1, J2]", "items: [J1, J7]"))
    assert (problem.path, problem.message) == ("caps[0].items[1]", "The cap names an unknown item J7")


def test_base_items_must_add_up_to_their_category():
    """A1 6 + A2 3 = 9, not the category's 10."""
    (problem,) = problems(MINI.replace("{code: A2, points: 4", "{code: A2, points: 3"))
    assert problem.path == "categories[0].base_points"
    assert problem.message == "The base items of A add up to 9, not its base_points 10"


def test_base_categories_must_add_up_to_the_scheme_base():
    """One base category of 10 against a scheme base of 100."""
    (problem,) = problems(MINI.replace("base_points: 10}", "base_points: 100}"))
    assert problem.message == "The base categories add up to 10, not the scheme's base_points 100"


@pytest.mark.parametrize("change, expected", [
    (("points: 6,", "points: six,"), "points must be a number, not 'six'"),
    (("{code: J1, points: 1,", "{code: J1, points: -1,"), "Bonus item J1 cannot have negative points (-1)"),
    (("{code: K1, points: -1,", "{code: K1, points: 1,"), "Deduction item K1 must have negative points, not 1"),
    (("max: 5", "max: 0"), "max must be more than 0, not 0"),
    (("items: [J1, J2]", "items: [J1, K1]"), "A cap cannot mix bonus and deduction items (J1 with K1)"),
    (("    kind: bonus\n", ""), "Item J1 has no kind; give it one or put it in a category that has one"),
    (("per: month}", "per: week}"), "per cannot be 'week'; use one of: month, year"),
    (("name: help}", "name: help, per: fortnight}"), "per cannot be 'fortnight'"),
    (("name: help}", "name: help, scope: village}"), "scope cannot be 'village'"),
    (("name: help}", "name: help, credit: later}"), "credit cannot be 'later'"),
    (("name: help}", "name: help, evidence: maybe}"), "evidence cannot be 'maybe'"),
    (("name: clean}", "name: clean, default: sometimes}"), "default cannot be 'sometimes'; use one of: met, not_met"),
    (("name: Mini,", "name: Mini, subject: village,"), "subject cannot be 'village'"),
    (("name: Mini,", "name: Mini, inspection_period: week,"), "inspection_period cannot be 'week'"),
    (("balance: carry_over", "annual_rank_basis: best"), "annual_rank_basis cannot be 'best'"),
    (("    kind: bonus\n", "    kind: gift\n"), "kind cannot be 'gift'"),
])
def test_each_broken_knob_gives_a_clear_problem(change, expected):
    """Every enumerated knob, number and sign rule names what is wrong in plain words."""
    found = messages(MINI.replace(*change))
    assert any(expected in m for m in found), found


def test_all_problems_are_reported_at_once():
    """A weird balance, a duplicate code and an unknown cap item come back together, in file order."""
    text = (MINI.replace("balance: carry_over", "balance: weird")
            .replace("{code: J2,", "{code: J1,").replace("items: [J1, J2]", "items: [J1, J9]"))
    found = problems(text)
    assert [p.path for p in found] == ["policies.balance", "categories[1].items[1].code", "caps[0].items[1]"]
    assert "3 problem(s)" in str(SchemeError(found))


def test_the_fingerprint_is_the_sha256_of_the_text():
    """The same text gives the same fingerprint; one changed character gives another."""
    assert scheme_fingerprint(MINI) == hashlib.sha256(MINI.encode("utf-8")).hexdigest()
    assert scheme_fingerprint(MINI) != scheme_fingerprint(MINI.replace("Mini", "Maxi"))
