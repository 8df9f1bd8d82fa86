"""The case library (典型案例库), pure: a case's states, who takes which step, and what a case must hold.

A village writes a case (draft), submits it; the town approves it, edits it, or returns it with a note;
the village edits a returned case and submits it again. An approved case is public (the town's case
page and its printable page); the town may still correct it, or return it (which takes it off the page).

No Flask, no SQLAlchemy: the services turn rows into these values and back.
"""

from __future__ import annotations

from collections.abc import Sequence

from webapp.core.messages import N_
from webapp.core.refusal import Refusal

DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"
STATES = (DRAFT, SUBMITTED, APPROVED, RETURNED)
STATE_NAMES = {DRAFT: N_("Draft"), SUBMITTED: N_("Submitted"), APPROVED: N_("Approved"), RETURNED: N_("Returned")}

VILLAGE, TOWN = "village", "town"
# Who takes each step: the village's own admins write and submit; the town's admins decide and correct.
ACTORS = {"edit": VILLAGE, "submit": VILLAGE, "approve": TOWN, "return": TOWN, "revise": TOWN}
# The state table: (state, action) → next state. Anything not in it is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "edit"): DRAFT,
    (DRAFT, "submit"): SUBMITTED,
    (RETURNED, "edit"): RETURNED,
    (RETURNED, "submit"): SUBMITTED,     # resubmitted
    (SUBMITTED, "approve"): APPROVED,
    (SUBMITTED, "return"): RETURNED,
    (SUBMITTED, "revise"): SUBMITTED,    # the town edits the text before approving
    (APPROVED, "revise"): APPROVED,      # … or corrects an approved case
    (APPROVED, "return"): RETURNED,      # takes it off the public page, with a note
}

MAX_TITLE = 100
MIN_TEXT, MAX_TEXT = 20, 6000
MAX_NOTE = 500
MAX_PHOTOS = 6


def next_state(state: str, action: str, side: str) -> str:
    """The state after `action` taken by `side` (VILLAGE or TOWN); a refusal when that side does not take
    that step, or the case's state does not allow it."""
    if ACTORS.get(action) != side:
        raise Refusal(N_("Only the town decides on a case; the village writes and submits it.")
                      if side == VILLAGE else N_("Only the village writes and submits its cases."))
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise Refusal(N_("A case that is %(state)s cannot be changed that way."), state=state) from None


def is_public(state: str) -> bool:
    """Whether a case in this state is shown to everyone."""
    return state == APPROVED


def check_content(title: str, text: str) -> tuple[str, str]:
    """The title and text, trimmed; a refusal when either is missing or too long."""
    title, text = (title or "").strip(), (text or "").strip()
    if not title or len(title) > MAX_TITLE:
        raise Refusal(N_("Give the case a title of at most %(max)s characters."), max=MAX_TITLE)
    if not MIN_TEXT <= len(text) <= MAX_TEXT:
        raise Refusal(N_("Tell the case in %(min)s to %(max)s characters."), min=MIN_TEXT, max=MAX_TEXT)
    return title, text


def check_note(note: str) -> str:
    """The town's note when it returns a case: required, so the village knows what to change."""
    note = (note or "").strip()
    if not note or len(note) > MAX_NOTE:
        raise Refusal(N_("Say why the case is returned (at most %(max)s characters)."), max=MAX_NOTE)
    return note


def check_photo_count(kept: int, added: int) -> None:
    if kept + added > MAX_PHOTOS:
        raise Refusal(N_("At most %(max)s photos per case."), max=MAX_PHOTOS)


def changed_fields(before: dict[str, object], after: dict[str, object]) -> dict[str, list[object]]:
    """What an edit changed, field by field ([before, after]), for the audit trail."""
    return {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}


def paragraphs(text: str) -> Sequence[str]:
    """The text as paragraphs (blank lines or line breaks between them)."""
    return [p.strip() for p in text.splitlines() if p.strip()]
