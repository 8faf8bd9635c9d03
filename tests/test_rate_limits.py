"""Rate limits: guessing passwords, signing up and asking for reset mails are bounded, per
address and per account; a 429 says when to come back; every limit is a setting.

Once, 30 wrong passwords took 3.5 s and the right one still worked afterwards (issue 11).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from flask import Blueprint, Flask

from tests.auth_support import PASSWORD, log_in, register
from tests.conftest import login, make_user, sqlite_app
from tests.worker_helpers import redis_url  # noqa: F401  (a fixture)

WRONG = "not the password at all"


@pytest.fixture
def strict_app(sqlite_template: Path, tmp_path: Path) -> Flask:
    return sqlite_app(
        sqlite_template,
        tmp_path,
        RATELIMIT_LOGIN_PER_ACCOUNT="3 per minute",
        RATELIMIT_LOGIN_PER_ADDRESS="6 per minute",
        RATELIMIT_SIGNUP="2 per hour",
        RATELIMIT_PASSWORD_RESET="4 per hour",
        RATELIMIT_PASSWORD_RESET_PER_ACCOUNT="2 per hour",
    )


def from_address(app: Flask, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def assert_429(response, json: bool = False) -> int:
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 1 <= wait <= 3600
    if json:
        assert response.mimetype == "application/problem+json"
        body = response.get_json()
        assert body["status"] == 429 and body["title"] == "Too Many Requests"
        assert "Please wait" in body["detail"]
    else:
        page = response.get_data(as_text=True)
        assert "Too many attempts. Please wait" in page
    return wait


def test_guessing_one_accounts_password_is_stopped_even_for_the_right_one(strict_app) -> None:
    make_user(strict_app)
    client = from_address(strict_app, "198.51.100.7")
    for _ in range(3):
        assert log_in(client, password=WRONG).status_code == 200
    assert_429(log_in(client, password=PASSWORD))


def test_the_account_limit_counts_across_addresses(strict_app) -> None:
    make_user(strict_app)
    for n in range(3):
        client = from_address(strict_app, f"203.0.113.{n}")
        assert log_in(client, password=WRONG).status_code == 200
    assert_429(log_in(from_address(strict_app, "203.0.113.99")))


def test_other_accounts_are_not_locked_by_someone_elses_guessing(strict_app) -> None:
    make_user(strict_app)
    make_user(strict_app, email="bob@example.com", name="Bob")
    attacker = from_address(strict_app, "198.51.100.7")
    for _ in range(3):
        log_in(attacker, password=WRONG)
    bob = from_address(strict_app, "192.0.2.10")
    assert log_in(bob, email="bob@example.com").status_code == 302


def test_successful_logins_do_not_count_against_the_account(strict_app) -> None:
    make_user(strict_app)
    for n in range(5):
        client = from_address(strict_app, f"192.0.2.{n}")
        assert log_in(client).status_code == 302


def test_one_address_trying_many_accounts_is_stopped(strict_app) -> None:
    client = from_address(strict_app, "198.51.100.8")
    for n in range(6):
        assert log_in(client, email=f"user{n}@example.com").status_code == 200
    assert_429(log_in(client, email="someone@example.com"))
    # Another address is not affected.
    assert log_in(from_address(strict_app, "192.0.2.1")).status_code == 200


def test_the_login_page_itself_is_not_limited(strict_app) -> None:
    client = from_address(strict_app, "198.51.100.9")
    for _ in range(10):
        assert client.get("/auth/login").status_code == 200


def test_sign_ups_from_one_address_are_limited(strict_app) -> None:
    client = from_address(strict_app, "198.51.100.10")
    for n in range(2):
        assert register(client, email=f"new{n}@example.com").status_code == 302
        client.post("/auth/logout")
    assert_429(register(client, email="third@example.com"))


def test_reset_requests_are_limited_per_account_and_per_address(strict_app) -> None:
    make_user(strict_app)
    client = from_address(strict_app, "198.51.100.11")
    for _ in range(2):
        assert client.post("/auth/reset", data={"email": "ada@example.com"}).status_code == 302
    assert_429(client.post("/auth/reset", data={"email": "ada@example.com"}))
    # The same address may still ask for other accounts, up to the address limit (4: the refused
    # request did not count).
    for email in ["bob@example.com", "carol@example.com"]:
        assert client.post("/auth/reset", data={"email": email}).status_code == 302
    assert_429(client.post("/auth/reset", data={"email": "dave@example.com"}))


def test_a_json_client_gets_problem_json(strict_app) -> None:
    make_user(strict_app)
    client = from_address(strict_app, "198.51.100.12")
    for _ in range(3):
        log_in(client, password=WRONG)
    response = client.post(
        "/auth/login",
        data={"email": "ada@example.com", "password": WRONG},
        headers={"Accept": "application/json"},
    )
    assert_429(response, json=True)


def test_a_limit_can_be_raised_from_the_environment(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load test signs up 32 users from one address: it raises the limit, no code changes."""
    monkeypatch.setenv("FLASK_RATELIMIT_SIGNUP", "40 per minute")
    app = sqlite_app(sqlite_template, tmp_path)
    assert app.config["RATELIMIT_SIGNUP"] == "40 per minute"
    client = from_address(app, "198.51.100.13")
    for n in range(32):
        assert register(client, email=f"load{n}@example.com").status_code == 302, n
        client.post("/auth/logout")


def test_the_default_sign_up_limit_stops_a_script(app: Flask) -> None:
    client = from_address(app, "198.51.100.14")
    statuses = [register(client, email=f"bot{n}@example.com").status_code for n in range(12)]
    assert statuses.count(302) == 10
    assert statuses[-1] == 429


# --- the helper the JSON API will use ------------------------------------------------------------


