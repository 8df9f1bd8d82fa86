"""The village evaluation (行政村积分评价, seed 003): a hand-worked example of figures and a shared rank,
Pudong's `village_evaluation` loaded as the template unchanged, and the town's data computed into it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
import yaml

from tests.factories import RULES
from tests.worlds.town.evaluation import evaluation_town
from webapp.core.refusal import Refusal
from webapp.town.domain import evaluation as rules
from webapp.town.services import evaluation as service

ITEMS = [
    rules.ItemDef("hh", "户户参与", "base", "participation", D(30), D(50), D(100)),
    rules.ItemDef("star", "美丽庭院星级户", "base", "stars", D(20)),
    rules.ItemDef("old", "为老服务", "key", "manual", D(10)),
    rules.ItemDef("chai", "拆违成果", "key", "manual", D(10)),
    rules.ItemDef("land", "违法用地", "deduction", "manual", D(5)),
]


def hand_worked() -> list[rules.Figure]:
    """Three villages worked by hand:
    A: 8 of 10 households take part (80% × 15 = 12), averaging 80 points of 100 (80% × 15 = 12);
       1★ 25%, 3★ 25%, 5★ 12.5% → (0.25 + 0.75 + 0.625) ÷ 5 = 32.5% × 20 = 6.5; 为老服务 8, 拆违成果 7;
       违法用地 −2 → 24 + 6.5 + 15 − 2 = 43.5.
    B: 5 of 5 (100% × 15 = 15), averaging 60 (60% × 15 = 9); 5★ 50% → 50% × 20 = 10; 为老服务 6, 拆违成果 3.5;
       no deduction → 24 + 10 + 9.5 = 43.5: tied with A.
    C: 3 of 6 (50% × 15 = 7.5), averaging 150, capped at full marks (15); no stars; nothing entered yet → 22.5."""
    a = rules.VillageFacts("A", 10, 8, D(640), {1: D("0.25"), 3: D("0.25"), 5: D("0.125")},
                           {"old": D(8), "chai": D(7), "land": D(2)}, {"land": "占用耕地建棚"})
    b = rules.VillageFacts("B", 5, 5, D(300), {1: D(0), 3: D(0), 5: D("0.5")}, {"old": D(6), "chai": D("3.5")})
    c = rules.VillageFacts("C", 6, 3, D(450))
    return rules.ranking(rules.figure(ITEMS, facts) for facts in (c, b, a))


def test_the_hand_worked_example_gives_the_expected_figures_and_a_shared_rank():
    ranked = hand_worked()
    assert [(f.key, f.total, f.rank) for f in ranked] == [("A", D("43.5"), 1), ("B", D("43.5"), 1), ("C", D("22.5"), 3)]
    a = ranked[0]
    assert [line.points for line in a.lines] == [D(24), D("6.5"), D(8), D(7), D(-2)]
    assert (a.subtotal("base"), a.subtotal("key"), a.subtotal("deduction")) == (D("30.5"), D(15), D(-2))


def test_each_line_explains_itself():
    a, _b, c = hand_worked()
    share, average = a.lines[0].details
    assert rules.render_detail(share) == "8 of 10 households take part (80%): 80% × 15 = 12"
    assert rules.render_detail(average) == ("Their average year points 80 against full marks at 100 (80%): "
                                           "80% × 15 = 12")
    assert rules.render_detail(a.lines[1].details[0]) == (
        "1★ 25%, 3★ 25%, 5★ 12.5% of households; each counts its stars ÷ 5: 32.5% × 20 = 6.5")
    assert rules.render_detail(a.lines[4].details[0]) == "Entered by the town: 2 of 5. 占用耕地建棚"
    assert rules.render_detail(c.lines[2].details[0]) == "Not entered yet: 0 of 10"
    assert c.lines[0].points == D("22.5")  # 150 points average earns the points half in full, no more


def test_pudongs_file_loads_as_the_template_unchanged():
    text = (RULES / "pudong.yaml").read_text(encoding="utf-8")
    section = yaml.safe_load(text)["village_evaluation"]
    items = service.template_from_text(text)
    assert [(i.kind, i.name) for i in items] == (
        [("base", n) for n in section["base"]] + [("key", n) for n in section["key"]]
        + [("deduction", n) for n in section["deductions"]])
    assert [i.name for i in items][:2] == ["户户参与（家庭户积分折算为行政村积分）", "美丽庭院星级户创复评（一星、三星、五星户比例）"]
    assert [i.method for i in items] == ["participation", "stars", "manual", "manual", "manual", "manual", "manual",
                                         "manual"]
    # The app's bundled copy is the fixture, byte for byte.
    assert service.bundled_template() == text


def test_a_rules_file_without_a_village_evaluation_is_refused():
    with pytest.raises(Refusal):
        service.template_from_text((RULES / "fengsheng.yaml").read_text(encoding="utf-8"))


def test_an_items_settings_must_make_sense():
    assert rules.check_item("deduction", "stars", D(5), D(50), D(100))
    assert rules.check_item("key", "manual", D(0), D(50), D(100))
    assert rules.check_item("base", "participation", D(30), D(120), D(100))
    assert rules.check_item("base", "participation", D(30), D(50), D(100)) is None


def test_the_town_computes_enters_ranks_and_publishes_its_villages(make):
    world = evaluation_town(make)
    admin = world["admin"]
    evaluation = service.load_template(admin, 2026)
    items = {i.name[:4]: i for i in evaluation.items}
    old, chai, land = items["为老服务"], items["拆违成果"], items["违法用地"]
    for village, o, c in ((world["yf"], "8", "7"), (world["wj"], "10", "9")):
        service.enter_value(admin, 2026, old.id, village.id, o, "组织敬老活动4次")
        service.enter_value(admin, 2026, chai.id, village.id, c, "巩固五违四必整治")
    service.enter_value(admin, 2026, land.id, world["wj"].id, "3", "违法用地一处")

    standings = service.computed_ranking(evaluation)
    by_code = {s.village.code: s for s in standings}
    # YF: 3 of 4 households take part (75% × 17.5 = 13.13), no points yet; 1★ 1/3, 5★ 1/3 → 40% × 35 = 14;
    # 8 + 7 → 42.13. WJ: 2 of 2 (17.5); 3★ 1/2 → 30% × 35 = 10.5; 10 + 9 − 3 → 44.
    assert by_code["YF"].total == D("42.13") and by_code["WJ"].total == D(44)
    assert [(s.village.code, s.rank) for s in standings] == [("WJ", 1), ("YF", 2), ("XC", 3)]
    assert by_code["WJ"].lines[-3]["points"] == "-3.00"

    service.publish(admin, 2026, date(2027, 1, 10))
    # A published evaluation keeps its results.
    with pytest.raises(Refusal):
        service.enter_value(admin, 2026, old.id, world["yf"].id, "1", "改")
    standings, ranked = service.readable_results(world["yf_admin"], 2026)
    assert [(s.village.code, s.total, s.rank) for s in standings] == [("YF", D("42.13"), 2)] and ranked == 3


def test_tied_villages_share_a_rank_in_the_town(make):
    world = evaluation_town(make)
    admin = world["admin"]
    evaluation = service.load_template(admin, 2026)
    for item in list(evaluation.items)[1:]:
        service.remove_item(admin, 2026, item.id)
    # Only participation: WJ (2 of 2) and XC (1 of 1) both take part in full.
    standings = service.computed_ranking(evaluation)
    assert [(s.village.code, s.rank) for s in standings] == [("WJ", 1), ("XC", 1), ("YF", 3)]


def test_a_manual_value_needs_a_note_and_stays_within_the_items_points(make):
    world = evaluation_town(make)
    admin = world["admin"]
    evaluation = service.load_template(admin, 2026)
    old = evaluation.items[2]
    with pytest.raises(Refusal):
        service.enter_value(admin, 2026, old.id, world["yf"].id, "11", "太多")
    with pytest.raises(Refusal):
        service.enter_value(admin, 2026, old.id, world["yf"].id, "5", " ")
    with pytest.raises(Refusal):
        service.enter_value(admin, 2026, evaluation.items[0].id, world["yf"].id, "5", "计算项")
