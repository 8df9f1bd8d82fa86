"""Draw the installable-app icons (webapp/static/icons/*.png) with Pillow: a white 积 on the
notice-board red, like icons/icon.svg. Run again after changing the look:

    python scripts/make_icons.py

"any" icons fill the square with rounded corners; the maskable one keeps the glyph inside the
central 80 % safe zone and paints the whole square, so Android can cut any shape out of it.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RED = (0xB3, 0x26, 0x1E, 255)
WHITE = (255, 255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "webapp" / "static" / "icons"
GLYPH = "积"


def cjk_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold CJK font from fontconfig (Debian: fonts-noto-cjk); Pillow's default otherwise."""
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC:bold"],
                              capture_output=True, text=True, check=True).stdout.strip()
        return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)  # SC in the collection
    except (OSError, subprocess.CalledProcessError, FileNotFoundError):
        return ImageFont.load_default(size)


def draw(size: int, maskable: bool) -> Image.Image:
    scale = 4  # draw large, then shrink: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        pen.rectangle((0, 0, big, big), fill=RED)
        glyph_box = big * 0.8 * 0.72  # inside the safe zone, with a margin
    else:
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big * 0.19, fill=RED)
        glyph_box = big * 0.62
    font = cjk_font(int(glyph_box))
    left, top, right, bottom = pen.textbbox((0, 0), GLYPH, font=font)
    x = (big - (right - left)) / 2 - left
    y = (big - (bottom - top)) / 2 - top
    pen.text((x, y), GLYPH, font=font, fill=WHITE)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("maskable-512.png", 512, True)):
        # Two colours and their anti-aliased blends: a small palette keeps the files a few KB.
        icon = draw(size, maskable)
        icon.convert("RGBA").quantize(colors=24, method=Image.Quantize.FASTOCTREE).save(OUT / name, optimize=True)
        print(OUT / name)


if __name__ == "__main__":
    main()
