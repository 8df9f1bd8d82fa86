"""Users and their role grants."""

from __future__ import annotations

from sqlalchemy import select

from webapp.core.messages import N_
from webapp.core.refusal import Refusal
from webapp.extensions import db
from webapp.people.domain.access import SCOPE_OF_ROLE, Role
from webapp.people.models.user import RoleGrant, User
from webapp.people.services.audit import record


def create_user(
    username: str, password: str, role: str, display_name: str = "", actor_id: int | None = None,
    **scope: int | None,
) -> User:
    """Create a user holding one role in one scope (town, village, grid, store or household)."""
    if role not in {r.value for r in Role}:
        raise Refusal(N_("Unknown role %(role)s."), role=role)
    column = SCOPE_OF_ROLE[Role(role)]
    if scope.get(column) is None:
        raise Refusal(N_("The role %(role)s needs a %(scope)s."), role=role, scope=column)
    if len(password) < 8:
        raise Refusal(N_("A password needs at least 8 characters."))
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Refusal(N_("The username %(username)s is taken."), username=username)
    user = User(username=username, display_name=display_name or username)
    user.set_password(password)
    user.grants.append(RoleGrant(role=role, **{column: scope[column]}))
    db.session.add(user)
    db.session.flush()
    record(actor_id, "user.create", "user", user.id, role=role, **{column: scope[column]})
    return user


def grant(user: User, role: str, **scope: int | None) -> RoleGrant:
    """Give an existing user one more role in one scope."""
    column = SCOPE_OF_ROLE[Role(role)]
    g = RoleGrant(role=role, **{column: scope[column]})
    user.grants.append(g)
    db.session.flush()
    return g


def deactivate_user(user: User, actor_id: int | None = None) -> User:
    """The user can no longer log in, and every session and remember-me cookie of theirs ends now."""
    user.active = False  # the model replaces the session token (User._deactivation_ends_sessions)
    db.session.flush()
    record(actor_id, "user.deactivate", "user", user.id)
    return user
