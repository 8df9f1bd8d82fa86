"""Work outside the request: the job table, its runner and the progress page."""
