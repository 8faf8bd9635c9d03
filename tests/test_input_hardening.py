"""Unusual input gets a 404, a form error, a 400, 413 or 415: never a 500, never a half write.

Each case here was a 500 once (issue 11): ids beyond PostgreSQL's integer, NUL and invisible
characters in text, durations that pass ``str.isdigit()`` but not ``int()``, JSON or file parts
sent to a form endpoint, and bodies of any size.
"""

from __future__ import annotations

import io

import pytest
from flask import Flask
from werkzeug.routing import Rule

from extensions import db
from models import Project, Task, TimeEntry, User
from models.columns import ID_MAX
from services.platform.text import UNPRINTABLE_MESSAGE, check_printable, is_printable
from services.timesheet.dates import DURATION_MESSAGE, BadDate, parse_duration
from tests.timesheet_support import add_project, add_task, count, entry_form, signed_in, snapshot

TOO_BIG_IDS = [str(ID_MAX + 1), str(2**63), "9" * 5000]
UNPRINTABLE = {
    "NUL": "Ada\x00",
    "bidi override": "Ada\u202egnp.exe",
    "zero-width space": "A\u200bda",
    "zero-width joiner": "A\u200dda",
    "escape": "Ada\x1b[31m",
    "line separator": "Ada\u2028Lovelace",
}


def int_rules(app: Flask) -> list[Rule]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if any(type(conv).__name__ == "BoundedIntConverter" for conv in rule._converters.values())
    ]
    assert len(rules) >= 13, "expected every id route to use the bounded int converter"
    return rules


# --- ids ----------------------------------------------------------------------------------------


def test_every_int_route_uses_the_bounded_converter(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            if converter.regex == r"\d+":
                assert type(converter).__name__ == "BoundedIntConverter", (rule.rule, name)
    int_rules(app)


@pytest.mark.parametrize("big", TOO_BIG_IDS, ids=["2^31", "2^63", "5000 digits"])
def test_an_id_beyond_the_integer_column_is_a_404(any_app: Flask, big: str) -> None:
    client, _ = signed_in(any_app)
    for rule in int_rules(any_app):
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", big)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            response = client.open(path, method=method, data={"name": "x"})
            assert response.status_code == 404, (method, path[:60], response.status_code)


def test_the_largest_id_is_still_looked_up(any_app: Flask) -> None:
    client, _ = signed_in(any_app)
    response = client.get(f"/projects/{ID_MAX}")
    assert response.status_code == 404  # a lookup that found nothing, not a refused URL
    assert "Not Found" in response.get_data(as_text=True)


@pytest.mark.parametrize("task_id", [str(ID_MAX + 1), "9" * 30, "-1", "0"])
def test_an_out_of_range_task_id_in_the_entry_form_is_a_form_error(
    any_app: Flask, task_id: str
) -> None:
    client, user_id = signed_in(any_app)
    add_task(any_app, add_project(any_app, user_id))
    response = client.post("/entries/new", data=entry_form(task_id, duration="1:00"))  # type: ignore[arg-type]
    assert response.status_code == 422
    assert "Choose one of your open tasks." in response.get_data(as_text=True)
    assert count(any_app, TimeEntry) == 0


# --- control and invisible characters -----------------------------------------------------------


@pytest.mark.parametrize("text", UNPRINTABLE.values(), ids=UNPRINTABLE.keys())
def test_the_text_rule_refuses_control_and_invisible_characters(text: str) -> None:
    assert not is_printable(text)
    with pytest.raises(ValueError, match="control or invisible"):
        check_printable(text)


def test_the_text_rule_keeps_ordinary_text() -> None:
    for text in ["Ada Lovelace", "Zoë Ωmega", "日本語", "O'Brien-Smith", "🙂", "a\u00a0b"]:
        assert is_printable(text), text
    assert is_printable("line one\nline two\ttab", multiline=True)
    assert not is_printable("line one\nline two")
    assert not is_printable("a\x00b", multiline=True)


@pytest.mark.parametrize("text", UNPRINTABLE.values(), ids=UNPRINTABLE.keys())
def test_project_and_task_names_refuse_unprintable_text(any_app: Flask, text: str) -> None:
    client, user_id = signed_in(any_app)
    project_id = add_project(any_app, user_id)
    before = snapshot(any_app)
    for path in ["/projects/new", f"/projects/{project_id}/edit", f"/projects/{project_id}/tasks"]:
        response = client.post(path, data={"name": text})
        assert response.status_code in (400, 422), path
        assert UNPRINTABLE_MESSAGE in response.get_data(as_text=True), path
    assert snapshot(any_app) == before


@pytest.mark.parametrize("text", UNPRINTABLE.values(), ids=UNPRINTABLE.keys())
def test_an_entry_note_refuses_unprintable_text(any_app: Flask, text: str) -> None:
    client, user_id = signed_in(any_app)
    task_id = add_task(any_app, add_project(any_app, user_id))
    response = client.post("/entries/new", data=entry_form(task_id, duration="1:00", note=text))
    assert response.status_code == 422
    assert UNPRINTABLE_MESSAGE in response.get_data(as_text=True)
    assert count(any_app, TimeEntry) == 0


def test_a_note_keeps_its_line_breaks(app: Flask) -> None:
    client, user_id = signed_in(app)
    task_id = add_task(app, add_project(app, user_id))
    note = "first line\r\nsecond line"
    response = client.post("/entries/new", data=entry_form(task_id, duration="1:00", note=note))
    assert response.status_code == 302
    assert count(app, TimeEntry) == 1


def test_the_services_refuse_unprintable_names_without_a_form(app: Flask) -> None:
    from services.projects import projects, tasks

    _, user_id = signed_in(app)
    project_id = add_project(app, user_id)
    with app.app_context():
        user = db.session.get(User, user_id)
        with pytest.raises(projects.InvalidName, match="control or invisible"):
            projects.create_project(user, "Bad\x00name")
        project = projects.get_project_for(user_id, project_id)
        with pytest.raises(projects.InvalidName, match="control or invisible"):
            tasks.create_task(user, project, "Bad\u202ename")
    assert count(app, Project) == 1 and count(app, Task) == 0


# --- durations ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1.5", 90),
        ("1,5", 90),
        ("1:30", 90),
        ("90m", 90),
        ("90", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("2h", 120),
        ("45 min", 45),
        (" 0:05 ", 5),
        ("24:00", 1440),
    ],
)
def test_the_documented_duration_forms_are_accepted(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    "text",
    ["²", "①", "٣", "1²", "9" * 5000, "9" * 20, "1h90", "1.5.5", "-5", "1e3", "h", "m", "", "1:3"],
)
def test_anything_else_is_refused_with_the_documented_forms(text: str) -> None:
    with pytest.raises(BadDate) as refused:
        parse_duration(text)
    assert str(refused.value) == DURATION_MESSAGE
    assert "1:30" in DURATION_MESSAGE and "90m" in DURATION_MESSAGE


