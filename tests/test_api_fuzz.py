"""Property-based fuzzing of the whole API from its own generated document (schemathesis,
in-process through WSGI): no 5xx, every answer conforms to the document (status, content type,
headers, body schema). A bounded number of examples per operation in the everyday suite, a
longer run marked ``slow``, and the stateful run (create, then read, change, delete along the
document's links).

schemathesis' pytest loader (``from_fixture``) reads a private attribute that pytest 9.2 no
longer has, so the operations are walked here with ``as_strategy`` and Hypothesis' ``given``,
which is the library's documented Python API too.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from sqlalchemy import delete

from extensions import db
from models import Project, Report, Task, TimeEntry
from tests.api_support import Owner, owner_with_task
from tests.timesheet_support import add_project, add_task

# The document describes the shape of a request; rules that need the database (whose task it is,
# 24 h a day, a name already taken) rightly refuse some well-shaped requests with 422, which
# this check would call a failure.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
THIS_WEEK = "2026-11-16T09:00:00+01:00"
EVERYDAY_EXAMPLES = 8
SLOW_EXAMPLES = 60
SETTINGS = {
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "derandomize": True,  # the same examples on every run: a failure is reproducible
    "database": None,
}


def unlimited(app: Flask) -> None:
    """The fuzzers send hundreds of writes a minute with one token: lift the API write limit
    (tests/test_rate_limits.py proves the limit; here it would turn answers into 429s)."""
    app.config["RATELIMIT_API_WRITE"] = "1000000 per minute"


def fuzz(app: Flask, owner: Owner, examples: int) -> list[str]:
    unlimited(app)
    """Every operation, valid and invalid input; the failures as text (empty: all passed)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 13
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=examples, **SETTINGS)
            def run(case) -> None:
                case.call_and_validate(headers=owner.headers, excluded_checks=EXCLUDED)

            try:
                run()
            except Exception as error:  # collect them all, then fail once with the list
                failures.append(f"{operation.label} ({mode.value}): {error}")
                print(failures[-1])
    return failures


def test_api_conforms_to_its_document(app: Flask) -> None:
    owner = owner_with_task(app, timezone="Europe/Berlin")
    assert fuzz(app, owner, EVERYDAY_EXAMPLES) == []


@pytest.mark.slow
def test_api_conforms_to_its_document_long_run(any_app: Flask) -> None:
    owner = owner_with_task(any_app, timezone="Europe/Berlin")
    assert fuzz(any_app, owner, SLOW_EXAMPLES) == []


class Calls:
    """What the stateful run did: (method, path template, status) of every call."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, int]] = set()
        self.keys = 0  # Idempotency-Keys handed out


def start_over(app: Flask, owner: Owner) -> None:
    """Only the owner's one project and task left, with the ids they had."""
    with app.app_context():
        for model in (TimeEntry, Report, Task, Project):
            db.session.execute(delete(model))
        db.session.commit()
    assert add_task(app, add_project(app, owner.user_id, "Apollo"), "Design") == owner.task_id


def run_stateful(app: Flask, owner: Owner, examples: int, steps: int) -> Calls:
    unlimited(app)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    calls = Calls()

    @schema.auth()
    class Token:
        """The owner's token on every call; schemathesis also sends each operation once without
        it (and with a made-up one) and expects a 401."""

        def get(self, case, context) -> str:
            return owner.headers["Authorization"]

        def set(self, case, data: str, context) -> None:
            case.headers = {**(case.headers or {}), "Authorization": data}

    class Workflow(schema.as_state_machine()):
        def setup(self) -> None:
            # Every scenario starts from the same rows (SQLite reuses the ids too): Hypothesis
            # replays parts of earlier scenarios and needs the API to answer them the same way.
            start_over(app, owner)

        def before_call(self, case) -> None:
            # A new entry needs one of the owner's open tasks and a start in 1970-2100, which a
            # random id and a random date-time almost never are: a well-formed create gets both,
            # so that creates succeed and the links after them (read, change, delete) get
            # followed. The stateless run fuzzes these fields as they come.
            # Only a case meant to be valid is completed: one meant to be invalid (a task id
            # beyond the integer column) must stay invalid, or its 201 would be called a failure.
            meta = case.meta
            if meta is None or meta.generation.mode != GenerationMode.POSITIVE:
                return
            # A random Idempotency-Key repeats across scenarios ("0"): with another body that is
            # rightly a 422, and with the same body a replay. A new key for each create keeps
            # creates creating.
            if case.headers and "Idempotency-Key" in case.headers:
                calls.keys += 1
                case.headers["Idempotency-Key"] = f"stateful-{calls.keys}"
            body = case.body
            creates_entry = case.method.upper() == "POST" and case.path == "/api/v1/entries"
            if creates_entry and isinstance(body, dict) and isinstance(body.get("started_at"), str):
                body["started_at"] = THIS_WEEK
                body["task_id"] = owner.task_id

        def after_call(self, response, case) -> None:
            calls.seen.add((case.method.upper(), case.path, response.status_code))

        def validate_response(self, response, case, additional_checks=None, **kwargs) -> None:
            case.validate_response(response, excluded_checks=EXCLUDED)

    # Generation only: the database keeps what earlier steps wrote, so Hypothesis' replaying
    # and shrinking would see other answers and call the strategy flaky; a failure is reported
    # as found, with schemathesis' curl line to reproduce it.
    Workflow.run(
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            phases=[Phase.generate],
            derandomize=True,  # the same scenarios every run (each starts from the same rows)
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    return calls


@pytest.mark.slow
def test_stateful_runs_follow_the_links_from_create_to_delete(app: Flask) -> None:
    owner = owner_with_task(app, timezone="Europe/Berlin")
    # Derandomized: the scenarios depend on the document, and 150 no longer reached a successful
    # delete once the teams and approval operations joined it; 300 do (about 30 s).
    calls = run_stateful(app, owner, examples=300, steps=8)
    done = {(method, path) for method, path, status in calls.seen if status < 300}
    assert ("POST", "/api/v1/projects") in done
    assert ("GET", "/api/v1/projects/{project_id}") in done
    assert ("POST", "/api/v1/entries") in done
    assert ("GET", "/api/v1/entries/{entry_id}") in done
    assert ("DELETE", "/api/v1/entries/{entry_id}") in done
