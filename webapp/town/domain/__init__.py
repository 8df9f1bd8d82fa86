"""The town office's domain."""
