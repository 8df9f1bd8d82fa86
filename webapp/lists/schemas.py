"""The shape of lists in files (YAML and .xlsx, which towns exchange) and in the item form.

Every error is a `Problem`: an English msgid with its params and where it is (a path in
the file, or a spreadsheet row and column), so the edge can translate and point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validates_schema

from webapp.core.messages import N_
from webapp.lists.domain.lists import ITEM_FIELDS, normalize_kind

FORMAT = "jifen-lists/1"
# Far above a town's real lists (Fengsheng: 5 lists of 10–30 items, steps of 3–8); every list page
# reads them, so a file far bigger would slow the village's pages down.
MAX_LISTS = 50  # lists in one file
MAX_ITEMS = 2000  # items in one file, all lists together
MAX_ITEMS_PER_LIST = 500
MAX_STEPS = 50  # flow steps of one item
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}$")
LONG_TEXT = ("basis", "conditions", "materials", "supervision")
INTEGERS = ("time_limit_days", "days")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file or form: msgid + params, and where."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    row: int | None = None
    column: str | None = None
    line: int | None = None  # in a YAML file


def refuse(msgid: str, **params: Any) -> ValidationError:
    return ValidationError([Problem(msgid, params)])


MESSAGES = {
    "required": N_("This field is required."),
    "null": N_("This field is required."),
    "invalid": N_("This value has the wrong type."),
}


class Text(fields.String):
    """A string field: numbers from YAML or Excel become text; at most `max` characters."""

    default_error_messages = MESSAGES

    def __init__(self, max_length: int = 200, required: bool = False, **kwargs: Any) -> None:
        super().__init__(required=required, **({} if required else {"load_default": ""}), **kwargs)
        self.max_length = max_length

    def deserialize(self, value: Any, attr: Any = None, data: Any = None, **kwargs: Any) -> Any:
        if value is None and not self.required:  # an empty cell, or a YAML key with nothing after it
            return ""
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int):
            value = str(value)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n".join(value)  # a YAML list of materials reads as one per line
        text = super()._deserialize(value, attr, data, **kwargs).strip().replace("\r\n", "\n")
        if len(text) > self.max_length:
            raise refuse(N_("At most %(max)s characters."), max=self.max_length)
        if self.required and not text:
            raise self.make_error("required")
        return text


class Days(fields.Integer):
    """A number of days, 0–365; an empty cell means none."""

    default_error_messages = {**MESSAGES, "invalid": N_("Write a whole number of days.")}

    def __init__(self) -> None:
        super().__init__(load_default=None, allow_none=True)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise self.make_error("invalid")
        days = super()._deserialize(value, attr, data, **kwargs)
        if not 0 <= days <= 365:
            raise refuse(N_("Write a number of days from 0 to 365."))
        return days


class Code(Text):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        code = super()._deserialize(value, attr, data, **kwargs)
        if not CODE_RE.match(code):
            raise refuse(N_("A code has up to 32 letters, digits, dots, dashes or underscores."))
        return code


class Kind(Text):
    """A kind of list, by code (service) or by its Chinese name (服务群众事项清单)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        kind = normalize_kind(text)
        if kind is None:
            raise refuse(N_("Unknown kind of list: %(kind)s."), kind=text)
        return kind


class Entries(fields.List):
    default_error_messages = {**MESSAGES, "invalid": N_("This should be a list.")}

    def __init__(self, inner: Any, at_most: int, **kwargs: Any) -> None:
        super().__init__(inner, **kwargs)
        self.at_most = at_most

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[Any]:
        if isinstance(value, list) and len(value) > self.at_most:  # refused before its entries are read
            raise refuse(N_("%(count)s entries here; at most %(max)s are allowed."), count=len(value), max=self.at_most)
        return super()._deserialize(value, attr, data, **kwargs)


class StrictSchema(Schema):
    error_messages = {"unknown": N_("Unknown field."), "type": N_("This should be a mapping of fields.")}

    class Meta:
        unknown = RAISE


