"""Typed SQLAlchemy models, one module per aggregate."""

from . import lists  # noqa: F401 - the list system's tables (import its classes from webapp.models.lists)

from .audit import AuditEvent
from .entry import Entry, Freeze, Inspection, InspectionItem
from .geo import Grid, Town, Village, VillageGroup
from .household import Household, Member
from .publication import Objection, Publication, PublicationPhoto, PublicationPick
from .review import ReviewDecision, ReviewGroup, ReviewGroupArea, ReviewGroupMember
from .scheme import Cap, Category, Item, Scheme, SchemeVersion
from .store import (
    HouseholdCard, Product, Redemption, RedemptionLine, RedemptionReturn, StockMovement, Store, store_villages,
)
from .sync import Device, EntryPhoto, Photo, SyncReceipt
from .user import RoleGrant, User

__all__ = [
    "AuditEvent", "Cap", "Category", "Device", "Entry", "EntryPhoto", "Photo", "SyncReceipt", "Freeze", "Grid", "Household", "Inspection",
    "InspectionItem", "Item", "Member", "RoleGrant", "Scheme", "SchemeVersion", "Store",
    "Town", "User", "Village", "VillageGroup", "store_villages",
    "Objection", "Publication", "PublicationPhoto", "PublicationPick",
    "ReviewDecision", "ReviewGroup", "ReviewGroupArea", "ReviewGroupMember",
    "HouseholdCard", "Product", "Redemption", "RedemptionLine", "RedemptionReturn", "StockMovement",
]
