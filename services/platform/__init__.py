"""Infrastructure the features share: mail, the task queue (publish after commit), health checks."""
