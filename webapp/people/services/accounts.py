"""Checking passwords, and the demo accounts the login page may list in demo mode."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.people.models import user as user_model
from webapp.people.models.household import Household
from webapp.people.models.user import User

# Hashes to check against when the user does not exist, so that timing does not reveal usernames:
# one per hashing method, made on first use with the method in force (the tests' fast one, or scrypt).
_DUMMIES: dict[str, User] = {}


def _dummy() -> User:
    method = user_model.PASSWORD_HASH_METHOD
    if method not in _DUMMIES:
        dummy = User(username="", password_hash="")
        dummy.set_password("not-a-real-password")
        _DUMMIES[method] = dummy
    return _DUMMIES[method]


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None.

    Household codes are stored upper case ("YF0001"); a villager typing "yf0001" on a phone
    keyboard still reaches the household's account (and only a household's account)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None and username.upper() != username:
        user = db.session.scalar(
            select(User).join(Household, Household.code == User.username).where(User.username == username.upper())
        )
    if user is None:
        _dummy().check_password(password)
        return None
    if not user.active or not user.check_password(password):
        return None
    return user


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


def demo_accounts() -> list[DemoAccount]:
    """The seeded demo accounts that exist in this database (demo mode only)."""
    from webapp.demo.accounts import DEMO_ACCOUNTS

    existing = set(db.session.scalars(select(User.username)))
    return [DemoAccount(*a) for a in DEMO_ACCOUNTS if a[1] in existing]
