"""The running timer in the top bar (blueprint ``timer``)."""
