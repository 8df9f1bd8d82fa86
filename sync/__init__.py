"""The sync protocol between phones and the server: schemas and idempotent apply logic.

Imports nothing from the web layer; the web layer hands it what it needs (a `SyncPort`).
The contract is docs/sync-protocol.md.
"""

PROTOCOL_VERSION = 1
MAX_ITEMS = 50  # items in one batch; more is refused whole (413)
MAX_PHOTO_BYTES = 8 * 1024 * 1024  # one photo upload, checked before decoding

from .apply import ItemResult, apply_batch  # noqa: E402
from .canonical import canonical_json, payload_sha256  # noqa: E402
from .port import (  # noqa: E402
    EventRecord,
    HouseholdFacts,
    InspectionRecord,
    ItemFacts,
    Receipt,
    StoreRace,
    SyncPort,
    VersionFacts,
)

__all__ = [
    "MAX_ITEMS", "MAX_PHOTO_BYTES", "PROTOCOL_VERSION", "EventRecord", "HouseholdFacts", "InspectionRecord",
    "ItemFacts", "ItemResult", "Receipt", "StoreRace", "SyncPort", "VersionFacts", "apply_batch",
    "canonical_json", "payload_sha256",
]
