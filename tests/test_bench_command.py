"""The benchmark command runs end to end (short mode): CI shows it works; the figures themselves
are read from its output by people, never asserted as timings."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, postgres_admin_url, require


@pytest.mark.slow
@pytest.mark.postgres
def test_bench_run_quick_prints_the_table_for_every_page() -> None:
    admin = postgres_admin_url()
    require(bool(admin), "PostgreSQL (TEST_DATABASE_URL)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "TIMESHEET_"))}
    env["BENCH_DATABASE_URL"] = admin or ""
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    for page in (
        "hello-world floor",
        "floor + one query",
        "/auth/login",
        "week 50",
        "week 500",
        "API entries",
        "/healthz",
    ):
        row = re.search(rf"^\| {re.escape(page)} \| (\d+) \|.*\| (\d+) \| (\d+) \|$", out, re.M)
        assert row, f"no row for {page}:\n{out}"
        assert int(row.group(1)) > 0, f"{page}: no request answered"
        assert int(row.group(3)) == 0, f"{page}: non-2xx answers"
    assert re.search(r"one query per request caps a page at [\d.]+ of the floor", out)
    assert re.search(r"cold start: create_app\(\) [\d.]+ s, import flask [\d.]+ s", out)
    assert re.search(r"one gunicorn worker after the load: [\d.]+ MB resident", out)
