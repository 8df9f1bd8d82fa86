"""Worlds of the town office (issue 13): surveys and the other town pages."""