def test_the_limited_helper_counts_per_user_and_shares_a_budget(app: Flask) -> None:
    from routes.rate_limits import limited

    probe = Blueprint("probe", __name__)

    @probe.post("/probe/a")
    @limited("RATELIMIT_API_WRITE", per="user", shared=True)
    def write_a() -> str:
        return "ok"

    @probe.post("/probe/b")
    @limited("RATELIMIT_API_WRITE", per="user", shared=True)
    def write_b() -> str:
        return "ok"

    app.register_blueprint(probe)
    app.config["RATELIMIT_API_WRITE"] = "3 per minute"
    make_user(app)
    make_user(app, email="bob@example.com", name="Bob")
    ada, bob = from_address(app, "192.0.2.50"), from_address(app, "192.0.2.50")
    log_in(ada)
    log_in(bob, email="bob@example.com")
    assert [ada.post(p).status_code for p in ["/probe/a", "/probe/b", "/probe/a"]] == [200] * 3
    assert_429(ada.post("/probe/b"))
    assert bob.post("/probe/a").status_code == 200  # same address, another user: own budget


# --- shared storage ------------------------------------------------------------------------------


@pytest.mark.redis
def test_counts_live_in_redis_and_survive_a_restart(
    sqlite_template: Path,
    tmp_path: Path,
    redis_url: str,  # noqa: F811  (the fixture imported above)
) -> None:
    """In Redis, every process (and a restarted one) sees the same counts; in memory, a new
    process would start from zero."""
    email = f"{uuid.uuid4().hex}@example.com"
    settings = {"RATELIMIT_STORAGE_URI": redis_url, "RATELIMIT_LOGIN_PER_ACCOUNT": "3 per minute"}
    first = sqlite_app(sqlite_template, tmp_path / "one", **settings)
    make_user(first, email=email)
    client = from_address(first, "198.51.100.20")
    for _ in range(2):
        assert log_in(client, email=email, password=WRONG).status_code == 200

    second = sqlite_app(sqlite_template, tmp_path / "two", **settings)  # "another process"
    make_user(second, email=email)
    other = from_address(second, "198.51.100.21")
    assert log_in(other, email=email, password=WRONG).status_code == 200
    assert_429(log_in(other, email=email))


def test_in_memory_counts_start_from_zero_in_a_new_process(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """The other side of the Redis test: why production refuses memory://."""
    settings = {"RATELIMIT_LOGIN_PER_ACCOUNT": "3 per minute"}
    first = sqlite_app(sqlite_template, tmp_path / "one", **settings)
    make_user(first)
    client = from_address(first, "198.51.100.22")
    for _ in range(3):
        log_in(client, password=WRONG)
    second = sqlite_app(sqlite_template, tmp_path / "two", **settings)
    make_user(second)
    assert log_in(from_address(second, "198.51.100.23")).status_code == 302


def test_a_storage_that_is_down_does_not_break_login(
    sqlite_template: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis stopped: logins still work (counted in memory meanwhile), never a 500."""
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    app = sqlite_app(
        sqlite_template,
        tmp_path,
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{closed_port}/0",
        RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        RATELIMIT_LOGIN_PER_ACCOUNT="3 per minute",
    )
    make_user(app)
    client = from_address(app, "198.51.100.30")
    assert log_in(client, password=WRONG).status_code == 200
    assert log_in(client).status_code == 302
    client.post("/auth/logout")
    for _ in range(3):
        log_in(client, password=WRONG)
    assert log_in(client).status_code == 429  # the in-memory fallback still counts


def test_confirmation_mails_are_limited_per_account(sqlite_template: Path, tmp_path: Path) -> None:
    app = sqlite_app(
        sqlite_template, tmp_path, RATELIMIT_CONFIRMATION_RESEND_PER_ACCOUNT="2 per hour"
    )
    client = from_address(app, "198.51.100.40")
    for _ in range(2):
        response = client.post("/auth/confirm/resend", data={"email": "ada@example.com"})
        assert response.status_code == 302
    assert_429(client.post("/auth/confirm/resend", data={"email": "ada@example.com"}))
    other = client.post("/auth/confirm/resend", data={"email": "bob@example.com"})
    assert other.status_code == 302


# --- the JSON API and its tokens ----------------------------------------------------------------


def test_api_writes_share_one_budget_per_token_and_reads_are_free(
    sqlite_template: Path, tmp_path: Path
) -> None:
    from tests.api_support import assert_problem, bearer, make_token, owner_with_task

    app = sqlite_app(sqlite_template, tmp_path, RATELIMIT_API_WRITE="2 per minute")
    owner = owner_with_task(app)
    client = app.test_client()
    assert (
        client.post("/api/v1/projects", json={"name": "One"}, headers=owner.headers).status_code
        == 201
    )
    tasks = f"/api/v1/projects/{owner.project_id}/tasks"
    assert client.post(tasks, json={"name": "Two"}, headers=owner.headers).status_code == 201
    refused = client.post("/api/v1/projects", json={"name": "Three"}, headers=owner.headers)
    assert_problem(refused, 429)
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert client.get("/api/v1/projects", headers=owner.headers).status_code == 200
    other = bearer(make_token(app, owner.user_id))  # a second token has a budget of its own
    assert client.post("/api/v1/projects", json={"name": "Four"}, headers=other).status_code == 201


def test_token_creation_is_limited_per_user(sqlite_template: Path, tmp_path: Path) -> None:
    app = sqlite_app(sqlite_template, tmp_path, RATELIMIT_TOKEN_CREATE="1 per hour")
    client = app.test_client()
    login(client, app, make_user(app))
    assert client.post("/tokens/", data={"name": "ci", "scope": "read"}).status_code == 201
    assert_429(client.post("/tokens/", data={"name": "ci-2", "scope": "read"}))
