"""Marshmallow schemas for one YAML mapping at a time, and problems built from their errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields

from webapp.core.messages import N_, render
from webapp.points.domain import scheme as s

PathPart = str | int


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scheme file: a msgid with params, where it is, and its YAML line."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""
    line: int | None = None

    @property
    def message(self) -> str:
        """The English message."""
        return render(self.msgid, self.params)

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"{where} (line {self.line})" if where else f"line {self.line}"
        return f"{where}: {self.message}" if where else self.message


def path_text(parts: Sequence[PathPart]) -> str:
    """Render ["categories", 2, "items", 3] as "categories[2].items[3]"."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def show(value: Any) -> str:
    """A short, readable rendering of a YAML value for a message."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def choice(options: Sequence[str]) -> Callable[[Any], None]:
    """A validator accepting only the listed values, naming them in its problem."""

    def validate(value: Any) -> None:
        if value not in options:
            raise ValidationError([Problem(
                N_("%(field)s cannot be %(value)s; use one of: %(choices)s"),
                {"choices": ", ".join(options)},
            )])

    return validate


def between(low: int, high: int | None = None) -> Callable[[Any], None]:
    """A validator for whole numbers from low to high (inclusive)."""

    def validate(value: Any) -> None:
        if value < low or (high is not None and value > high):
            if high is None:
                raise ValidationError([Problem(N_("%(field)s must be at least %(low)s, not %(value)s"), {"low": low})])
            raise ValidationError([Problem(
                N_("%(field)s must be from %(low)s to %(high)s, not %(value)s"), {"low": low, "high": high}
            )])

    return validate


def positive(value: Any) -> None:
    """A validator for numbers above zero."""
    if value <= 0:
        raise ValidationError([Problem(N_("%(field)s must be more than 0, not %(value)s"), {})])


_COMMON = {"required": N_("%(field)s is missing"), "null": N_("%(field)s must not be empty")}
_TEXT = {**_COMMON, "invalid": N_("%(field)s must be text, not %(value)s"),
         "invalid_utf8": N_("%(field)s must be text, not %(value)s")}
_NUMBER = {**_COMMON, "invalid": N_("%(field)s must be a number, not %(value)s"),
           "special": N_("%(field)s must be a finite number, not %(value)s"),
           "too_large": N_("%(field)s is too large: %(value)s")}
_WHOLE = {**_NUMBER, "invalid": N_("%(field)s must be a whole number, not %(value)s"),
          "not_an_integer": N_("%(field)s must be a whole number, not %(value)s")}
_FLAG = {**_COMMON, "invalid": N_("%(field)s must be true or false, not %(value)s")}
_LIST = {**_COMMON, "invalid": N_("%(field)s must be a list, not %(value)s")}
_MAPPING = {**_COMMON, "invalid": N_("%(field)s must be a mapping, not %(value)s"),
            "type": N_("%(field)s must be a mapping, not %(value)s")}


class Code(fields.String):
    """A code; YAML reads `code: 7` as a number, so whole numbers are taken as text."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return super()._deserialize(value, attr, data, **kwargs)


def text(**kw: Any) -> fields.String:
    """A text field with our messages."""
    return fields.String(error_messages=_TEXT, **kw)


def code(**kw: Any) -> Code:
    """A code field with our messages."""
    return Code(error_messages=_TEXT, **kw)


def number(**kw: Any) -> fields.Decimal:
    """A points field read as an exact Decimal."""
    # Decimal(str(0.5)) keeps 0.5 exact; marshmallow's Decimal field converts through str.
    return fields.Decimal(error_messages=_NUMBER, **kw)


def whole(**kw: Any) -> fields.Integer:
    """A whole-number field (true/false and 2.5 refused)."""
    return fields.Integer(strict=True, error_messages=_WHOLE, **kw)


def optional_choice(options: Sequence[str], default: Any = None) -> fields.String:
    """An optional enumerated knob with a default."""
    return text(load_default=default, allow_none=True, validate=choice(options))


class _Open(Schema):
    # Raised by a nested schema given a non-mapping; the field name comes from the path.
    error_messages = {"type": _MAPPING["type"]}

    class Meta:
        # Unknown keys (topics, village_evaluation, source, ...) are kept, never rejected.
        unknown = INCLUDE


class HeaderSchema(_Open):
    code = code(required=True)
    name = text(required=True)
    subject = optional_choice(s.SUBJECTS, "household")
    base_points = number(load_default=None, allow_none=True)
    inspection_period = optional_choice(s.INSPECTION_PERIODS, "month")


class RedemptionSchema(_Open):
    yuan_per_point = number(load_default=None, allow_none=True, validate=positive)
    day_of_month = whole(load_default=None, allow_none=True, validate=between(1, 31))


