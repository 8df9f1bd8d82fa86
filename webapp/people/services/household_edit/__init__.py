"""Households on the page: add, edit, move between groups and grids, members joining and leaving,
and a household's participation dates. Every write is in the audit trail; a bad form is refused
whole (FormRefusal, one message per field) before anything is written.

The rules follow the roster import (roster.py): codes are unique across the installation, the head
is a member with relation 户主, members are never deleted (one who leaves keeps the record, with the
date and why). A household takes part in points from enrolled_on until left_on (exclusive).
"""

from webapp.people.services.household_edit.forms import FormRefusal, managed_household, managed_member
from webapp.people.services.household_edit.households import (
    add_household,
    edit_household,
    resume_participating,
    stop_participating,
)
from webapp.people.services.household_edit.members import add_member, remove_member

__all__ = ["FormRefusal", "add_household", "add_member", "edit_household", "managed_household", "managed_member",
           "remove_member", "resume_participating", "stop_participating"]
