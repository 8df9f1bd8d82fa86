"""Lists in and out of files: YAML and .xlsx, so that a town can share its templates.

Exporting a version and importing the file gives the same items. An import never adopts:
each list in the file becomes (or replaces) a draft, which the village then adopts at a
meeting like any other change. A file with any problem is refused whole; nothing is written.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font, PatternFill

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.core.spreadsheets import workbook_bytes
from webapp.core.text_files import decode_text
from webapp.lists.domain.lists import ITEM_FIELDS, KINDS, STEP_FIELDS
from webapp.lists.models import DutyList, ListVersion
from webapp.lists.schemas import FORMAT, Problem, load_file
from webapp.lists.services.catalog import create_list, town_templates, village_lists
from webapp.lists.services.versions import open_draft, replace_items, start_draft, version_content
from webapp.people.models.geo import Town, Village
from webapp.people.services.roster_file import MAX_UNPACKED_BYTES, unpacked_size

ITEM_TITLES = {"list_code": "清单编码", "kind": "清单类型", "list_name": "清单名称", "code": "事项编码",
               "name": "事项名称", "category": "类别", "responsible": "责任主体", "time_limit_days": "时限（天）",
               "basis": "政策依据", "conditions": "办理条件", "materials": "所需材料", "supervisor": "监督主体",
               "supervision": "监督方式", "guide": "指导单位"}
STEP_TITLES = {"list_code": "清单编码", "item_code": "事项编码", "position": "序号", "actor": "办理主体",
               "action": "办理事项", "days": "时限（天）"}
ITEMS_SHEET, STEPS_SHEET = "事项", "流程"


MAX_FILE_BYTES = 4 * 1024 * 1024  # a lists file; the Fengsheng lists are 2.5 KB of YAML
MAX_YAML_DEPTH = 32  # nesting levels; a lists file uses five
MAX_YAML_NODES = 200_000  # values in a YAML file
MAX_SHEET_ROWS = 10_000  # rows read from a sheet, blank ones included
MAX_SHEET_COLUMNS = 64
MAX_PROBLEMS = 100  # problems listed; the others are only counted


class ShownProblems(list):  # type: ignore[type-arg]
    """The first MAX_PROBLEMS problems; `more` says how many others were found but are not listed."""

    more: int = 0


class ListImportError(Refusal):
    """The file was refused; `problems` says where and why (the first 100). Nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(N_("The lists were not imported. Please correct the file."))
        self.problems = ShownProblems(problems[:MAX_PROBLEMS])
        self.problems.more = max(0, len(problems) - MAX_PROBLEMS)


def file_entry(duty_list: DutyList, version: ListVersion) -> dict[str, Any]:
    """One list as it appears in a file."""
    items = []
    for data in version_content(version):
        item = {k: v for k, v in data.items() if k != "steps" and v not in ("", None)}
        item["steps"] = [{k: v for k, v in s.items() if v not in ("", None)} for s in data["steps"]]
        items.append(item)
    return {"code": duty_list.code, "kind": duty_list.kind, "name": duty_list.name, "items": items}


