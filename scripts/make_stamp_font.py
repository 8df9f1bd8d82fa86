"""Make the font the photo stamp (水印) is written with: Noto Sans CJK SC, subset to what a stamp needs.

    python scripts/make_stamp_font.py [path/to/NotoSansCJK-Regular.ttc]

Build time only (needs fontTools, `pip install fonttools`; the app itself only reads the result with
Pillow). Writes webapp/photos/fonts/NotoSansCJKsc-Stamp.otf and OFL.txt beside it. The subset is ASCII,
the 6,763 hanzi of GB2312 (every character of a household head's name in practice), full-width and
CJK punctuation and a few symbols; about 2-3 MB instead of the 19 MB collection. The same input
gives the same bytes (no timestamps are kept), so regenerating it changes nothing in git.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "webapp" / "photos" / "fonts"
SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
FAMILY = "Noto Sans CJK SC"


def characters() -> str:
    """ASCII, GB2312 (level 1 and 2 hanzi and its symbols), CJK and full-width punctuation."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for row in range(0xA1, 0xF8):  # GB2312's rows: symbols (A1–A9) and hanzi (B0–F7)
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars.update(chr(c) for c in range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars.update(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width forms
    chars.update("·•—–…‘’“”°℃№×÷±")
    return "".join(sorted(chars))


def simplified_chinese(collection: TTCollection):
    for font in collection.fonts:
        if font["name"].getDebugName(1) == FAMILY:
            return font
    raise SystemExit(f"no {FAMILY} in the collection")


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE
    font = simplified_chinese(TTCollection(str(source), lazy=False))
    notice = font["name"].getDebugName(0) or ""
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False  # a stamp is drawn at 20 px and more: hints only add bytes
    options.desubroutinize = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "NotoSansCJKsc-Stamp.otf"
    font.recalcTimestamp = False  # keep the source's dates: the same input gives the same bytes
    font.save(str(target))
    licence = _ofl_text()
    (OUT / "OFL.txt").write_text(f"{notice}\n\n{licence}", encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {target.stat().st_size:,} bytes, {len(characters()):,} characters")


def _ofl_text() -> str:
    """The SIL Open Font License 1.1, as Debian's fonts-noto-cjk ships it."""
    lines = DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines()
    start = lines.index("License: SIL-1.1", lines.index("License: SIL-1.1") + 1) + 1
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return "\n".join(body).strip() + "\n"


if __name__ == "__main__":
    main()
