"""Personal access tokens page (blueprint ``tokens``)."""
