"""The JSON API v1 (``/api/v1``): one module per resource, schemas in ``schemas.py``, wired up by
``registry.py``. Thin like the web pages: parse, call one service function, present."""
