"""The household roster file (户籍名册): its columns and the schema of one row (reading the file:
webapp/people/services/roster_file.py).

Cells arrive as trimmed text (or a date from an Excel date cell). Every error is a
`CellMessage` (an English msgid with its params), one per cell, so the service can
point at the row and column and the edge can translate it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields

from webapp.core.messages import N_


@dataclass(frozen=True)
class Column:
    """One roster column: the field it fills, its Chinese header and accepted aliases."""

    field: str
    title: str
    aliases: tuple[str, ...] = ()
    required: bool = False


# Order is the template's order. Aliases cover English headers and common Chinese variants.
COLUMNS: tuple[Column, ...] = (
    Column("code", "户编码", ("code", "户号"), required=True),
    Column("head", "户主", ("head", "户主姓名"), required=True),
    Column("group", "村民小组", ("group",)),
    Column("grid", "网格", ("grid",)),
    Column("address", "地址", ("address",)),
    Column("phone", "联系电话", ("phone", "电话", "手机号")),
    Column("id_number", "身份证号", ("id_number", "身份证号码")),
    Column("members", "家庭成员", ("members", "成员")),
    Column("resident", "常住", ("resident", "是否常住")),
    Column("eligible", "参与积分", ("eligible", "是否参与积分")),
    Column("enrolled_on", "入户日期", ("enrolled_on",)),
)


def header_key(text: str) -> str:
    """Compare headers ignoring case, spaces, underscores and the * some templates mark required columns with."""
    return re.sub(r"[\s_*＊]", "", text).lower()


@dataclass(frozen=True)
class CellMessage:
    """What is wrong with one cell: an English msgid and its params."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)


def refuse(msgid: str, **params: Any) -> ValidationError:
    """A ValidationError carrying one CellMessage (marshmallow keeps non-string messages as they are)."""
    return ValidationError([CellMessage(msgid, params)])


YES = {"是", "yes", "y", "true", "1", "对", "√"}
NO = {"否", "no", "n", "false", "0", "不", "×"}
# Chinese Excel writes dates in CSV as 2024/3/1, so / and . are accepted besides -.
DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
PHONE = re.compile(r"\+?[0-9\s-]+", re.ASCII)
ID_NUMBER = re.compile(r"[0-9]{14}[0-9Xx]|[0-9]{17}[0-9Xx]")
# "1.10101199001011e+17": Excel kept an 18-digit ID number as a float and lost its last digits.
FLOAT_TEXT = re.compile(r"\d+(\.\d+)?[eE]\+\d+")
MEMBER_SEPARATORS = re.compile(r"[、,，;；\n]")
MEMBER = re.compile(r"(?P<name>[^()（）]+?)\s*(?:[(（]\s*(?P<relation>[^()（）]*?)\s*[)）])?")

MEMBER_NAME_MAX = 50
RELATION_MAX = 20


def halfwidth(text: str) -> str:
    """Full-width digits and signs (１３８－…), as a Chinese keyboard types them, made ASCII."""
    return unicodedata.normalize("NFKC", text)


class Text(fields.Field):
    """Trimmed text with a length limit; blank gives None ("not given") unless a blank message is set."""

    def __init__(self, max_length: int, blank: str | None = None, **kwargs: Any) -> None:
        super().__init__(load_default=None, **kwargs)
        self.max_length = max_length
        self.blank = blank

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | None:
        text = str(value).strip()
        if not text:
            if self.blank:
                raise refuse(self.blank)
            return None
        if len(text) > self.max_length:
            raise refuse(N_("This value has %(length)s characters; at most %(max)s fit."),
                         length=len(text), max=self.max_length)
        return self.check(text)

    def check(self, text: str) -> str:
        """Further checks of a non-blank value; returns the value to store."""
        return text


class Phone(Text):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(32, **kwargs)

    def check(self, text: str) -> str:
        text = halfwidth(text)
        digits = sum(ch in "0123456789" for ch in text)
        if not (PHONE.fullmatch(text) and 7 <= len(text) <= 20 and digits >= 7):
            raise refuse(N_("%(value)s is not a phone number: use digits, with an optional +, - or spaces "
                            "(7 to 20 characters)."), value=text)
        return text


class IdNumber(Text):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(32, **kwargs)

    def check(self, text: str) -> str:
        text = halfwidth(text)
        if FLOAT_TEXT.fullmatch(text):
            raise refuse(N_("Excel stored this ID number as a number and lost digits; format the column "
                            "as text and type it again."))
        if not ID_NUMBER.fullmatch(text):
            raise refuse(N_("An ID number has 15 or 18 characters, digits only except a final X; "
                            "this one has %(length)s."), length=len(text))
        return text.upper()


class YesNo(fields.Field):
    """是/否, yes/no, 1/0; blank gives None so the service can apply its default."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=None, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool | None:
        text = str(value).strip().lower()
        if not text:
            return None
        if text in YES:
            return True
        if text in NO:
            return False
        raise refuse(N_("%(value)s is not yes or no: write 是 or 否."), value=str(value).strip())


class CellDate(fields.Field):
    """A date as YYYY-MM-DD text or an Excel date cell; blank gives None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=None, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        if not text:
            return None
        match = DATE.fullmatch(text)
        try:
            if match is None:
                raise ValueError(text)
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise refuse(N_("%(value)s is not a date: write it like 2024-03-01."), value=text) from None


class Members(fields.Field):
    """`李四（配偶）、张小明(子)` → [("李四", "配偶"), ("张小明", "子")], each name once."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(load_default=list, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[tuple[str, str]]:
        members: dict[str, str] = {}
        for piece in MEMBER_SEPARATORS.split(str(value)):
            piece = piece.strip()
            if not piece:
                continue
            match = MEMBER.fullmatch(piece)
            if match is None:
                raise refuse(N_("Cannot read the member %(value)s: write a name, optionally with the "
                                "relation in brackets, and separate members with 、"), value=piece)
            name, relation = match["name"].strip(), (match["relation"] or "").strip()
            if len(name) > MEMBER_NAME_MAX:
                raise refuse(N_("The member name %(value)s is too long: at most %(max)s characters."),
                             value=name, max=MEMBER_NAME_MAX)
            if len(relation) > RELATION_MAX:
                raise refuse(N_("The relation %(value)s is too long: at most %(max)s characters."),
                             value=relation, max=RELATION_MAX)
            members.setdefault(name, relation)
        return list(members.items())


class RosterRowSchema(Schema):
    """One household row. Blank optional cells load as None: "not given", so an update keeps the old value."""

    class Meta:
        unknown = EXCLUDE

    # Lengths follow the model columns (Household.code, head_name, address; VillageGroup/Grid.name).
    code = Text(32, blank=N_("The household code is empty."))
    head = Text(50, blank=N_("The household head's name is empty."))
    group = Text(100)
    grid = Text(100)
    address = Text(200)
    phone = Phone()
    id_number = IdNumber()
    members = Members()
    resident = YesNo()
    eligible = YesNo()
    enrolled_on = CellDate()
