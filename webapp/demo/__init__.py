"""The seeded demo town that `jifen demo` serves."""
