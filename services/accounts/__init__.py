"""Accounts: sign-up, login, passwords, signed links. The rules for a person's own account."""
