"""Projects and the tasks inside them: names, archiving, closing."""
