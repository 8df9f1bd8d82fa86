"""The sync protocol between phones and the server: schemas and idempotent apply logic.

Imports nothing from the web layer; the web layer hands it what it needs.
"""

PROTOCOL_VERSION = 1
