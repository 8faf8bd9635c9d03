"""The app's interfaces: HTTP blueprints and CLI commands. They call services; nothing imports them
but the factory."""
