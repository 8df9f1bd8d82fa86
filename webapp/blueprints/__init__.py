"""Blueprints: thin controllers (parse → one service call → commit → page or fragment)."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import (
        admin, api, auth, board, devices, households, lists, main, notices, photos, prefs, publications, review,
        review_groups, scoring, store, sync_api, villagers,
    )

    for module in (auth, prefs, main, households, admin, api, sync_api, scoring, store, lists, devices,
                   review_groups, review, publications, board, photos, villagers, notices):
        app.register_blueprint(module.bp)