class PoliciesSchema(_Open):
    balance = optional_choice(s.BALANCES, "carry_over")
    annual_rank_basis = optional_choice(s.RANK_BASES, "sum")
    publish_by_day = whole(load_default=None, allow_none=True, validate=between(1, 31))
    scoring_deadline_day = whole(load_default=None, allow_none=True, validate=between(1, 31))
    notice_days = whole(load_default=None, allow_none=True, validate=between(0))
    review_group_min_size = whole(load_default=None, allow_none=True, validate=between(1))
    review_group_max_households = whole(load_default=None, allow_none=True, validate=between(1))
    approvals_needed = whole(load_default=1, validate=between(1))
    cross_review = fields.Boolean(load_default=False, error_messages=_FLAG)
    redemption = fields.Nested(RedemptionSchema, load_default=None, allow_none=True, error_messages=_MAPPING)
    year_end_prizes = fields.Dict(load_default=None, allow_none=True, error_messages=_MAPPING)
    star_ratings = fields.Dict(load_default=None, allow_none=True, error_messages=_MAPPING)
    model_households_per_month = fields.Raw(load_default=None, allow_none=True)


class CategorySchema(_Open):
    code = code(required=True)
    name = text(required=True)
    kind = optional_choice(s.ITEM_KINDS)
    base_points = number(load_default=None, allow_none=True)
    inspection_period = optional_choice(s.INSPECTION_PERIODS)
    scope = optional_choice(s.SCOPES)
    items = fields.List(fields.Raw(), load_default=None, allow_none=True, error_messages=_LIST)


class ItemSchema(_Open):
    code = code(required=True)
    name = text(required=True)
    kind = optional_choice(s.ITEM_KINDS)
    points = number(load_default=None, allow_none=True)
    per = optional_choice(s.ITEM_PERS)
    scope = optional_choice(s.SCOPES)
    evidence = optional_choice(s.EVIDENCE, "optional")
    credit = optional_choice(s.CREDITS, "immediate")
    # YAML says `default: met`; "default" is a poor Python name, hence data_key.
    default_state = text(data_key="default", load_default=None, allow_none=True, validate=choice(s.DEFAULTS))


class CapSchema(_Open):
    items = fields.List(code(), required=True, error_messages=_LIST)
    max = number(required=True, validate=positive)
    per = text(required=True, validate=choice(s.CAP_PERS))


def value_at(data: Any, parts: Sequence[PathPart]) -> Any:
    """The raw value at a path inside loaded YAML, or None when it is not there."""
    for part in parts:
        if isinstance(data, Mapping) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


# A problem before it has a line number: (msgid, params, path parts).
Found = tuple[str, dict[str, Any], list[PathPart]]


def problems_from(messages: Any, data: Any, parts: list[PathPart]) -> list[Found]:
    """Flatten marshmallow's nested error messages into (msgid, params, path) problems."""
    if isinstance(messages, Mapping):
        found: list[Found] = []
        for key, nested in messages.items():
            deeper = parts if key == "_schema" else [*parts, key]
            found += problems_from(nested, data, deeper)
        return found
    found = []
    for leaf in messages if isinstance(messages, list) else [messages]:
        if isinstance(leaf, Mapping):
            found += problems_from(leaf, data, parts)
            continue
        field_name = next((p for p in reversed(parts) if isinstance(p, str)), "value")
        context = {"field": field_name, "value": show(value_at(data, parts))}
        if isinstance(leaf, Problem):
            found.append((leaf.msgid, {**context, **leaf.params}, parts))
        else:
            found.append((str(leaf), context, parts))
    return found


def load_with(schema: Schema, data: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[Found]]:
    """Load one mapping; return the loaded dict (None if invalid) and its problems, paths relative to it."""
    try:
        return schema.load(data), []
    except ValidationError as error:
        return None, problems_from(error.messages, data, [])


def extra_keys(schema: Schema, loaded: Mapping[str, Any]) -> dict[str, Any]:
    """The keys a schema does not declare, kept as the scheme's extra data."""
    return {k: v for k, v in loaded.items() if k not in schema.fields}


def policies_from(loaded: dict[str, Any], raw: Mapping[str, Any]) -> s.Policies:
    """Policies from a loaded policies mapping, keeping the raw mapping whole."""
    redemption = loaded["redemption"] or {}
    return s.Policies(
        balance=loaded["balance"] or "carry_over",
        annual_rank_basis=loaded["annual_rank_basis"] or "sum",
        publish_by_day=loaded["publish_by_day"],
        scoring_deadline_day=loaded["scoring_deadline_day"],
        notice_days=loaded["notice_days"],
        review_group_min_size=loaded["review_group_min_size"],
        review_group_max_households=loaded["review_group_max_households"],
        approvals_needed=loaded["approvals_needed"],
        cross_review=loaded["cross_review"],
        yuan_per_point=redemption.get("yuan_per_point") or Decimal(1),
        redemption_day=redemption.get("day_of_month"),
        year_end_prizes=loaded["year_end_prizes"],
        star_ratings=loaded["star_ratings"],
        model_households_per_month=loaded["model_households_per_month"],
        raw=dict(raw),
    )
