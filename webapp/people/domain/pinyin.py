"""Pinyin initials of names, so a phone keyboard finds 张三丰 by typing "zsf"."""

from __future__ import annotations

import unicodedata

from pypinyin import Style, lazy_pinyin

# pypinyin reads these characters in their common sound; as the first character of a name they are surnames.
SURNAME_INITIALS = {"曾": "z", "单": "s", "解": "x", "仇": "q", "查": "z", "区": "o", "覃": "q", "翟": "z"}


def pinyin_initials(name: str) -> str:
    """Lowercase pinyin initials of a name ("zsf" for 张三丰); other letters and digits kept, lowercased."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER)
    if letters and name[:1] in SURNAME_INITIALS:
        letters[0] = SURNAME_INITIALS[name[0]] + letters[0][1:]
    # Only letters and digits: spaces, the middle dot of 阿依古丽·买买提 and the like only get in a search's way.
    return "".join(ch for ch in "".join(letters).lower() if unicodedata.category(ch)[0] in "LN")
