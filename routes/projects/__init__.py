"""Projects and tasks pages (blueprint ``projects``)."""
