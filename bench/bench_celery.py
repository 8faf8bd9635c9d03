"""Round-trip time of a no-op task through Redis, with and without the Flask app context.

    TEST_REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/bench_celery.py [rounds]

Starts a real ``celery -A celery_worker worker --pool solo`` on Redis (keys under a per-run
prefix, deleted afterwards), sends each no-op task ``rounds`` times one after the other (send,
wait for the result), and prints the median and mean round trip and the ratio
(target: the app context costs at most 10 %).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from celery import Task, shared_task

ROOT = Path(__file__).resolve().parent.parent


@shared_task(name="bench.noop_in_app_context")
def noop_in_app_context() -> None:
    """Runs through FlaskTask: an app context is pushed and torn down around it."""


@shared_task(name="bench.noop_plain", base=Task)
def noop_plain() -> None:
    """A plain Celery task: no app context."""


def measure(celery, name: str, rounds: int) -> list[float]:
    for _ in range(20):  # warm-up
        celery.send_task(name).get(timeout=10)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        celery.send_task(name).get(timeout=10)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    sys.path.insert(0, str(ROOT))
    from tests.worker_helpers import (
        app_like_worker,
        delete_prefixed_keys,
        redis_settings,
        running_worker,
        worker_env,
    )

    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"timesheet-bench-{uuid.uuid4().hex[:8]}:"
    with tempfile.TemporaryDirectory() as folder:
        env = worker_env(
            f"sqlite:///{folder}/bench.sqlite3",
            Path(folder) / "instance",
            imports=["bench.bench_celery"],
            **redis_settings(url, prefix),
        )
        app = app_like_worker(env, f"sqlite:///{folder}/bench.sqlite3", Path(folder) / "instance")
        celery = app.extensions["celery"]
        try:
            with running_worker(env, Path(folder) / "worker.log", pool="solo"):
                # Alternate the two, so drift (CPU frequency, other load) hits both alike.
                with_ctx: list[float] = []
                plain: list[float] = []
                for _ in range(5):
                    with_ctx += measure(celery, "bench.noop_in_app_context", rounds // 5)
                    plain += measure(celery, "bench.noop_plain", rounds // 5)
        finally:
            delete_prefixed_keys(url, prefix)
    for label, times in (("with app context", with_ctx), ("without (plain Task)", plain)):
        print(
            f"{label:22s} median {statistics.median(times) * 1000:7.3f} ms   "
            f"mean {statistics.mean(times) * 1000:7.3f} ms   n={len(times)}"
        )
    ratio = statistics.median(with_ctx) / statistics.median(plain)
    print(f"ratio (median, with / without): {ratio:.3f}  (target <= 1.10)")


if __name__ == "__main__":
    main()
