"""The town office's services."""
