"""QR codes for printed pages (list booklets, notice-board posters, the hall's TV): inline SVG made
with segno, with no network and no image files."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, scale: int = 3, fit: bool = False) -> Markup:
    """A QR code of the URL as inline SVG; fit=True gives it a viewBox and no size, so that CSS
    can make it as large as the page needs (a poster in millimetres, a TV in rem)."""
    return Markup(segno.make(url, error="m").svg_inline(scale=scale, border=2, title=url, omitsize=fit))
