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