class StepSchema(StrictSchema):
    actor = Text(100)
    action = Text(500, required=True)
    days = Days()


class ItemSchema(StrictSchema):
    code = Code(32, required=True)
    name = Text(200, required=True)
    category = Text(100)
    responsible = Text(200)
    time_limit_days = Days()
    basis = Text(4000)
    conditions = Text(4000)
    materials = Text(4000)
    supervisor = Text(200)
    supervision = Text(4000)
    guide = Text(200)
    steps = Entries(fields.Nested(StepSchema), MAX_STEPS, load_default=list)


class ListSchema(StrictSchema):
    code = Code(32, required=True)
    kind = Kind(40, required=True)
    name = Text(100, required=True)
    items = Entries(fields.Nested(ItemSchema), MAX_ITEMS_PER_LIST, required=True)

    @validates_schema
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        _unique([i["code"] for i in data["items"]], "items", N_("Item code %(code)s appears twice."))


class ListFileSchema(StrictSchema):
    format = Text(40)
    lists = Entries(fields.Nested(ListSchema), MAX_LISTS, required=True)

    @pre_load
    def _count(self, data: Any, **_kwargs: Any) -> Any:
        """Too many items in all is refused before any of them is read."""
        raw = data.get("lists") if isinstance(data, dict) else None
        if isinstance(raw, list):
            items = sum(len(e["items"]) for e in raw if isinstance(e, dict) and isinstance(e.get("items"), list))
            if items > MAX_ITEMS:
                raise ValidationError([Problem(N_("The file has %(count)s items; at most %(max)s can be imported "
                                                  "at once."), {"count": items, "max": MAX_ITEMS})], "lists")
        return data

    @validates_schema
    def _check(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data["format"] not in ("", FORMAT):
            raise ValidationError([Problem(N_("This is not a lists file (format %(format)s)."), {"format": FORMAT})],
                                  "format")
        _unique([entry["code"] for entry in data["lists"]], "lists", N_("List code %(code)s appears twice."))


def _unique(codes: list[str], where: str, msgid: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValidationError([Problem(msgid, {"code": code})], where)
        seen.add(code)


def flatten(messages: Any, path: str = "") -> list[Problem]:
    """Marshmallow's nested error dict as a flat list of problems with their paths (lists[0].items[2].name)."""
    if isinstance(messages, dict):
        found = []
        for key, value in messages.items():
            step = f"[{key}]" if isinstance(key, int) else (f".{key}" if path and key != "_schema" else
                                                           ("" if key == "_schema" else str(key)))
            found.extend(flatten(value, path + step))
        return found
    if isinstance(messages, list):
        return [p for m in messages for p in flatten(m, path)]
    if isinstance(messages, Problem):
        return [Problem(messages.msgid, messages.params, path or messages.path, messages.row, messages.column)]
    return [Problem(str(messages), {}, path)]


def load_file(data: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Validate a parsed lists file: the data, or the problems (never both)."""
    try:
        return ListFileSchema().load(data if isinstance(data, dict) else {"lists": data}), []
    except ValidationError as error:
        return None, flatten(error.messages)


def load_item_form(form: Any) -> tuple[dict[str, Any] | None, dict[str, list[Problem]]]:
    """The item form (flat fields; steps as parallel step_actor / step_action / step_days lists)."""
    raw: dict[str, Any] = {f: form.get(f, "") for f in ITEM_FIELDS}
    rows = zip(form.getlist("step_actor"), form.getlist("step_action"), form.getlist("step_days"), strict=False)
    raw["steps"] = [{"actor": a, "action": b, "days": d} for a, b, d in rows if (a + b + d).strip()]
    try:
        return ItemSchema().load(raw), {}
    except ValidationError as error:
        by_field: dict[str, list[Problem]] = {}
        for problem in flatten(error.messages):
            by_field.setdefault(problem.path.split(".")[0].split("[")[0] or "_", []).append(problem)
        return None, by_field
