"""Regenerate good.xlsx: `python tests/data/roster/make_good_xlsx.py` from the repository root."""

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

book = Workbook()
sheet = book.active
sheet.title = "名册"
sheet.append(["户编码", "户主", "村民小组", "网格", "地址", "联系电话", "身份证号", "家庭成员", "常住", "参与积分", "入户日期"])
# As Excel keeps them: a numeric code and phone, a date cell, a blank optional cell.
sheet.append([1001, "刘备", "三组", "东网格", "桃园路1号", 13900001111, "110101199001011234", "关羽(义弟)；张飞（义弟）", "是", "是", datetime(2022, 5, 4)])
sheet.append(["XL002", "孙权", "三组", "西网格", None, None, None, "孙尚香（妹）", "否", "否", None])
sheet.append([None] * 11)  # a formatted but empty row, as Excel leaves them at the end
book.save(Path(__file__).with_name("good.xlsx"))
