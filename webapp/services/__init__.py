"""Services load rows, call the domain, add and flush. They never commit:
the request handler (or CLI command) commits once."""