class _Dumper(yaml.SafeDumper):
    """Multi-line text as | blocks, so a policy basis stays readable in the file."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def export_yaml(entries: list[tuple[DutyList, ListVersion]]) -> str:
    """A YAML file of lists (each at the version given)."""
    data = {"format": FORMAT, "lists": [file_entry(d, v) for d, v in entries]}
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


class _Loader(yaml.SafeLoader):
    """Safe YAML without aliases, nested at most MAX_YAML_DEPTH deep, with at most MAX_YAML_NODES values:
    a file of a few kilobytes must not expand to gigabytes, nor overflow the stack."""

    depth = 0
    nodes = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases are not allowed")
        self.depth += 1
        self.nodes += 1
        if self.depth > MAX_YAML_DEPTH or self.nodes > MAX_YAML_NODES:
            raise yaml.YAMLError("nested too deep, or too many values")
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def read_yaml(text: str) -> dict[str, Any]:
    """Parse and validate a YAML lists file (ListImportError with every problem)."""
    try:
        raw = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ListImportError([Problem(N_("The file is not valid YAML."), line=line)]) from None
    except (ValueError, TypeError, AttributeError, OverflowError):  # a date like 2024-13-45, a huge number
        raise ListImportError([Problem(N_("The file is not valid YAML."))]) from None
    data, problems = load_file(raw)
    if problems:
        raise ListImportError(problems)
    return data


def export_xlsx(entries: list[tuple[DutyList, ListVersion]]) -> bytes:
    """A workbook with one row per item (sheet 事项) and one row per flow step (sheet 流程)."""
    book = openpyxl.Workbook()
    items = book.active
    items.title = ITEMS_SHEET
    steps = book.create_sheet(STEPS_SHEET)
    items.append(list(ITEM_TITLES.values()))
    steps.append(list(STEP_TITLES.values()))
    for duty_list, version in entries:
        for data in version_content(version):
            head = {"list_code": duty_list.code, "kind": KINDS[duty_list.kind].zh, "list_name": duty_list.name}
            items.append([{**head, **data}.get(key) for key in ITEM_TITLES])
            for n, step in enumerate(data["steps"], 1):
                steps.append([duty_list.code, data["code"], n, step["actor"], step["action"], step["days"]])
    for sheet, widths in ((items, (10, 18, 20, 10, 28, 12, 20, 10, 40, 30, 30, 18, 30, 18)),
                          (steps, (10, 10, 6, 22, 50, 10))):
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="B3261E")
        for col, width in zip(sheet.columns, widths, strict=False):
            sheet.column_dimensions[col[0].column_letter].width = width
            for cell in col[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    return workbook_bytes(book)  # fields typed as =… are written as text, never as formulas


def _cell(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _rows(sheet: Any, titles: dict[str, str], problems: list[Problem]) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a sheet as {field: value}, columns found by their Chinese (or field) names."""
    if (sheet.max_row or 0) > MAX_SHEET_ROWS:  # what the sheet's <dimension> declares
        raise _too_many_rows(sheet.title)
    rows = sheet.iter_rows(max_col=min(sheet.max_column or MAX_SHEET_COLUMNS, MAX_SHEET_COLUMNS), values_only=True)
    header = [str(h or "").strip() for h in next(rows, ())]
    by_title = {t: k for k, t in titles.items()} | {k: k for k in titles}
    columns = {i: by_title[h] for i, h in enumerate(header) if h in by_title}
    for key, title in titles.items():
        if key not in columns.values():
            problems.append(Problem(N_("Column %(column)s is missing."), {"column": title}, sheet.title, 1, title))
    found = []
    for number, values in enumerate(rows, 2):
        if number > MAX_SHEET_ROWS:
            raise _too_many_rows(sheet.title)
        row = {columns[i]: _cell(v) for i, v in enumerate(values) if i in columns}
        if any(v not in (None, "") for v in row.values()):
            found.append((number, row))
    return found


def _too_many_rows(sheet: str) -> ListImportError:
    return ListImportError([Problem(N_("The sheet %(sheet)s has more than %(max)s rows."),
                                    {"sheet": sheet, "max": MAX_SHEET_ROWS}, sheet)])


