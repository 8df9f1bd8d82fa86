"""Translated names for the codes the domain uses (roles, kinds, line states)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_NAMES = {
    "town_admin": _l("Town admin"),
    "village_admin": _l("Village admin"),
    "scorer": _l("Grid worker"),
    "reviewer": _l("Reviewer"),
    "clerk": _l("Store clerk"),
    "villager": _l("Villager"),
    "auditor": _l("Auditor"),
    "town_cadre": _l("Village liaison cadre"),
}

KIND_NAMES = {
    "base": _l("Base"),
    "bonus": _l("Bonus"),
    "deduction": _l("Deduction"),
    "freeze": _l("Redemption freeze"),
}

PERIOD_KIND_NAMES = {"month": _l("Month"), "quarter": _l("Quarter"), "year": _l("Year")}

BALANCE_NAMES = {
    "carry_over": _l("Unspent points carry over"),
    "reset_monthly": _l("Points are cleared at the end of each month"),
    "reset_yearly": _l("Points are cleared at the end of each year"),
}

BASIS_NAMES = {"sum": _l("Sum of the year"), "monthly_average": _l("Average of the monthly totals")}

LINE_STATUS_NAMES = {
    "met": _l("met"),
    "not_met": _l("not met"),
    "not_inspected": _l("not inspected yet"),
    "counted": _l("counted"),
    "once_per_month": _l("once a month only"),
    "once_per_year": _l("once a year only"),
    "capped": _l("over the cap"),
    "partly_capped": _l("partly over the cap"),
    "deferred": _l("credited in December"),
    "freeze": _l("redemption frozen"),
}

ENTRY_STATUS_NAMES = {
    "recorded": _l("waiting for review"),
    "approved": _l("approved"),
    "adjusted": _l("approved with a correction"),
    "rejected": _l("rejected"),
    "published": _l("published"),
    "final": _l("final"),
}

FLAG_NAMES = {
    "late": _l("late"),
    "retired_item": _l("item no longer in the rules"),
    "rules_changed": _l("recorded under rules that have changed"),
    "photo_missing": _l("photo missing"),
    "future_time": _l("time in the future"),
    "old_time": _l("dated before last month"),
    "unknown_version": _l("unknown rules version"),
    "self_declared": _l("self-declared"),
    "correction": _l("correction"),
}

PUBLICATION_STATUS_NAMES = {
    "closed": _l("closed, not yet published"),
    "notice": _l("public notice"),
    "final": _l("final"),
}

OBJECTION_STATUS_NAMES = {"open": _l("waiting for an answer"), "upheld": _l("upheld"), "dismissed": _l("dismissed")}

PUBLIC_ITEM_KIND_NAMES = {"late": _l("late entry"), "correction": _l("correction")}

AUDIT_TOPIC_NAMES = {
    "review": _l("Review decisions"),
    "publication": _l("Closing and publishing"),
    "objection": _l("Objections"),
    "store": _l("Points store"),
    "people": _l("Accounts and groups"),
    "rules": _l("Rules, roster and lists"),
}

AUDIT_ACTION_NAMES = {
    "entry.approve": _l("approved an entry"),
    "entry.reject": _l("rejected an entry"),
    "entry.adjust": _l("corrected an entry"),
    "entry.declare": _l("self-declared an item"),
    "inspection.approve": _l("approved an inspection"),
    "inspection.reject": _l("rejected an inspection"),
    "inspection.adjust": _l("corrected an inspection"),
    "period.close": _l("closed a period"),
    "publication.model": _l("chose model households"),
    "publication.honour": _l("chose the honour roll"),
    "publication.photos": _l("chose the board's photos"),
    "publication.prize": _l("decided a tied prize"),
    "publication.publish": _l("published results"),
    "publication.finalise": _l("made results final"),
    "objection.file": _l("filed an objection"),
    "objection.uphold": _l("upheld an objection"),
    "objection.dismiss": _l("dismissed an objection"),
    "household.pin": _l("set a household PIN"),
    "household.create": _l("added a household"),
    "household.update": _l("edited a household"),
    "household.move": _l("moved a household to another group or grid"),
    "household.leave": _l("recorded that a household no longer takes part"),
    "household.rejoin": _l("let a household take part again"),
    "household.member_join": _l("added a household member"),
    "household.member_leave": _l("recorded that a member left"),
    "freeze.lift": _l("lifted a redemption freeze"),
    "auth.login": _l("logged in"),
    "auth.logout": _l("logged out"),
    "user.deactivate": _l("deactivated an account"),
    "sync.batch": _l("synced from a phone"),
    "device.issue": _l("registered a phone"),
    "device.revoke": _l("revoked a phone"),
    "user.create": _l("created an account"),
    "review_group.create": _l("created a review group"),
    "review_group.rename": _l("renamed a review group"),
    "review_group.delete": _l("deleted a review group"),
    "review_group.members": _l("changed a review group's members"),
    "review_group.areas": _l("changed a review group's area"),
    "review_group.target": _l("changed a review group's cross-review"),
    "scheme.import": _l("imported rules"),
    "roster.import": _l("imported the roster"),
    "card.issue": _l("issued a household card"),
    "card.reissue": _l("reissued a household card"),
    "store.redeem": _l("redeemed points"),
    "store.return": _l("took back a redemption"),
    "stock.in": _l("took stock in"),
    "stock.count": _l("counted stock"),
    "product.save": _l("saved a product"),
    "list.create": _l("created a list"),
    "list.draft": _l("drafted a list version"),
    "list.item": _l("changed a list item"),
    "list.adopt": _l("adopted a list version"),
    "list.hand_out": _l("put a list version in force"),
    "disclosure.post": _l("posted a disclosure"),
    "desk.register": _l("registered a service matter"),
}

# Setting a town up: villages, groups, grids and staff (webapp/people/services/village_setup.py, staff.py).
AUDIT_TOPIC_NAMES["villages"] = _l("Villages, groups and grids")
AUDIT_ACTION_NAMES.update({
    "town.create": _l("created the town"),
    "village.create": _l("created a village"),
    "village.edit": _l("renamed a village or changed its area code"),
    "village.retire": _l("retired a village"),
    "village.restore": _l("put a retired village back in use"),
    "group.create": _l("added a village group"),
    "group.rename": _l("renamed a village group"),
    "grid.create": _l("added a grid"),
    "grid.rename": _l("renamed a grid"),
    "user.grant": _l("gave an account a role"),
    "user.revoke": _l("took a role from an account"),
    "user.edit": _l("changed an account's name or phone"),
    "user.password": _l("set a new password for an account"),
    "user.reactivate": _l("reactivated an account"),
    "staff.import": _l("imported staff"),
})
