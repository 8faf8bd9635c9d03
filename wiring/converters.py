"""URL converters: ``<int:...>`` in every route means an id that fits the database column.

Werkzeug's ``int`` converter takes any number of digits, so ``/projects/2147483648`` reached
PostgreSQL, which answered "integer out of range" (a 500). Registered as ``int`` by
``app.py:create_app`` before any blueprint, so every existing and future route gets the bound
without naming a new converter.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, ValidationError

from models.columns import ID_MAX

# 2147483647 has 10 digits: a longer string is not an id, and is refused before int() parses it.
MAX_ID_DIGITS = len(str(ID_MAX))


class BoundedIntConverter(IntegerConverter):
    """An id from 0 to ID_MAX; anything else does not match the route (a 404)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        if len(value) > MAX_ID_DIGITS:
            raise ValidationError()
        return super().to_python(value)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
