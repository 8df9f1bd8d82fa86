"""Marshmallow schemas for data that arrives from files and forms."""
