"""Demo accounts: listed on the login page in demo mode only, never otherwise."""

# (role, username, password)
DEMO_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("town_admin", "town", "demo-town-2026"),
    ("village_admin", "admin", "demo-admin-2026"),
    ("scorer", "grid", "demo-grid-2026"),
    ("reviewer", "review", "demo-review-2026"),
    ("clerk", "store", "demo-store-2026"),
    ("villager", "villager", "demo-home-2026"),
    ("auditor", "audit", "demo-audit-2026"),
)

# A household account as villagers have them: the household code and a PIN the committee set.
DEMO_HOUSEHOLD_LOGIN: tuple[str, str] = ("YF0002", "135790")
