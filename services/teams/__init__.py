"""Teams: founding and switching, members and their roles, invitations by email."""
