"""Issue 13's acceptance: a month's dispatch figures built by hand equal the dashboard's cells and the
monthly and quarterly workbooks' cells, read back with openpyxl."""

from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import load_workbook

from tests.worlds.pages import zh
from tests.worlds.town.dispatch import EXPECTED, EXPECTED_TOTALS, MONTH, TODAY, build_town_month
from webapp.extensions import db
from webapp.people.models.geo import Village
from webapp.town.domain import dispatch
from webapp.town.services.dashboard import month_dispatch
from webapp.town.services.dispatch_xlsx import MONTH_HEADERS, PUBLICATION_ZH, QUARTER_HEADERS, quarter_workbook

CELL_RE = re.compile(r'<td class="[^"]*" data-figure="(\w+)"(?: data-state="(\w+)")?>(.*?)</td>', re.DOTALL)
ROW_RE = re.compile(r'<tr(?: class="dash-total")? data-village="(\w*)">(.*?)</tr>', re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")


def _villages(world) -> list[Village]:
    return [db.session.get(Village, world.village_ids[c]) for c in ("YF", "WJ")]


def _dashboard_cells(html: str) -> dict[str, dict[str, str]]:
    """village code ('' for the totals) → figure → the cell's text (or its publication state)."""
    out: dict[str, dict[str, str]] = {}
    for code, row in ROW_RE.findall(html):
        out[code] = {f: state or TAG_RE.sub("", text).strip() for f, state, text in CELL_RE.findall(row)}
    return out


def _as_text(value: object) -> str:
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value.normalize())
    return str(value)


def test_the_month_folds_into_the_figures_worked_out_by_hand(app, make):
    world = build_town_month(make)
    d = month_dispatch(_villages(world), *MONTH, TODAY)
    for row in d.rows:
        assert {f: row.figure(f) for f in EXPECTED[row.code]} == EXPECTED[row.code], row.code
    assert {f: d.totals.figure(f) for f in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert d.totals.publication == {"on_time": 0, "late": 1, "missing": 1, "pending": 0}
    assert d.town_name == "丰盛镇"


def test_the_problems_name_the_silent_grid_its_worker_the_empty_village_and_the_overdue_notice(app, make):
    world = build_town_month(make)
    yf, wj = month_dispatch(_villages(world), *MONTH, TODAY).rows
    [silent] = [p for p in yf.problems if p.code == dispatch.SILENT_GRID]
    assert (silent.grid, silent.workers, silent.days) == (world.silent_grid, (world.silent_worker,), 15)
    assert [p.code for p in yf.problems] == [dispatch.SILENT_GRID, dispatch.OBJECTIONS_UNANSWERED]
    assert [p.code for p in wj.problems] == [dispatch.NO_ENTRIES, dispatch.NOTICE_OVERDUE]


def test_the_dashboard_cells_equal_the_figures_and_link_to_the_villages_pages(app, make, client, auth):
    world = build_town_month(make)
    auth.login("fsadmin")
    html = client.get("/town/dashboard?month=2026-03").get_data(as_text=True)
    cells = _dashboard_cells(html)
    for code, figures in EXPECTED.items():
        assert cells[code] == {f: _as_text(v) for f, v in figures.items()}, code
    assert cells[""] == {f: _as_text(v) for f, v in EXPECTED_TOTALS.items()}
    assert f"/review?village={world.village_ids['WJ']}" in html
    assert f"/admin/publications?village={world.village_ids['YF']}" in html
    assert "王五" in html and "第二网格" in html
    assert zh("Look at these first") in html
    assert "<svg" in html and "<script src=\"http" not in html


def test_the_monthly_workbook_reads_back_the_same_cells(app, make, client, auth):
    build_town_month(make)
    auth.login("fsadmin")
    response = client.get("/town/dashboard/dispatch.xlsx?month=2026-03")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["2026年3月"]
    assert "丰盛镇" in sheet["A1"].value and "2026年3月" in sheet["A1"].value
    headers = [c.value for c in sheet[2]]
    assert headers == list(MONTH_HEADERS)
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    figures = [f for f in dispatch.FIGURES]
    for name, code in (("油房村", "YF"), ("王家村", "WJ")):
        row = dict(zip(figures, rows[name][2:2 + len(figures)], strict=True))
        expected = {f: (PUBLICATION_ZH[v] if f == "publication" else v) for f, v in EXPECTED[code].items()}
        assert {f: row[f] for f in expected} == expected, code
    total = dict(zip(figures, rows["合计"][2:2 + len(figures)], strict=True))
    assert {f: total[f] for f in EXPECTED_TOTALS} == EXPECTED_TOTALS
    assert "第二网格（王五）15天无录入" in rows["油房村"][-1]


def test_the_quarterly_workbook_sums_the_months_and_keeps_their_sheets(app, make):
    world = build_town_month(make)
    book = load_workbook(io.BytesIO(quarter_workbook(_villages(world), 2026, 1, TODAY)))
    assert book.sheetnames == ["2026年第1季度", "2026年1月", "2026年2月", "2026年3月"]
    sheet = book["2026年第1季度"]
    assert "丰盛镇2026年第1季度" in sheet["A1"].value
    assert [c.value for c in sheet[2]] == list(QUARTER_HEADERS)
    rows = {r[1]: dict(zip(QUARTER_HEADERS, r, strict=False)) for r in sheet.iter_rows(min_row=3, values_only=True)}
    yf = rows["油房村"]
    assert (yf["录入条数"], yf["审核通过"], yf["发放积分"], yf["兑换积分"]) == (7, 5, 5.5, 5)  # Feb's entry too
    assert (yf["逾期公示月数"], rows["王家村"]["未公示月数"]) == (1, 3)
    assert yf["本季发布结果"] == 0  # published in April: the next quarter's
    assert rows["合计"]["参与户数（季末）"] == 6
    assert any(r[0] == "满意度测评" for r in sheet.iter_rows(values_only=True))
    march = book["2026年3月"]
    assert [r[1] for r in march.iter_rows(min_row=3, values_only=True)] == ["油房村", "王家村", "合计"]
