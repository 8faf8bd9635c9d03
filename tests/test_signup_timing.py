"""A sign-up takes the same time whether or not the address already has an account (and an
address change whether or not the new address is taken).

The page answers "check your mail" either way; if a new address took measurably longer (it costs
an INSERT and a commit), the time would tell which addresses have accounts. Measured like the
reset request (tests/test_reset_timing.py): the production path (worker delivery through Redis,
no worker needed), known and new addresses alternating, medians of many requests within 20 %,
on both databases.
"""

from __future__ import annotations

import copy
import statistics
import time
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from config import BaseConfig
from tests.auth_support import PASSWORD
from tests.conftest import dispose, make_app, make_user
from tests.worker_helpers import delete_prefixed_keys, redis_settings, redis_url  # noqa: F401

pytestmark = pytest.mark.redis

ROUNDS = 150
WARM_UP = 10
TOLERANCE = 0.20


@pytest.fixture
def timed_app(any_app: Flask, redis_url: str) -> Iterator[Flask]:  # noqa: F811
    prefix = f"signup-timing-{uuid.uuid4().hex[:8]}:"
    celery = copy.deepcopy(BaseConfig.CELERY)
    celery.update(redis_settings(redis_url, prefix))
    app = make_app(
        any_app.config["SQLALCHEMY_DATABASE_URI"],
        any_app.instance_path,
        CELERY=celery,
        MAIL_DELIVERY="worker",
        RATELIMIT_ENABLED=False,  # many sign-ups from one address
    )
    yield app
    dispose(app)
    delete_prefixed_keys(redis_url, prefix)


def test_sign_up_time_does_not_tell_whether_the_address_is_known(timed_app: Flask) -> None:
    app = timed_app
    make_user(app, email="known@example.com")
    client = app.test_client()
    known: list[float] = []
    new: list[float] = []
    for round_ in range(ROUNDS + WARM_UP):
        for timings, email in ((known, "known@example.com"), (new, f"new{round_}@example.com")):
            data = {
                "name": "Ada",
                "email": email,
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            }
            started = time.perf_counter()
            response = client.post("/auth/register", data=data)
            elapsed = time.perf_counter() - started
            assert response.status_code == 302
            if round_ >= WARM_UP:
                timings.append(elapsed)
    known_ms = statistics.median(known) * 1000
    new_ms = statistics.median(new) * 1000
    ratio = new_ms / known_ms
    print(f"sign-up timing: known {known_ms:.2f} ms, new {new_ms:.2f} ms (ratio {ratio:.2f})")
    assert 1 - TOLERANCE <= ratio <= 1 + TOLERANCE, (
        f"median {known_ms:.2f} ms for a known address, {new_ms:.2f} ms for a new one "
        f"(ratio {ratio:.2f})"
    )


def test_address_change_time_does_not_tell_whether_the_new_address_is_taken(
    timed_app: Flask,
) -> None:
    """The same for an address change: a free address gets a link, a taken one a note to its
    owner; neither writes anything, and both queue two mails."""
    from tests.auth_support import log_in

    app = timed_app
    make_user(app, email="ada@example.com")
    make_user(app, email="taken@example.com", name="Bob")
    client = app.test_client()
    assert log_in(client).status_code == 302
    taken: list[float] = []
    free: list[float] = []
    for round_ in range(ROUNDS + WARM_UP):
        for timings, email in ((taken, "taken@example.com"), (free, f"free{round_}@example.com")):
            data = {"email": email, "current_password": PASSWORD}
            started = time.perf_counter()
            response = client.post("/auth/email", data=data)
            elapsed = time.perf_counter() - started
            assert response.status_code == 302
            if round_ >= WARM_UP:
                timings.append(elapsed)
    taken_ms = statistics.median(taken) * 1000
    free_ms = statistics.median(free) * 1000
    ratio = free_ms / taken_ms
    print(f"address change timing: taken {taken_ms:.2f} ms, free {free_ms:.2f} ms ({ratio:.2f})")
    assert 1 - TOLERANCE <= ratio <= 1 + TOLERANCE, (
        f"median {taken_ms:.2f} ms for a taken address, {free_ms:.2f} ms for a free one "
        f"(ratio {ratio:.2f})"
    )
