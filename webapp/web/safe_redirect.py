"""Only follow `next`, or the Referer, to a path on this site (no open redirects)."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    """The target if it is a local path, else None."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def same_site_path(url: str | None, host: str) -> str | None:
    """The path (and query) of a URL on this site, such as the Referer; None for another site."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        return None
    return safe_next(parts.path + (f"?{parts.query}" if parts.query else ""))
