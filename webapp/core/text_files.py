"""Reading text files that villages produce: UTF-8 (with or without BOM) or GB18030,
which Chinese Windows and Excel write by default."""

from __future__ import annotations


def decode_text(data: bytes) -> str | None:
    """The file's text, or None when it is neither UTF-8 nor GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None
