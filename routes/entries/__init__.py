"""Time entry pages (blueprint ``entries``)."""
