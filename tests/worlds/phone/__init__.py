"""Worlds for real-browser tests of the grid worker's phone."""
