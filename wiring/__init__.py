"""How the app is wired to its infrastructure: Celery, SQLite connections.

Used by ``app.py`` only.
"""
