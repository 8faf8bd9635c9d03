"""Report export pages (blueprint ``reports``)."""
