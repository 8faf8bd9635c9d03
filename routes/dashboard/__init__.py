"""The week view and its chart (blueprint ``dashboard``)."""
