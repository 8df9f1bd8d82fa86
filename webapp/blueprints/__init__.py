"""Blueprints: thin controllers (parse → one service call → commit → page or fragment)."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import admin, api, auth, households, main, prefs

    for module in (auth, prefs, main, households, admin, api):
        app.register_blueprint(module.bp)
