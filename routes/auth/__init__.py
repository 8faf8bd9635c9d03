"""Accounts pages: sign-up, login, logout, passwords (blueprint ``auth``)."""
