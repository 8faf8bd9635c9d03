"""The OpenAPI document is generated from the code: the served one is what the code builds now,
every API route is in it (a hand-written document drifts: routes missing, wrong types), the CLI
writes the same document, and the docs page is drawn from it with our own static files."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask

from extensions import api

DOCUMENT = "/api/v1/openapi.json"
NOT_IN_DOCUMENT = {"/api/v1/openapi.json", "/api/v1/docs"}


def served(app: Flask) -> dict:
    response = app.test_client().get(DOCUMENT)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_served_document_is_what_the_code_generates(app: Flask) -> None:
    with app.app_context():
        generated = json.loads(json.dumps(api.spec.to_dict()))
    assert served(app) == generated
    assert generated["openapi"].startswith("3.")


def test_every_api_route_and_method_is_in_the_document(app: Flask) -> None:
    paths = served(app)["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule in NOT_IN_DOCUMENT:
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in paths.get(path, {}):
                missing.append(f"{method} {path}")
    assert missing == []
    assert len(paths) >= 10


def test_errors_are_documented_as_problem_json(app: Flask) -> None:
    document = served(app)
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                assert "default" in operation["responses"], f"{method} {path}"


def test_the_cli_writes_the_served_document(app: Flask, tmp_path: Path) -> None:
    out = tmp_path / "openapi.json"
    result = app.test_cli_runner().invoke(args=["openapi", "write", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text()) == served(app)


def test_the_docs_page_uses_only_our_own_files(app: Flask) -> None:
    page = app.test_client().get("/api/v1/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert DOCUMENT in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/api-docs.js" in sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    script = app.test_client().get("/static/api-docs.js")
    assert script.status_code == 200 and b"innerHTML" not in script.data
    script.close()
