"""A password reset request takes the same time whether or not the email has an account.

Measured against the real production path: worker delivery through Redis (no worker needs to run,
the tasks just wait in the queue). Known and unknown addresses alternate, so drift in the
machine's load hits both alike; the medians of many requests must be within 20 %.
"""

from __future__ import annotations

import copy
import statistics
import time
import uuid

import pytest
from flask import Flask

from config import BaseConfig
from tests.conftest import dispose, make_user
from tests.worker_helpers import delete_prefixed_keys, redis_settings, redis_url  # noqa: F401

pytestmark = pytest.mark.redis

ROUNDS = 200
TOLERANCE = 0.20


@pytest.fixture
def worker_delivery_app(app: Flask, redis_url: str) -> Flask:  # noqa: F811
    prefix = f"timing-{uuid.uuid4().hex[:8]}:"
    celery = copy.deepcopy(BaseConfig.CELERY)
    celery.update(redis_settings(redis_url, prefix))
    from tests.conftest import make_app

    timed = make_app(
        app.config["SQLALCHEMY_DATABASE_URI"],
        app.instance_path,
        CELERY=celery,
        MAIL_DELIVERY="worker",
        # Many timed requests from one address: the reset limits would answer 429.
        RATELIMIT_ENABLED=False,
    )
    yield timed
    dispose(timed)
    delete_prefixed_keys(redis_url, prefix)


def test_reset_request_time_does_not_tell_whether_the_email_is_known(
    worker_delivery_app: Flask,
) -> None:
    app = worker_delivery_app
    make_user(app, email="known@example.com")
    client = app.test_client()
    timings: dict[str, list[float]] = {"known@example.com": [], "unknown@example.com": []}
    for round_ in range(ROUNDS + 10):
        for email in timings:
            started = time.perf_counter()
            response = client.post("/auth/reset", data={"email": email})
            elapsed = time.perf_counter() - started
            assert response.status_code == 302
            if round_ >= 10:  # the first rounds warm caches (templates, connections)
                timings[email].append(elapsed)
    known = statistics.median(timings["known@example.com"])
    unknown = statistics.median(timings["unknown@example.com"])
    ratio = known / unknown
    print(f"reset timing: known {known * 1000:.2f} ms, unknown {unknown * 1000:.2f} ms")
    assert 1 - TOLERANCE <= ratio <= 1 + TOLERANCE, (
        f"median {known * 1000:.2f} ms for a known email, {unknown * 1000:.2f} ms for an "
        f"unknown one (ratio {ratio:.2f})"
    )
