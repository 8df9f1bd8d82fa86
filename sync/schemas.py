"""Marshmallow schemas of the protocol (docs/sync-protocol.md): what phones send and get back.

The item schemas validate input; the others document the answers (OpenAPI) and shape them.
"""

from __future__ import annotations

import json
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from .messages import REASONS

SHA256 = validate.Regexp(r"^[0-9a-f]{64}$", error="Not a lowercase hex SHA-256.")
STATUSES = ("accepted", "duplicate", "conflict", "rejected")
ID_MAX = 2**31 - 1  # database integer ids
MAX_PHOTOS = 20  # photos of one form, and of one base item
MAX_ITEM_PHOTOS = 50  # photos of an inspection's base items, all together
MAX_BASE_ITEMS = 100  # base items named in one inspection (the Fengsheng rules have 16)
MAX_JSON_DEPTH = 32  # nesting of a request body; a batch is five deep


def loads_bounded(body: bytes) -> Any:
    """The JSON value of a request body, or None when it is not JSON or nests deeper than
    MAX_JSON_DEPTH (which would overflow the stack of whatever reads it next)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        return None
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return None
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return value
FLAGS = ("retired_item", "late", "future_time", "old_time", "unknown_version", "rules_changed", "photo_missing")


def _sha_list() -> fields.List:
    return fields.List(fields.String(validate=SHA256), load_default=list, validate=validate.Length(max=MAX_PHOTOS))


class _ItemBase(Schema):
    class Meta:
        unknown = EXCLUDE  # a newer phone may send more; the hash still covers everything it sent

    uuid = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.OneOf(("event", "inspection")))
    household = fields.String(required=True, validate=validate.Length(min=1, max=32))
    scheme_version_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, ID_MAX))
    occurred_at = fields.AwareDateTime(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    place = fields.String(load_default="", validate=validate.Length(max=200))
    photos = _sha_list()


class EventItemSchema(_ItemBase):
    """A bonus, deduction or freeze event for a household (and maybe one member)."""

    member_id = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(1, ID_MAX))
    item = fields.String(required=True, validate=validate.Length(min=1, max=32))
    quantity = fields.Decimal(load_default=None, allow_nan=False, as_string=True,
                              metadata={"description": "> 0 and ≤ 100, at most 2 decimals; default 1"})


class InspectionItemSchema(_ItemBase):
    """One household inspection (入户评分) for a period, with the state of its base items."""

    period = fields.String(required=True, metadata={"example": "2026-11"})
    items = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=32)), values=fields.Boolean(),
                        load_default=dict, validate=validate.Length(max=MAX_BASE_ITEMS),
                        metadata={"description": "item code → met; absent items keep their default"})
    item_photos = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=32)), values=_sha_list(),
                              load_default=dict, validate=validate.Length(max=MAX_BASE_ITEMS), metadata={
                                  "description": f"item code → photos; at most {MAX_ITEM_PHOTOS} in all"})

    @validates_schema
    def _photos_in_all(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if sum(len(shas) for shas in data.get("item_photos", {}).values()) > MAX_ITEM_PHOTOS:
            raise ValidationError(f"More than {MAX_ITEM_PHOTOS} photos of base items.", "item_photos")


class BatchSchema(Schema):
    """The request body of POST /api/v1/sync/batch (items are validated one by one)."""

    protocol = fields.Integer(required=True, metadata={"example": 1})
    items = fields.List(fields.Dict(), required=True, metadata={
        "description": "at most 50; each an event (EventItem) or an inspection (InspectionItem)"})


class ItemResultSchema(Schema):
    uuid = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(STATUSES))
    entry_status = fields.String(metadata={"example": "recorded"})
    flags = fields.List(fields.String(validate=validate.OneOf(FLAGS)))
    missing_photos = fields.List(fields.String())
    points = fields.String(metadata={"description": "with rules_changed: the points stored, by the rules in force "
                                                    "on the recorded day (an event: item × quantity; an inspection: "
                                                    "its met base items)", "example": "1"})
    item = fields.String(metadata={"description": "with rules_changed, for an event: the item code stored"})
    reason = fields.String(metadata={"description": "translated; with conflict and rejected"})
    code = fields.String(metadata={"example": "outside_grid", "enum": sorted(REASONS)})


class BatchResponseSchema(Schema):
    protocol = fields.Integer()
    results = fields.List(fields.Nested(ItemResultSchema))


class ErrorSchema(Schema):
    error = fields.String(metadata={"description": "translated message"})
    code = fields.String(metadata={"example": "device_revoked"})
    status = fields.Integer()


class DeviceRequestSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(load_default="", validate=validate.Length(max=100))


class DeviceResponseSchema(Schema):
    device_id = fields.String()
    token = fields.String(metadata={"description": "shown once; send as Authorization: Bearer <token>"})


class PhotoResponseSchema(Schema):
    sha256 = fields.String()


class BootItemSchema(Schema):
    code = fields.String()
    name = fields.String()
    points = fields.String()
    kind = fields.String()
    per = fields.String()
    scope = fields.String()
    evidence = fields.String()
    default_met = fields.Boolean()


class BootCategorySchema(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String(allow_none=True)
    inspection_period = fields.String()
    items = fields.List(fields.Nested(BootItemSchema))


class BootSchemeSchema(Schema):
    version_id = fields.Integer()
    number = fields.Integer()
    name = fields.String()
    scoring_deadline_day = fields.Integer(allow_none=True, metadata={
        "description": "an inspection of a period may be recorded until this day of the next month; null: within it"})
    categories = fields.List(fields.Nested(BootCategorySchema))


class BootVillageSchema(Schema):
    code = fields.String()
    name = fields.String()
    scheme = fields.Nested(BootSchemeSchema, allow_none=True)


class BootMemberSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    relation = fields.String()


class BootHouseholdSchema(Schema):
    code = fields.String()
    village = fields.String()
    head_name = fields.String()
    initials = fields.String()
    group = fields.String()
    grid = fields.String()
    members = fields.List(fields.Nested(BootMemberSchema))
    inspected = fields.List(fields.String(), metadata={
        "description": "of the current periods and last month, those the household already has an inspection for"})


class BootUserSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class BootstrapSchema(Schema):
    protocol = fields.Integer()
    version = fields.String(metadata={"description": "SHA-256 of the rest; changes with roster or rules"})
    user = fields.Nested(BootUserSchema)
    periods = fields.Dict(keys=fields.String(), values=fields.String())
    villages = fields.List(fields.Nested(BootVillageSchema))
    households = fields.List(fields.Nested(BootHouseholdSchema))
