"""Who may see and do what: roles and their scopes, as plain data.

The service layer turns rows into these values; the rules here decide. Keeping
them pure lets one table of tests cover every role × object combination.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    TOWN_ADMIN = "town_admin"
    VILLAGE_ADMIN = "village_admin"
    SCORER = "scorer"
    REVIEWER = "reviewer"
    CLERK = "clerk"
    VILLAGER = "villager"
    AUDITOR = "auditor"
    TOWN_CADRE = "town_cadre"  # 包村干部: a town cadre who reads the villages assigned to them, never writes


# The order in which a user's home page is chosen when they hold several roles.
HOME_ORDER = (
    Role.TOWN_ADMIN, Role.VILLAGE_ADMIN, Role.TOWN_CADRE, Role.AUDITOR, Role.REVIEWER,
    Role.SCORER, Role.CLERK, Role.VILLAGER,
)

# Which scope column each role is granted in.
SCOPE_OF_ROLE = {
    Role.TOWN_ADMIN: "town_id",
    Role.VILLAGE_ADMIN: "village_id",
    Role.REVIEWER: "village_id",
    Role.AUDITOR: "village_id",
    Role.TOWN_CADRE: "village_id",  # one grant per village the cadre is assigned to
    Role.SCORER: "grid_id",
    Role.CLERK: "store_id",
    Role.VILLAGER: "household_id",
}

# Roles that see every household of their village (or town). A read set: it opens households, photos and
# store reports, never a write (writes ask can_manage_village, the store's rules or the review area).
VILLAGE_WIDE = frozenset({Role.VILLAGE_ADMIN, Role.REVIEWER, Role.AUDITOR, Role.TOWN_CADRE})

# Who may open which pages (the routes' role_required); each object's scope is checked by the services.
ADMINS = (Role.VILLAGE_ADMIN, Role.TOWN_ADMIN)          # setting a village up: roster, households, rules, lists, staff
# The committee's decisions for its village: closing a period, picks, publishing, answering objections, making
# results final, lifting a freeze, reversing a redemption. The town reads these pages and never decides for a
# village (tests/web/test_town_admin_routes.py walks every route to hold that).
COMMITTEE = (Role.VILLAGE_ADMIN,)
REVIEWERS = (Role.REVIEWER, Role.VILLAGE_ADMIN)         # the review queue
AUDITORS = (Role.AUDITOR, *ADMINS)                      # the audit trail
CLERKS = (Role.CLERK,)                                  # the store counter
STORE_ROLES = (Role.CLERK, *ADMINS, Role.AUDITOR, Role.REVIEWER)  # receipts, stock and reports
SCORERS = (Role.SCORER,)                                # the grid worker's phone pages
VILLAGERS = (Role.VILLAGER,)                            # a household's own pages

# Roles that read and never write: the 包村干部 (the town's cadre, for the villages assigned to them) and the
# village's supervision committee (村务监督委员会, the auditor, for its own village). They are added to GET routes
# that only read, never to a route that changes anything: tests/web/test_cadre_routes.py and
# tests/web/test_auditor_routes.py walk every route to hold that.
OVERSEERS = (Role.TOWN_CADRE,)
SUPERVISORS = (Role.AUDITOR,)
READ_ONLY = (*OVERSEERS, *SUPERVISORS)                  # roles whose village scope is read-only (read_only_village_ids)
QUEUE_READERS = (*REVIEWERS, Role.TOWN_ADMIN, *READ_ONLY)  # the review queue's listing (decisions stay REVIEWERS')
PUBLICATION_READERS = (*ADMINS, *READ_ONLY)             # the publications' list and pages, read-only for readers
STORE_READERS = (*STORE_ROLES, *OVERSEERS)              # receipts, redemptions, stock and reports (GET; has AUDITOR)
AUDIT_READERS = (*AUDITORS, *OVERSEERS)                 # the audit trail of their villages
DESK_READERS = (*ADMINS, *SUPERVISORS)                  # the service desk's log (a write asks managed_village)


@dataclass(frozen=True, slots=True)
class Grant:
    role: str
    town_id: int | None = None
    village_id: int | None = None
    grid_id: int | None = None
    store_id: int | None = None
    household_id: int | None = None


@dataclass(frozen=True, slots=True)
class HouseholdRef:
    """What the access rules need to know about a household."""

    id: int
    village_id: int
    town_id: int
    grid_id: int | None
    store_ids: frozenset[int] = field(default_factory=frozenset)  # stores serving its village


def roles(grants: tuple[Grant, ...]) -> frozenset[str]:
    """The set of role names a user holds."""
    return frozenset(g.role for g in grants)


def home_role(grants: tuple[Grant, ...]) -> str | None:
    """The role whose home page a user lands on."""
    held = roles(grants)
    return next((r.value for r in HOME_ORDER if r in held), None)


def can_view_household(grants: tuple[Grant, ...], hh: HouseholdRef) -> bool:
    """Whether any grant lets the user see this household's points."""
    for g in grants:
        if g.role == Role.TOWN_ADMIN and g.town_id == hh.town_id:
            return True
        if g.role in VILLAGE_WIDE and g.village_id == hh.village_id:
            return True
        if g.role == Role.SCORER and hh.grid_id is not None and g.grid_id == hh.grid_id:
            return True
        # Not a store's clerk: the counter shows name, balance and freeze, never the statement (PIPL: the least
        # a role needs); the store capability lets its clerks find the households of their store's villages.
        if g.role == Role.VILLAGER and g.household_id == hh.id:
            return True
    return False


