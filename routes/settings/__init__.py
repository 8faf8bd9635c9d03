"""Personal settings and account deletion (blueprint ``settings``)."""
