"""The job capability's services: enqueue, the registry of job kinds, the runner, health."""
