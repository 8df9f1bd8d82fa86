"""The site's address as villagers' phones reach it, for links printed on paper (card QR codes,
door plates). A card printed from the office's LAN address (http://192.168.1.20/) would hold a link
that no phone at home can open, so JIFEN_PUBLIC_URL names the public address when there is one."""

from __future__ import annotations

from flask import current_app, request


def site_root() -> str:
    """JIFEN_PUBLIC_URL (ending in /) when set, else the address this request came in on."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/") + "/"
    return request.url_root