@pytest.mark.parametrize("duration", ["²", "①", "9" * 5000])
def test_odd_digits_in_the_entry_form_are_a_form_error(any_app: Flask, duration: str) -> None:
    client, user_id = signed_in(any_app)
    task_id = add_task(any_app, add_project(any_app, user_id))
    response = client.post("/entries/new", data=entry_form(task_id, duration=duration))
    assert response.status_code == 422
    assert DURATION_MESSAGE in response.get_data(as_text=True)
    assert count(any_app, TimeEntry) == 0


def test_the_form_states_the_accepted_forms(app: Flask) -> None:
    client, user_id = signed_in(app)
    add_task(app, add_project(app, user_id))
    from services.timesheet.dates import DURATION_FORMS

    assert DURATION_FORMS in client.get("/entries/new").get_data(as_text=True)


# --- request bodies -----------------------------------------------------------------------------


def post_rules(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        json_api = rule.endpoint.startswith("api_")  # reads JSON by design (tests/test_api_*)
        if "POST" in (rule.methods or set()) and not rule.arguments and not json_api:
            paths.append(rule.rule)
    assert "/auth/login" in paths and "/projects/new" in paths
    return sorted(paths)


def test_a_json_body_to_any_form_endpoint_is_a_415(any_app: Flask) -> None:
    client, _ = signed_in(any_app)
    add_project(any_app, 1)
    before = snapshot(any_app)
    for path in post_rules(any_app):
        response = client.post(path, json={"name": 123, "email": ["x"], "task_id": {"a": 1}})
        assert response.status_code == 415, (path, response.status_code)
    assert snapshot(any_app) == before


def test_other_non_form_bodies_are_a_415(app: Flask) -> None:
    client, _ = signed_in(app)
    for content_type in ["text/plain", "application/xml", "application/octet-stream"]:
        response = client.post("/projects/new", data=b"name=x", content_type=content_type)
        assert response.status_code == 415, content_type
    assert count(app, Project) == 0


def test_the_415_answers_json_to_a_json_client(app: Flask) -> None:
    client, _ = signed_in(app)
    response = client.post(
        "/projects/new", json={"name": "x"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 415
    assert response.is_json and response.get_json()["error"] == "Unsupported Media Type"


def test_a_file_part_in_a_text_field_is_a_400(any_app: Flask) -> None:
    client, user_id = signed_in(any_app)
    task_id = add_task(any_app, add_project(any_app, user_id))
    cases = [
        ("/projects/new", {"name": (io.BytesIO(b"Apollo"), "name.txt")}),
        ("/entries/new", {**entry_form(task_id, duration="1:00"), "note": (io.BytesIO(b"x"), "n")}),
        ("/auth/register", {"name": (io.BytesIO(b"Ada"), "a"), "email": "b@example.com"}),
    ]
    before = snapshot(any_app)
    for path, data in cases:
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code == 400, path
        assert "takes no files" in response.get_data(as_text=True)
    assert snapshot(any_app) == before


def test_an_ordinary_multipart_form_still_works(app: Flask) -> None:
    client, _ = signed_in(app)
    response = client.post(
        "/projects/new", data={"name": "Apollo"}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert count(app, Project) == 1


def test_a_post_without_a_body_still_works(app: Flask) -> None:
    client, _ = signed_in(app)
    assert client.post("/auth/logout").status_code == 302


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_body_over_max_content_length_is_a_413(app: Flask, accept: str) -> None:
    client, _ = signed_in(app)
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit and limit <= 1024 * 1024
    body = {"name": "x" * (limit + 1)}
    response = client.post("/projects/new", data=body, headers={"Accept": accept})
    assert response.status_code == 413
    if accept == "application/json":
        assert response.get_json()["error"] == "Request Entity Too Large"
    else:
        assert "Request Entity Too Large" in response.get_data(as_text=True)
    assert count(app, Project) == 0


def test_json_with_a_valid_csrf_header_is_still_a_415(csrf_app: Flask) -> None:
    """The reported case: CSRF on, the token sent in the header, a JSON body to a form."""
    import re

    client, _ = signed_in(csrf_app)
    page = client.get("/projects/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        "/projects/new", json={"name": 123}, headers={"X-CSRFToken": token.group(1)}
    )
    assert response.status_code == 415
    assert count(csrf_app, Project) == 0
