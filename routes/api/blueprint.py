"""The one way to make an API resource blueprint: with the token guard, no-store answers and no
CSRF check (the guard refuses cookie writes, and a token is not sent by a browser on its own).

A new resource module (teams, say) calls :func:`resource_blueprint` and is listed in
``registry.py``; it cannot forget authentication, nor the rate limit on writes (one budget per
token across every resource: ``RATELIMIT_API_WRITE``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

from flask import Response
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


class ResourceBlueprint(Blueprint):
    """flask-smorest's blueprint with its ETag support fitted to views that answer a problem
    document themselves (a 404, a 409): such an answer carries no ETag (smorest would hash the
    body it never dumped), and an update that stopped before ``check_etag`` (the object was not
    found) is not reported as a view that forgot to check.

    ``@blp.etag`` on a read, a create and an update: the answer carries an ``ETag`` (a hash of
    the body); ``PATCH``/``DELETE`` without ``If-Match`` are ``428``, and the view calls
    ``blp.check_etag(current, Schema)`` before it changes anything: a stale tag is ``412``.
    Writes that check are locked rows (``SELECT ... FOR UPDATE`` in the service's lookup) so two
    clients with the same tag cannot both pass the check.
    """

    def _verify_check_etag(self) -> None:
        # Proven by the tests instead: every update answers 412 to a stale tag
        # (tests/test_api_concurrency.py). smorest's warning also fires for a 404.
        return None

    def _set_etag_in_response(self, response: Response) -> None:
        if 200 <= response.status_code < 300 and response.status_code != 204:
            super()._set_etag_in_response(response)


def resource_blueprint(name: str, description: str) -> Blueprint:
    blueprint = ResourceBlueprint(
        f"api_{name}", __name__, url_prefix=URL_PREFIX, description=description
    )
    blueprint.before_request(guard)
    blueprint.after_request(no_store)
    csrf.exempt(blueprint)
    limited("RATELIMIT_API_WRITE", per="token", methods=WRITES, shared=True)(blueprint)
    return blueprint


def created_links(
    status: int, parameter: str, *operation_ids: str, if_match: tuple[str, ...] = ()
) -> dict[str, Any]:
    """OpenAPI links from a create's answer to the operations on the new resource (its ``id``
    fills ``parameter``), for ``@blp.doc(**created_links(...))``: clients and the stateful
    fuzzer follow them (create, then read, change, delete). The operations in ``if_match`` need the
    create's ``ETag`` in ``If-Match``: their link says so."""
    links = {
        operation_id[0].upper() + operation_id[1:]: {
            "operationId": operation_id,
            "parameters": {parameter: "$response.body#/id"}
            | ({"header.If-Match": "$response.header.ETag"} if operation_id in if_match else {}),
        }
        for operation_id in operation_ids
    }
    # An int key, like the one @blp.response files its own doc under, so the two merge.
    return {"responses": {status: {"links": links}}}
