"""Development-only pages. ``app.py`` registers them only when the development config turns them
on (``MAIL_OUTBOX``); production refuses to start with it on."""
