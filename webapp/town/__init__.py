"""The town office: dashboard and dispatch, village evaluation, satisfaction surveys, the case library."""
