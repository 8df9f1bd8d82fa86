"""Household accounts: a villager logs in with the household code and a 6-digit PIN that the
committee sets and resets.

The account is an ordinary User named by the household code and holding the villager grant
for that household, so login, throttling and access checks are the same as for everyone.
A 6-digit PIN is guessable by brute force: the login throttle (per address and per username)
is what makes it safe enough, and the committee can reset it at any time.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import NotFound, Refusal
from webapp.extensions import db
from webapp.people.domain.access import Role, can_manage_village
from webapp.people.models.household import Household
from webapp.people.models.user import RoleGrant, User
from webapp.people.services.audit import record
from webapp.people.services.users import create_user

PIN_RE = re.compile(r"[0-9]{6}")
# An admin account named after the committee rather than a person is not "whom to ask".
_COMMITTEE_WORDS = ("村两委", "村委")
# The PINs anyone tries first: runs up or down, and a few patterns people love.
_RUNS = ("0123456789", "9876543210")
_COMMON = frozenset({"123123", "112233", "121212", "123321", "520520", "111222", "147258", "159753"})


def is_weak(pin: str) -> bool:
    """Whether a PIN is one of the first a guesser would try (000000, 123456, 654321 …)."""
    return len(set(pin)) == 1 or any(pin in run for run in _RUNS) or pin in _COMMON


def random_pin() -> str:
    """Six random digits that are not a weak PIN."""
    while True:
        pin = f"{secrets.randbelow(10 ** 6):06d}"
        if not is_weak(pin):
            return pin


def check_pin(pin: str) -> str:
    """The PIN if it is acceptable; otherwise a Refusal saying why."""
    if not PIN_RE.fullmatch(pin):
        raise Refusal(N_("A PIN is exactly 6 digits."))
    if is_weak(pin):
        raise Refusal(N_("This PIN is too easy to guess. Choose another, or leave the field empty for a random one."))
    return pin


def may_manage_login(actor: User, household: Household) -> bool:
    """The committee of the household's village (its village admins, or its town's admins)."""
    return can_manage_village(actor.domain_grants(), household.village_id, household.village.town_id)


def _is_household_account(user: User, household: Household) -> bool:
    """The account holds nothing but the villager grant for this household."""
    return bool(user.grants) and all(
        g.role == Role.VILLAGER and g.household_id == household.id for g in user.grants
    )


def household_account(household: Household) -> User | None:
    """The household's own login account, if it has one."""
    user = db.session.scalar(select(User).where(User.username == household.code))
    return user if user is not None and _is_household_account(user, household) else None


@dataclass(frozen=True)
class LoginCard:
    """What the committee sees about a household's login on the household page."""

    username: str
    exists: bool
    created_at: datetime | None
    active: bool
    # The admins a household with a wrong password is told to ask (see pin_help).
    named_admins: tuple[str, ...] = ()


def login_card(actor: User, household: Household) -> LoginCard | None:
    """The household-login facts for someone who manages the village, None for anyone else."""
    if not may_manage_login(actor, household):
        return None
    account = household_account(household)
    return LoginCard(household.code, account is not None, account.created_at if account else None,
                     account.active if account else False, named_admins(household.village_id))


def named_admins(village_id: int) -> tuple[str, ...]:
    """Up to two active village admins by name: whom a household asks for a new password.

    Never a name that is just the account's username (it would show a staff login to anyone), nor
    one that only names the committee itself (an account called "村两委" adds nothing to "村委会")."""
    names = db.session.scalars(
        select(User.display_name).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == Role.VILLAGE_ADMIN.value, RoleGrant.village_id == village_id,
               User.active.is_(True), User.display_name != "", User.display_name != User.username)
        .order_by(User.id)
    ).all()
    return tuple(n for n in dict.fromkeys(names) if not any(word in n for word in _COMMITTEE_WORDS))[:2]


@dataclass(frozen=True)
class PinHelp:
    """Whom a household asks when its 6-digit password is wrong: its village and the committee's admins."""

    village: str
    admins: tuple[str, ...]


def pin_help(username: str) -> PinHelp | None:
    """For a failed login on a household's account, its village and up to two of its village admins' names.

    None when the username is no household's login (staff keep the plain message). Only names are
    given, never a phone number: the login page is public. The household code is printed on the
    card, so saying that the code is a household's reveals nothing that is not on paper already."""
    household = db.session.scalar(select(Household).where(Household.code == username.strip().upper()))
    if household is None or household_account(household) is None:
        return None
    return PinHelp(household.village.name, named_admins(household.village_id))


def wrong_pin_message(username: str) -> Refusal | None:
    """What a household is told when its 6-digit password is wrong: whom to ask. None for staff."""
    found = pin_help(username)
    if found is None:
        return None
    if len(found.admins) >= 2:
        return Refusal(N_("Wrong PIN. If you forgot it, ask the village committee of %(village)s "
                          "(%(first)s or %(second)s) to set a new one."),
                       village=found.village, first=found.admins[0], second=found.admins[1])
    if found.admins:
        return Refusal(N_("Wrong PIN. If you forgot it, ask the village committee of %(village)s "
                          "(%(admin)s) to set a new one."), village=found.village, admin=found.admins[0])
    return Refusal(N_("Wrong PIN. If you forgot it, ask the village committee of %(village)s "
                      "to set a new one."), village=found.village)


def set_household_pin(actor: User, household: Household, pin: str | None = None) -> str:
    """Create the household's account, or reset its password, with this PIN (random when None).

    Returns the PIN so that it can be shown to the committee once; it is stored only hashed
    and never written to the audit trail."""
    if not may_manage_login(actor, household):
        raise NotFound(N_("No such household."))
    pin = random_pin() if pin is None or not pin.strip() else check_pin(pin.strip())
    user = db.session.scalar(select(User).where(User.username == household.code))
    created = user is None
    if user is None:
        # create_user wants a long password; the PIN replaces the throwaway one at once.
        user = create_user(household.code, secrets.token_urlsafe(16), Role.VILLAGER.value,
                           display_name=household.head_name, actor_id=actor.id, household_id=household.id)
    elif not _is_household_account(user, household):
        raise Refusal(N_("The username %(username)s belongs to another account; rename that account first."),
                           username=household.code)
    user.set_password(pin)
    db.session.flush()
    record(actor.id, "household.pin", "household", household.id, village_id=household.village_id,
           user_id=user.id, created=created)
    return pin
