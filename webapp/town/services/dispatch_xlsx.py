"""The monthly dispatch (月调度表) and the quarterly report (季度报表) as .xlsx, in the layout a town sends
upward: the town and the period in the title, Chinese headers (the report is the county's, whatever the
reader's language), a row per village, a totals row. Data only, never formulas (workbook_bytes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from webapp.core.periods import Period
from webapp.core.spreadsheets import workbook_bytes
from webapp.people.models.geo import Village
from webapp.town.domain import dispatch as d
from webapp.town.services.dashboard import Dispatch, month_dispatch
from webapp.town.services.quarter import PICK_KINDS, STAR_LEVELS, QuarterExtras, quarter_extras
from webapp.town.services.survey_results import quarter_survey_summary

MONTH_HEADERS = ("序号", "村", "参与户数", "已入户评分户数", "未入户评分户数", "录入条数", "审核通过", "驳回",
                 "待审核", "发放积分", "兑换积分", "未办结异议", "结果公示", "超市库存价值（分）", "需关注")
PUBLICATION_ZH = {d.ON_TIME: "按时公示", d.LATE: "逾期公示", d.MISSING: "未公示", d.PENDING: "未到期限"}
QUARTER_HEADERS = ("序号", "村", "参与户数（季末）", "入户评分户次", "录入条数", "审核通过", "驳回", "待审核",
                   "发放积分", "兑换积分", "未办结异议", "按时公示月数", "逾期公示月数", "未公示月数",
                   "本季发布结果", "示范户", "光荣榜", "获奖户", "一星庭院", "三星庭院", "五星庭院",
                   "在用清单事项", "代办事项办结", "代办事项逾期", "三务公开条数")
SUMMED = ("inspected", "entries", "approved", "rejected", "waiting", "points_issued", "points_redeemed",
          "objections_open")


def problem_zh(p: d.Problem) -> str:
    if p.code == d.NO_ENTRIES:
        return "本月无录入"
    if p.code == d.SILENT_GRID:
        who = "、".join(p.workers) or "未设网格员"
        return f"{p.grid}（{who}）{p.days if p.days is not None else '45+'}天无录入"
    if p.code == d.NOTICE_OVERDUE:
        return f"公示逾期{p.days}天"
    return f"{p.count}件异议公示期满未答复"


def _number(value: Decimal | int) -> float | int:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _title(sheet: Worksheet, title: str, width: int) -> None:
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")


def _headers(sheet: Worksheet, headers: Sequence[str]) -> None:
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.column_dimensions["B"].width = 12
    for i in range(3, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 11
    sheet.freeze_panes = "C3"


def month_sheet(book: Workbook, dispatch: Dispatch) -> Worksheet:
    year, month = dispatch.period.year, dispatch.period.index
    sheet = book.create_sheet(f"{year}年{month}月")
    _title(sheet, f"{dispatch.town_name}{year}年{month}月“积分制”推广运用情况调度表", len(MONTH_HEADERS))
    _headers(sheet, MONTH_HEADERS)
    for n, row in enumerate(dispatch.rows, start=1):
        sheet.append([n, row.name, *(_number(row.figure(f)) for f in d.NUMERIC_FIGURES[:-1]),
                      PUBLICATION_ZH[row.publication], _number(row.stock_value),
                      "；".join(problem_zh(p) for p in row.problems)])
    t = dispatch.totals
    states = "、".join(f"{PUBLICATION_ZH[s]}{n}" for s, n in t.publication.items() if n)
    sheet.append(["", "合计", *(_number(t.figure(f)) for f in d.NUMERIC_FIGURES[:-1]), states,
                  _number(t.stock_value), ""])
    sheet.column_dimensions[get_column_letter(len(MONTH_HEADERS))].width = 40
    return sheet


def month_workbook(villages: Sequence[Village], year: int, month: int, today: date) -> bytes:
    book = Workbook()
    book.remove(book.active)
    month_sheet(book, month_dispatch(villages, year, month, today))
    return workbook_bytes(book)


def quarter_rows(months: Sequence[Dispatch], extras: dict[int, QuarterExtras]) -> list[list[object]]:
    """A row per village: the months summed (participating at the quarter's end), the publication states
    counted, then the quarter's own figures; the totals row last."""
    rows: list[list[object]] = []
    sums = [0] * (len(QUARTER_HEADERS) - 2)
    for n, village_rows in enumerate(zip(*(m.rows for m in months), strict=True), start=1):
        first = village_rows[0]
        x = extras[first.village_id]
        values: list[Decimal | int] = [village_rows[-1].participating]
        values += [sum((r.figure(f) for r in village_rows), Decimal(0)) for f in SUMMED]  # type: ignore[misc]
        values += [sum(1 for r in village_rows if r.publication == s) for s in (d.ON_TIME, d.LATE, d.MISSING)]
        values += [x.published, *(x.picks.get(k, 0) for k in PICK_KINDS), *(x.stars.get(s, 0) for s in STAR_LEVELS),
                   x.list_items, x.matters_done, x.matters_overdue, x.disclosures]
        sums = [a + b for a, b in zip(sums, values, strict=True)]
        rows.append([n, first.name, *(_number(v) for v in values)])
    rows.append(["", "合计", *(_number(v) for v in sums)])
    return rows


def quarter_workbook(villages: Sequence[Village], year: int, quarter: int, today: date) -> bytes:
    """The quarter's sheet (with the surveys' results below it), then each of its months' dispatch sheets."""
    period = Period.quarter(year, quarter)
    months = [month_dispatch(villages, y, m, today) for y, m in period.months()]
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet(f"{year}年第{quarter}季度")
    town = months[0].town_name
    _title(sheet, f"{town}{year}年第{quarter}季度“积分制”“清单制”推广运用情况报表", len(QUARTER_HEADERS))
    _headers(sheet, QUARTER_HEADERS)
    for row in quarter_rows(months, quarter_extras(villages, period)):
        sheet.append(row)
    _surveys(sheet, villages, period)
    for month in months:
        month_sheet(book, month)
    return workbook_bytes(book)


def _surveys(sheet: Worksheet, villages: Sequence[Village], period: Period) -> None:
    """满意度测评: per survey of the quarter, per village the answers, the paper ones and the satisfaction."""
    sheet.append([])
    sheet.append(["满意度测评"])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    names = {v.id: v.name for v in villages}
    surveys = [s for town_id in sorted({v.town_id for v in villages})
               for s in quarter_survey_summary(town_id, period)]
    if not surveys:
        sheet.append(["", "本季度无测评"])
        return
    for survey in surveys:
        sheet.append(["", f"{survey['title']}（{survey['opens_on']}—{survey['closes_on']}）"])
        sheet.append(["", "村", "答卷数", "其中纸质", "满意率"])
        results = survey["villages"]
        assert isinstance(results, dict)
        for vid, result in results.items():
            if vid not in names:
                continue
            share = result.get("satisfaction")
            sheet.append(["", names[vid], result["responses"], result["paper"],
                          "" if share is None else f"{share}%"])
