"""The reasons an item is refused, as English msgids; the web layer translates them."""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Mark a msgid for extraction (babel.cfg reads sync/) without translating it."""
    return msgid


# Each reason says what happened and what the worker can do next (shown on the phone as it is).
REASONS: dict[str, str] = {
    "invalid": N_("The form could not be read (%(fields)s). Please fill it in again."),
    "conflict": N_("This form was already sent with different content; nothing was changed. "
                   "If something is missing, record it again as a new entry."),
    "outside_grid": N_("This household is not in your grids. Ask the village administrator to check your grids."),
    "unknown_item": N_("Item %(item)s is not in the rules this form was filled in with. "
                       "Open the form again and choose an item from the current rules."),
    "inspection_item": N_("Item %(item)s is scored in the household inspection, not as an event. "
                          "Record it in this month's inspection."),
    "unknown_member": N_("This person is not a member of the household. "
                         "Choose a member from the list, or ask the village to update the household."),
    "member_required": N_("Item %(item)s is scored per person: choose a member of the household and record it again."),
    "bad_quantity": N_("The quantity must be more than 0 and at most 100, with at most two decimals. "
                       "Record it again with a correct quantity."),
    "wrong_period": N_("%(period)s is not an inspection period of this village's rules. "
                       "Open the inspection form again: it offers the right period."),
    "period_over": N_(
        "Inspections for %(period)s had to be recorded by %(deadline)s; this one was recorded on %(day)s. "
        "It can no longer be counted: score the current month instead."),
    "period_not_begun": N_("%(period)s had not begun on %(day)s, when this inspection was recorded. "
                           "Check the phone's date and record it again."),
    "already_inspected": N_("This household has already been inspected for %(period)s. "
                            "To add or deduct points, record an event."),
    "bad_time": N_("The time on this form is impossible; check the phone's date and record it again."),
    "no_rules": N_("The village has no rules yet, so nothing can be scored. Ask the village administrator."),
}
