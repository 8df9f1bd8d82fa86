"""The audit trail as sentences: "张三 通过了 李四 户 2026-11 入户评分".

Pure: an event's action and detail, with the names the service looked up (the actor, the household, the
account or village acted on), become a message id and its parameters. No database id, raw key or `None`
ever reaches a parameter; an action without a sentence of its own reads "<actor> <what was done>", with the
household and period when the event names them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from webapp.core.messages import N_

# Each action's sentence. Parameters: actor, household (a head's name with "户" in the sentence), period
# (a label), and the detail values named in DETAIL_PARAMETERS.
SENTENCES: dict[str, str] = {
    "entry.approve": N_("%(actor)s approved an entry of household %(household)s"),
    "entry.reject": N_("%(actor)s rejected an entry of household %(household)s"),
    "entry.adjust": N_("%(actor)s corrected an entry of household %(household)s"),
    "entry.declare": N_("%(actor)s declared item %(item)s for household %(household)s"),
    "inspection.approve": N_("%(actor)s approved household %(household)s's %(period)s inspection"),
    "inspection.reject": N_("%(actor)s rejected household %(household)s's %(period)s inspection"),
    "inspection.adjust": N_("%(actor)s corrected household %(household)s's %(period)s inspection"),
    "period.close": N_("%(actor)s closed %(period)s"),
    "publication.publish": N_("%(actor)s published the results of %(period)s, notice %(notice_from)s to %(notice_to)s"),
    "publication.finalise": N_("%(actor)s made the results of %(period)s final"),
    "publication.prize": N_("%(actor)s decided a tied prize for household %(household)s"),
    "objection.file": N_("%(actor)s filed an objection to the results of %(period)s"),
    "objection.uphold": N_("%(actor)s upheld an objection"),
    "objection.dismiss": N_("%(actor)s dismissed an objection"),
    "store.redeem": N_("%(actor)s redeemed %(points)s points, receipt %(receipt_no)s"),
    "store.return": N_("%(actor)s took back the redemption of receipt %(receipt_no)s"),
    "card.issue": N_("%(actor)s issued %(count)s household cards"),
    "card.reissue": N_("%(actor)s reissued the card of household %(household)s"),
    "desk.register": N_("%(actor)s registered service matter %(number)s"),
    "desk.start": N_("%(actor)s started handling a service matter"),
    "desk.finish": N_("%(actor)s finished a service matter"),
    "desk.return": N_("%(actor)s returned a service matter"),
    "desk.reopen": N_("%(actor)s reopened a service matter"),
    "scheme.import": N_("%(actor)s imported rules version %(number)s, in force from %(effective_from)s"),
    "list.adopt": N_("%(actor)s adopted list %(list)s version %(number)s, in force from %(effective_from)s"),
    "list.draft": N_("%(actor)s drafted list %(list)s version %(number)s"),
    "list.create": N_("%(actor)s created list %(code)s"),
    "household.create": N_("%(actor)s added household %(household)s"),
    "household.update": N_("%(actor)s edited household %(household)s"),
    "household.pin": N_("%(actor)s set the PIN of household %(household)s"),
    "user.create": N_("%(actor)s created an account for %(target)s"),
    "user.deactivate": N_("%(actor)s deactivated the account of %(target)s"),
    "freeze.lift": N_("%(actor)s lifted the redemption freeze of household %(household)s"),
}
# Sentences that need a value the event may lack fall back to the general form.
DETAIL_PARAMETERS = ("item", "points", "receipt_no", "count", "number", "effective_from", "list", "code",
                     "notice_from", "notice_to")
GENERAL = N_("%(actor)s %(action)s")
WITH_HOUSEHOLD = N_("%(actor)s %(action)s: household %(household)s")
WITH_PERIOD = N_("%(actor)s %(action)s: %(period)s")
UNKNOWN_ACTION = N_("made a change")
# Detail values a reader wants beside the sentence, each under its own label (never the raw key).
NOTES = {"reason": N_("Reason: %(text)s"), "answer": N_("Answer: %(text)s"), "note": N_("Note: %(text)s")}


@dataclass(frozen=True, slots=True)
class Names:
    """What the service looked up for one event."""

    actor: str
    household: str = ""     # the head's name of the household the event is about
    target: str = ""        # the account (or village) acted on
    period: str = ""        # the period as a label ("2026-11")


@dataclass(frozen=True, slots=True)
class Sentence:
    msgid: str
    params: dict[str, str] = field(default_factory=dict)
    action: str = ""                             # a general sentence's action key: the caller names it
    notes: tuple[tuple[str, str], ...] = ()      # (msgid, text) pairs: the reason, the answer


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def sentence(action: str, detail: Mapping[str, Any] | None, names: Names) -> Sentence:
    """The sentence of one event. The general form's `action` is named by the caller from its action names
    ("<actor> <what was done>"), or UNKNOWN_ACTION ("<actor> made a change"): never the raw key."""
    detail = detail or {}
    params = {"actor": names.actor, "household": names.household, "target": names.target, "period": names.period}
    params |= {key: _text(detail.get(key)) for key in DETAIL_PARAMETERS}
    notes = tuple((NOTES[key], _text(detail[key])) for key in NOTES if _text(detail.get(key)))
    msgid = SENTENCES.get(action)
    if msgid is not None and all(params[name] for name in _parameters(msgid)):
        return Sentence(msgid, {name: params[name] for name in _parameters(msgid)}, notes=notes)
    base = {"actor": names.actor}
    if names.household:
        return Sentence(WITH_HOUSEHOLD, base | {"household": names.household}, action, notes)
    if names.period:
        return Sentence(WITH_PERIOD, base | {"period": names.period}, action, notes)
    return Sentence(GENERAL, base, action, notes)


def _parameters(msgid: str) -> list[str]:
    return re.findall(r"%\((\w+)\)s", msgid)
