"""Courtyard ratings services."""
