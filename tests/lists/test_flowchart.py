"""The one-map: an item's flow as SVG, drawn on the server, readable on a phone, printable on A4."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from webapp.lists.domain.flowchart import WIDTH, FlowChart, FlowStep, render_svg, text_width, wrap

NS = {"svg": "http://www.w3.org/2000/svg"}

STEPS = [
    FlowStep("申请人", "携带身份证、户口簿到村便民服务站提出申请，填写《证明申请表》。", "当日"),
    FlowStep("帮办代办专员", "审核材料；材料不全的，一次性告知需要补正的全部材料。", "1日内"),
    FlowStep("村党组织书记", "审核签字，加盖村委会公章。", "1日内"),
    FlowStep("村委会", "出具证明并登记台账，通知申请人领取。", "1日内"),
    FlowStep("村务监督委员会", "每月抽查台账，公开办理结果。", ""),
]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def step_groups(root: ET.Element) -> list[ET.Element]:
    return root.findall(".//svg:g[@class='step']", NS)


def texts(group: ET.Element, cls: str) -> list[ET.Element]:
    return [t for t in group.findall("svg:text", NS) if t.get("class") == cls]


@pytest.mark.parametrize("n", [1, 3, 5])
def test_the_chart_of_an_item_with_n_steps_shows_every_step_in_order_top_to_bottom(n):
    """Each step's actor and action appear, whole, in the order of the flow, each box below the one before."""
    root = parse(render_svg(FlowChart("开具居住证明", STEPS[:n], start="开始", end="办结")))
    groups = step_groups(root)
    assert len(groups) == n
    tops = []
    for group, step in zip(groups, STEPS[:n], strict=True):
        action = texts(group, "action")
        assert "".join(t.text or "" for t in action) == step.action.replace(" ", "")
        assert "".join(t.text or "" for t in texts(group, "actor")) == step.actor
        tops.append(min(float(t.get("y")) for t in group.findall("svg:text", NS)))
        lines_y = [float(t.get("y")) for t in action]
        assert lines_y == sorted(lines_y)
    assert tops == sorted(tops) and len(set(tops)) == n
    numbers = [g.find("svg:text[@class='num']", NS).text for g in groups]
    assert numbers == [str(i) for i in range(1, n + 1)]


def test_no_line_of_text_is_wider_than_its_box():
    """Lines are wrapped so that even a generous width estimate fits inside the 320-unit chart."""
    root = parse(render_svg(FlowChart("一个非常长的事项名称，用来检验标题是否会自动换行而不会超出图的宽度", STEPS,
                                      subtitle="办理时限：3日", footer=["监督：村务监督委员会，电话 0000-12345678"])))
    for text in root.iter("{http://www.w3.org/2000/svg}text"):
        size = float(text.get("font-size"))
        width = text_width(text.text or "") * size
        x = float(text.get("x"))
        left = x - width / 2 if text.get("text-anchor") == "middle" else x
        assert 0 <= left and left + width <= WIDTH, text.text


def test_the_chart_grows_with_its_content_and_declares_a_viewbox_to_scale_on_any_screen():
    """A viewBox lets the browser scale the chart to a 360 px phone or an A4 page."""
    short = parse(render_svg(FlowChart("事项", STEPS[:1])))
    long = parse(render_svg(FlowChart("事项", STEPS)))
    assert short.get("viewBox").startswith(f"0 0 {WIDTH} ")
    assert float(long.get("height")) > float(short.get("height"))


def test_text_is_escaped_and_the_chart_stays_valid_xml():
    """A step mentioning <script> or & is text, not markup."""
    svg = render_svg(FlowChart("A & B", [FlowStep("<b>村委</b>", "<script>alert(1)</script> & 审核")]))
    root = parse(svg)
    assert "<script>" not in svg
    assert root.find(".//svg:title", NS).text == "A & B"
    assert "".join(t.text for t in texts(step_groups(root)[0], "action")).startswith("<script>")


def test_the_chart_has_a_title_and_a_description_for_screen_readers():
    """role=img with a title and a description listing the steps."""
    root = parse(render_svg(FlowChart("开具证明", STEPS[:2]), prefix="x1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "x1-title x1-desc"
    assert "申请人" in root.find("svg:desc", NS).text


@pytest.mark.parametrize(("text", "width", "lines"), [
    ("审核材料，材料不全的一次性告知", 7, ["审核材料，材料", "不全的一次性告", "知"]),
    ("一二三四五六。七八", 6, ["一二三四五", "六。七八"]),  # a full stop never starts a line: 六 goes with it
    ("第一行\n第二行", 10, ["第一行", "第二行"]),
    ("apply at the desk", 4, ["apply", "at the", "desk"]),  # 0.62 em a letter: "apply at" is too wide
])
def test_wrapping_breaks_chinese_between_characters_and_keeps_punctuation_off_line_starts(text, width, lines):
    """避头尾: 。，、；) never begin a line; Latin words stay whole when they fit."""
    assert wrap(text, width) == lines
