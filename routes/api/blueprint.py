"""The one way to make an API resource blueprint: with the token guard, no-store answers and no
CSRF check (the guard refuses cookie writes, and a token is not sent by a browser on its own).

A new resource module (teams, say) calls :func:`resource_blueprint` and is listed in
``registry.py``; it cannot forget authentication, nor the rate limit on writes (one budget per
token across every resource: ``RATELIMIT_API_WRITE``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

from flask_smorest import Blueprint

from extensions import csrf
from routes.api.auth import guard, no_store
from routes.rate_limits import limited

WRITES = ("POST", "PUT", "PATCH", "DELETE")

URL_PREFIX = "/api/v1"

# What an API view returns: a model or a dict (or a list of them, maybe with headers in a tuple)
# that flask-smorest serialises with the view's response schema, or a ready Response such as a
# problem document.
Answer: TypeAlias = object


def resource_blueprint(name: str, description: str) -> Blueprint:
    blueprint = Blueprint(f"api_{name}", __name__, url_prefix=URL_PREFIX, description=description)
    blueprint.before_request(guard)
    blueprint.after_request(no_store)
    csrf.exempt(blueprint)
    limited("RATELIMIT_API_WRITE", per="token", methods=WRITES, shared=True)(blueprint)
    return blueprint


def created_links(status: int, parameter: str, *operation_ids: str) -> dict[str, Any]:
    """OpenAPI links from a create's answer to the operations on the new resource (its ``id``
    fills ``parameter``), for ``@blp.doc(**created_links(...))``: clients and the stateful
    fuzzer follow them (create, then read, change, delete)."""
    links = {
        operation_id[0].upper() + operation_id[1:]: {
            "operationId": operation_id,
            "parameters": {parameter: "$response.body#/id"},
        }
        for operation_id in operation_ids
    }
    # An int key, like the one @blp.response files its own doc under, so the two merge.
    return {"responses": {status: {"links": links}}}
