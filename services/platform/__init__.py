"""Infrastructure the features share: mail, the task queue, health checks."""
