"""Blueprints: thin controllers (parse → one service call → commit → page or fragment)."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from . import admin, api, auth, devices, households, lists, main, prefs, scoring, store, sync_api

    for module in (auth, prefs, main, households, admin, api, sync_api, scoring, store, lists, devices):
        app.register_blueprint(module.bp)