def can_manage_village(grants: tuple[Grant, ...], village_id: int, town_id: int) -> bool:
    """Setting a village up (roster, households, rules, lists, grids): its admins, or the town's. The
    committee's decisions ask can_decide_for_village instead."""
    return any(
        (g.role == Role.VILLAGE_ADMIN and g.village_id == village_id)
        or (g.role == Role.TOWN_ADMIN and g.town_id == town_id)
        for g in grants
    )


def can_decide_for_village(grants: tuple[Grant, ...], village_id: int) -> bool:
    """The committee's decisions in a village (close, publish, objections, freezes, reversals): its own
    village admins only. The town admin reads them (can_read_village) and sets the village up
    (can_manage_village), but does not decide for it."""
    return any(g.role == Role.VILLAGE_ADMIN and g.village_id == village_id for g in grants)


def overseen_village_ids(grants: tuple[Grant, ...]) -> frozenset[int]:
    """The villages a 包村干部 is assigned to (read-only; the town's dashboard, surveys and evaluation)."""
    return frozenset(g.village_id for g in grants if g.role == Role.TOWN_CADRE and g.village_id is not None)


def supervised_village_ids(grants: tuple[Grant, ...]) -> frozenset[int]:
    """The village whose supervision committee (村务监督委员会) the user sits on (read-only)."""
    return frozenset(g.village_id for g in grants if g.role == Role.AUDITOR and g.village_id is not None)


def read_only_village_ids(grants: tuple[Grant, ...]) -> frozenset[int]:
    """Villages whose committee pages the user reads and never changes: a 包村干部's and an auditor's."""
    return overseen_village_ids(grants) | supervised_village_ids(grants)


def can_read_village(grants: tuple[Grant, ...], village_id: int, town_id: int) -> bool:
    """The committee's pages of a village, to read: whoever manages it, its 包村干部 and its auditors."""
    return can_manage_village(grants, village_id, town_id) or village_id in read_only_village_ids(grants)


@dataclass(frozen=True, slots=True)
class Visibility:
    """The households a user may list, as id sets the service turns into a query."""

    town_ids: frozenset[int]
    village_ids: frozenset[int]
    grid_ids: frozenset[int]
    store_ids: frozenset[int]
    household_ids: frozenset[int]

    @property
    def nothing(self) -> bool:
        return not (self.town_ids or self.village_ids or self.grid_ids or self.store_ids or self.household_ids)


def visibility(grants: tuple[Grant, ...]) -> Visibility:
    """Collect the scopes in which the user may see households."""
    def ids(pred, attr):  # type: ignore[no-untyped-def]
        return frozenset(getattr(g, attr) for g in grants if pred(g.role) and getattr(g, attr) is not None)

    return Visibility(
        town_ids=ids(lambda r: r == Role.TOWN_ADMIN, "town_id"),
        village_ids=ids(lambda r: r in VILLAGE_WIDE, "village_id"),
        grid_ids=ids(lambda r: r == Role.SCORER, "grid_id"),
        store_ids=ids(lambda r: r == Role.CLERK, "store_id"),
        household_ids=ids(lambda r: r == Role.VILLAGER, "household_id"),
    )
