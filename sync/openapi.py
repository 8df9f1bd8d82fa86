"""The OpenAPI 3 document of the sync endpoints, built from the protocol's marshmallow schemas."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from . import MAX_ITEMS, MAX_PHOTO_BYTES, PROTOCOL_VERSION
from .schemas import (
    BatchResponseSchema,
    BatchSchema,
    BootstrapSchema,
    DeviceRequestSchema,
    DeviceResponseSchema,
    ErrorSchema,
    EventItemSchema,
    InspectionItemSchema,
    PhotoResponseSchema,
)


def _json(schema: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "malformed JSON or not a batch; nothing written",
        401: "unknown or revoked device token (code device_revoked); nothing written",
        403: "the user holds no role that scores",
        404: "the entry is not the device user's",
        409: "the entry does not list this photo",
        413: f"more than {MAX_ITEMS} items, or a photo over {MAX_PHOTO_BYTES // (1024 * 1024)} MB; nothing written",
        422: "not a JPEG/PNG/WebP image, truncated, or too many pixels; nothing stored",
    }
    return {str(c): _json("Error", text[c]) for c in codes}


BEARER = [{"device": []}]


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    """The whole document as a dict (built once)."""
    spec = APISpec(
        title="Jifen sync API", version=str(PROTOCOL_VERSION), openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Phone ↔ server offline sync; the contract is docs/sync-protocol.md."},
    )
    spec.components.security_scheme("device", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    for name, schema in (
        ("Error", ErrorSchema), ("DeviceRequest", DeviceRequestSchema), ("DeviceResponse", DeviceResponseSchema),
        ("Bootstrap", BootstrapSchema), ("Batch", BatchSchema), ("EventItem", EventItemSchema),
        ("InspectionItem", InspectionItemSchema), ("BatchResponse", BatchResponseSchema),
        ("PhotoResponse", PhotoResponseSchema),
    ):
        spec.components.schema(name, schema=schema)
    spec.path(path="/api/v1/devices", operations={"post": {
        "summary": "Issue a device token to the logged-in scorer",
        "security": [{"session": []}],
        "parameters": [{"in": "header", "name": "X-CSRFToken", "required": True, "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": "DeviceRequest"}}},
        "responses": {"201": _json("DeviceResponse", "the token, shown once"), **_errors(400, 401, 403)},
    }})
    spec.path(path="/api/v1/scoring/bootstrap", operations={"get": {
        "summary": "Rules, periods and the worker's households, for scoring offline",
        "security": [*BEARER, {"session": []}],
        "responses": {"200": _json("Bootstrap", "what the phone keeps offline"), **_errors(401)},
    }})
    spec.path(path="/api/v1/sync/batch", operations={"post": {
        "summary": f"Upload up to {MAX_ITEMS} outbox items; answered item by item",
        "security": BEARER,
        "requestBody": {"required": True, "content": {"application/json": {"schema": "Batch"}}},
        "responses": {"200": _json("BatchResponse", "one result per item, in order"), **_errors(400, 401, 413)},
    }})
    spec.path(path="/api/v1/photos/{sha256}", operations={"put": {
        "summary": "Upload one photo an entry listed; stored re-encoded without metadata",
        "security": BEARER,
        "parameters": [
            {"in": "path", "name": "sha256", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
            {"in": "query", "name": "entry", "required": True, "schema": {"type": "string", "format": "uuid"}},
        ],
        "requestBody": {"required": True, "content": {
            t: {"schema": {"type": "string", "format": "binary"}} for t in ("image/jpeg", "image/png", "image/webp")}},
        "responses": {
            "201": _json("PhotoResponse", "stored now"), "200": _json("PhotoResponse", "already stored"),
            **_errors(400, 401, 404, 409, 413, 422),
        },
    }})
    spec.path(path="/api/v1/openapi.json", operations={"get": {
        "summary": "This document", "security": [],
        "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {}}}},
    }})
    return spec.to_dict()
