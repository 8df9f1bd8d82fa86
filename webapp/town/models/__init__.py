"""The town office's models."""