def read_xlsx(content: bytes) -> dict[str, Any]:
    """Parse and validate an .xlsx lists file (ListImportError with every problem, by row and column)."""
    unpacked = unpacked_size(content)
    if unpacked is None:
        raise ListImportError([Problem(N_("The file is not an .xlsx workbook."))])
    if unpacked > MAX_UNPACKED_BYTES:
        raise ListImportError([Problem(N_("The workbook is too big to import (%(mb)s MB unpacked)."),
                                       {"mb": unpacked // 2**20})])
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ListImportError([Problem(N_("The file is not an .xlsx workbook."))]) from None
    if ITEMS_SHEET not in book.sheetnames:
        raise ListImportError([Problem(N_("The workbook has no sheet named %(sheet)s."), {"sheet": ITEMS_SHEET})])
    problems: list[Problem] = []
    item_rows = _rows(book[ITEMS_SHEET], ITEM_TITLES, problems)
    step_rows = _rows(book[STEPS_SHEET], STEP_TITLES, problems) if STEPS_SHEET in book.sheetnames else []
    if problems:
        raise ListImportError(problems)
    lists: dict[str, dict[str, Any]] = {}
    places: list[tuple[int, str]] = []  # (row, sheet) of each item, to point at problems
    for number, row in item_rows:
        entry = lists.setdefault(str(row.get("list_code") or ""), {
            "code": row.get("list_code"), "kind": row.get("kind"), "name": row.get("list_name"), "items": []})
        entry["items"].append({k: row.get(k) for k in ITEM_FIELDS} | {"steps": []})
        places.append((number, ITEMS_SHEET))
    items = {(str(e["code"]), str(i["code"])): i for e in lists.values() for i in e["items"]}
    for number, row in sorted(step_rows, key=lambda r: (str(r[1].get("list_code")), str(r[1].get("item_code")),
                                                        r[1].get("position") if isinstance(r[1].get("position"), int) else 0)):
        target = items.get((str(row.get("list_code")), str(row.get("item_code"))))
        if target is None:
            problems.append(Problem(N_("This step names no item of the sheet %(sheet)s."), {"sheet": ITEMS_SHEET},
                                    STEPS_SHEET, number, STEP_TITLES["item_code"]))
            continue
        target["steps"].append({k: row.get(k) for k in STEP_FIELDS})
    data, found = load_file({"format": FORMAT, "lists": list(lists.values())})
    problems.extend(_xlsx_place(p, lists, places) for p in found)
    if problems:
        raise ListImportError(problems)
    return data


def _xlsx_place(problem: Problem, lists: dict[str, dict[str, Any]], places: list[tuple[int, str]]) -> Problem:
    """Turn lists[1].items[2].name into the row and column of the 事项 sheet."""
    match = re.match(r"lists\[(\d+)\](?:\.items\[(\d+)\])?\.?(\w*)", problem.path)
    if not match:
        return problem
    index = sum(len(e["items"]) for e in list(lists.values())[: int(match[1])]) + int(match[2] or 0)
    row = places[index][0] if index < len(places) else None
    field = match[3] if match[2] else {"code": "list_code", "name": "list_name"}.get(match[3], match[3])
    return Problem(problem.msgid, problem.params, ITEMS_SHEET, row, ITEM_TITLES.get(field, STEP_TITLES.get(field)))


def read_lists_file(content: bytes) -> dict[str, Any]:
    """A lists file by its content: an .xlsx workbook (a zip), else YAML text in UTF-8 or GB18030."""
    if len(content) > MAX_FILE_BYTES:
        raise ListImportError([Problem(N_("The file is %(size)s MB; at most %(max)s MB can be imported at once."),
                                       {"size": f"{len(content) / 2**20:.1f}", "max": MAX_FILE_BYTES // 2**20})])
    if not content.strip():
        raise ListImportError([Problem(N_("Choose a file to upload."))])
    if content.startswith(b"PK"):
        return read_xlsx(content)
    text = decode_text(content)
    if text is None:
        raise ListImportError([Problem(N_("The file could not be read as text (UTF-8 or GB18030)."))])
    return read_yaml(text)


@dataclass(frozen=True, slots=True)
class Imported:
    duty_list: DutyList
    draft: ListVersion
    created: bool


def import_lists(town: Town, village: Village | None, data: dict[str, Any], actor_id: int | None = None,
                 note: str = "") -> list[Imported]:
    """Each list of the file as a draft of the village's (or town's template) list with that code."""
    existing = {d.code: d for d in (village_lists(village) if village else town_templates(town))}
    problems = [Problem(N_("List %(code)s exists already as another kind of list."), {"code": e["code"]},
                        f"lists[{n}].kind")
                for n, e in enumerate(data["lists"]) if e["code"] in existing and existing[e["code"]].kind != e["kind"]]
    if problems:
        raise ListImportError(problems)
    done = []
    for entry in data["lists"]:
        duty_list = existing.get(entry["code"])
        created = duty_list is None
        if created:
            duty_list = create_list(town, village, entry["kind"], entry["name"], entry["code"], actor_id)
        duty_list.name = entry["name"]
        draft = open_draft(duty_list) or start_draft(duty_list, actor_id, note=note)
        replace_items(draft, entry["items"])
        done.append(Imported(duty_list, draft, created))
    return done


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_file(fmt: str, entries: list[tuple[DutyList, ListVersion]]) -> tuple[bytes, str, str]:
    """The file's bytes, content type and download name (lists-FW.yaml, lists-all.xlsx)."""
    name = f"lists-{entries[0][0].code if len(entries) == 1 else 'all'}.{fmt}"
    if fmt == "yaml":
        return export_yaml(entries).encode("utf-8"), "application/yaml", name
    return export_xlsx(entries), XLSX_TYPE, name
