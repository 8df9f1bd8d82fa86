"""Users and their role grants, each scoped to a town, village, store, grid or household."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.core.clock import utcnow
from webapp.extensions import db
from webapp.people.domain.access import Grant

# How new passwords are hashed (werkzeug's method string). create_app sets it from the
# PASSWORD_HASH_METHOD config key; the tests choose a fast one. Checking reads the method
# from the stored hash, so hashes made under another setting still verify.
PASSWORD_HASH_METHOD = "scrypt"


def use_password_hash_method(method: str) -> None:
    """Hash passwords set from now on with this werkzeug method ("scrypt", "pbkdf2:sha256:1000")."""
    global PASSWORD_HASH_METHOD
    PASSWORD_HASH_METHOD = method


def new_session_token() -> str:
    """A fresh random token naming the current generation of a user's sessions."""
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")  # staff pages only, never on public pages
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Every session cookie and remember-me cookie carries this token (get_id); replacing it ends them all
    # server-side: on logout, a password change, deactivation and a revoked device.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleGrant.id"
    )

    def set_password(self, password: str) -> None:
        """Store a salted hash, never the password; a new password ends the sessions opened with the old one."""
        self.password_hash = generate_password_hash(password, method=PASSWORD_HASH_METHOD)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session and remember-me cookie of this user stops working (the user loader checks the token)."""
        self.session_token = new_session_token()

    @validates("active")
    def _deactivation_ends_sessions(self, _key: str, active: bool) -> bool:
        if not active:
            self.end_sessions()
        return active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: "<id>:<session token>"."""
        if not self.session_token:
            self.end_sessions()
        return f"{self.id}:{self.session_token}"

    def check_password(self, password: str) -> bool:
        """True when the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def domain_grants(self) -> tuple[Grant, ...]:
        """The user's grants as plain domain values for the access rules."""
        return tuple(g.as_domain() for g in self.grants)


class RoleGrant(db.Model):
    """One role in one scope; a grid worker with three grids has three grants."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    town_id: Mapped[int | None] = mapped_column(ForeignKey("town.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    grid_id: Mapped[int | None] = mapped_column(ForeignKey("grid.id"))
    store_id: Mapped[int | None] = mapped_column(ForeignKey("store.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))

    user: Mapped[User] = relationship(back_populates="grants")

    def as_domain(self) -> Grant:
        return Grant(
            role=self.role, town_id=self.town_id, village_id=self.village_id,
            grid_id=self.grid_id, store_id=self.store_id, household_id=self.household_id,
        )
