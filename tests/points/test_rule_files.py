"""The rules as a file again (scheme_writer), the edits the rules pages make (scheme_edits), and what changed
from one version to the next (scheme_diff): pure, no database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.refusals import refused
from tests.rule_files import RULES, scheme_text
from webapp.points.domain import scheme_edits as edits
from webapp.points.domain.scheme import SchemeRules
from webapp.points.domain.scheme_diff import scheme_diff
from webapp.points.domain.scheme_loader import SchemeError, load_scheme
from webapp.points.domain.scheme_writer import write_scheme

CATALOGUES = sorted(path.stem for path in RULES.glob("*.yaml"))
FIELDS = ("code", "name", "subject", "base_points", "inspection_period", "categories", "caps", "policies", "extra")


def same_rules(a: SchemeRules, b: SchemeRules) -> bool:
    """Equal in everything the engine and the pages read (SchemeRules itself compares by identity)."""
    return all(getattr(a, f) == getattr(b, f) for f in FIELDS) and list(a.items.items()) == list(b.items.items())


def again(rules: SchemeRules) -> SchemeRules:
    return load_scheme(write_scheme(rules))


@pytest.mark.parametrize("name", CATALOGUES)
def test_writing_a_catalogue_and_loading_it_again_gives_the_same_rules(name):
    rules = load_scheme(scheme_text(name))
    assert same_rules(again(rules), rules)
    assert write_scheme(again(rules)) == write_scheme(rules)  # and the text is stable


def test_the_written_file_reads_like_the_seed_files(fengsheng):
    text = write_scheme(fengsheng)
    assert "- {code: J1, points: 0.5, per: event, evidence: required, name: 家庭成员做好人好事" in text
    assert "- {items: [J1, J2, J3a, J3b, J4, J5a, J5b, J5c], max: 5, per: month}" in text
    assert "&" not in text and "*" not in text.replace("**", "")  # no aliases: the loader refuses them


def test_a_category_that_names_only_its_base_is_written_without_the_implied_item(star140):
    text = write_scheme(star140)
    assert "items: []" in text and "HJ" not in text.split("categories:")[1].split("items")[1]


def test_changing_an_items_points_and_wording_keeps_its_sign_and_the_rest(fengsheng):
    changed = edits.change_item(fengsheng, "K2", "参与封建迷信活动", Decimal(2))
    assert changed.items["K2"].points == Decimal(-2) and changed.items["K2"].name == "参与封建迷信活动"
    assert changed.items["K2"].scope == "member" and same_rules(again(changed), changed)
    diff = scheme_diff(fengsheng, changed)
    assert [(c.code, c.status, c.fields) for c in diff.items] == [("K2", "changed", ("points", "name"))]


def test_a_base_items_points_move_the_category_and_scheme_base(fengsheng):
    changed = edits.change_item(fengsheng, "B1", fengsheng.items["B1"].name, Decimal(8))
    assert changed.category("B").base_points == 32 and changed.base_points == 102
    assert same_rules(again(changed), changed)
    diff = scheme_diff(fengsheng, changed)
    assert (diff.base_before, diff.base_after) == (100, 102)


def test_adding_and_retiring_items(fengsheng):
    added = edits.add_item(fengsheng, "J", "J10", "参加村里的读书会", Decimal("0.5"), per="month", evidence="required")
    assert list(added.category("J").item_codes)[-1] == "J10"
    assert added.items["J10"].points == Decimal("0.5") and added.items["J10"].per == "month"
    deduction = edits.add_item(added, "K", "K10", "高空抛物", Decimal(3))
    assert deduction.items["K10"].points == -3 and deduction.items["K10"].scope == "member"
    retired = edits.retire_item(deduction, "J2")
    assert "J2" not in retired.items and "J2" not in retired.caps[0].item_codes
    assert same_rules(again(retired), retired)
    diff = scheme_diff(fengsheng, retired)
    assert {(c.code, c.status) for c in diff.items} == {("J10", "added"), ("K10", "added"), ("J2", "retired")}
    assert [(c.status, c.fields) for c in diff.caps] == [("changed", ("items",))]


def test_changing_a_cap(fengsheng):
    changed = edits.change_cap(fengsheng, 0, Decimal(8), "month")
    assert changed.caps[0].max == 8 and same_rules(again(changed), changed)
    diff = scheme_diff(fengsheng, changed)
    assert [(c.status, c.fields, c.before.max, c.after.max) for c in diff.caps] == [("changed", ("max",), 5, 8)]
    assert not diff.items


def test_bad_edits_are_refused_with_a_reason(fengsheng):
    with refused("Item code %(code)s is already used."):
        edits.add_item(fengsheng, "J", "J1", "重复", Decimal(1))
    with refused("The rules have no item %(code)s."):
        edits.retire_item(fengsheng, "Z9")
    with refused("Give the item a name."):
        edits.change_item(fengsheng, "J1", "   ", Decimal(1))
    with refused("A cap must be more than 0."):
        edits.change_cap(fengsheng, 0, Decimal(0), "month")
    with pytest.raises(SchemeError):  # the loader has the last word: a cap per week is no rule
        load_scheme(write_scheme(edits.change_cap(fengsheng, 0, Decimal(1), "week")))


def test_the_same_rules_have_no_differences(fengsheng):
    assert not scheme_diff(fengsheng, again(fengsheng))
