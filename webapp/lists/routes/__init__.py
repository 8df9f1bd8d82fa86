"""Lists (清单制): public pages (lists, items with their one-map, disclosures) and the admin pages
(versions and their adoption, templates, import/export, the service desk, disclosure posts)."""

from webapp.lists.routes import admin, desk, public  # noqa: F401 - their views register on bp
from webapp.lists.routes.blueprint import bp

__all__ = ["bp"]
