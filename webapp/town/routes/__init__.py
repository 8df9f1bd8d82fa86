"""The town office's routes."""
