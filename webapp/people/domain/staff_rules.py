"""Who may manage whose account, and the shape of the codes a town office types: plain rules.

A town admin manages every account whose roles all lie in their town. A village admin manages the
accounts whose roles all lie in their own villages, never a town role (town admin, 包村干部): those
are the town's to give.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.people.domain.access import Grant, Role

# Roles only a town admin gives: they belong to the town, not to one village.
TOWN_ROLES = frozenset({"town_admin", "town_cadre"})

CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}", re.ASCII)
AREA_CODE = re.compile(r"[0-9]{12}", re.ASCII)
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{1,63}", re.ASCII)
MIN_PASSWORD = 8
MAX_PASSWORD = 128
# Letters and digits that cannot be misread on paper (no 0/O, 1/l/I).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


@dataclass(frozen=True, slots=True)
class Place:
    """Where one of a user's grants lies: its role, its town, and the villages it reaches."""

    role: str
    town_id: int | None
    village_ids: frozenset[int]


def can_manage_account(actor: tuple[Grant, ...], places: list[Place], village_towns: dict[int, int]) -> bool:
    """Whether the actor may change an account whose grants lie at `places` (village_towns: village → town).
    An account with no grants left can be managed by whoever manages the villages it was last seen in;
    the caller passes the places of its former grants, or none (then only a town admin may)."""
    towns = {g.town_id for g in actor if g.role == Role.TOWN_ADMIN and g.town_id is not None}
    villages = {g.village_id for g in actor if g.role == Role.VILLAGE_ADMIN and g.village_id is not None}
    if not places:
        return bool(towns)

    def in_town(place: Place) -> bool:
        place_towns = {place.town_id} if place.town_id is not None else set()
        place_towns |= {village_towns[v] for v in place.village_ids if v in village_towns}
        return bool(place_towns) and place_towns <= towns

    if towns and all(in_town(p) for p in places):
        return True
    return bool(villages) and all(
        p.role not in TOWN_ROLES and p.town_id is None and p.village_ids and p.village_ids <= villages
        for p in places
    )


def check_code(code: str) -> str:
    """A code as typed (village, group, grid, town): letters, digits, - and _, at most 32."""
    code = (code or "").strip()
    if not CODE.fullmatch(code):
        raise Refusal(N_("A code is 1 to 32 letters, digits, - or _ (such as YF or 01); %(code)s is not."),
                      code=code)
    return code


def check_name(name: str, max_length: int = 100) -> str:
    """A name as typed, its spaces tidied; refused when blank or too long."""
    name = " ".join((name or "").split())
    if not name:
        raise Refusal(N_("A name is needed."))
    if len(name) > max_length:
        raise Refusal(N_("The name has %(length)s characters; at most %(max)s fit."),
                      length=len(name), max=max_length)
    return name


def check_area_code(code: str, town_code: str | None = None) -> str | None:
    """统计用区划代码: exactly 12 digits, blank for none; a village's code lies in its town's (same first 9)."""
    code = (code or "").strip()
    if not code:
        return None
    if not AREA_CODE.fullmatch(code):
        raise Refusal(N_("The statistical area code must be exactly 12 digits (统计用区划代码); %(code)s is not."),
                      code=code)
    if town_code and code[:9] != town_code[:9]:
        raise Refusal(N_("The area code %(code)s is not in the town's area %(town)s (the first 9 digits differ)."),
                      code=code, town=town_code)
    return code


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME.fullmatch(username):
        raise Refusal(N_("A username has 2 to 64 letters, digits, dots, - or _, and starts with a letter or digit."))
    return username


def check_password(password: str, again: str | None = None) -> str:
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise Refusal(N_("A password needs at least 8 characters."))
    if len(password) > MAX_PASSWORD:
        raise Refusal(N_("A password has at most %(max)s characters."), max=MAX_PASSWORD)
    if again is not None and password != again:
        raise Refusal(N_("The two passwords differ; type the same password twice."))
    return password


def one_time_password(length: int = 10) -> str:
    """A random password to hand out on paper: easy to read, 10 characters from 31 (about 50 bits)."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))
