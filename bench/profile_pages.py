"""Where a page's time goes, measured in one process (no HTTP server, no load tool).

    .venv/bin/python bench/profile_pages.py                    # CPU ms per request, every page
    .venv/bin/python bench/profile_pages.py --profile "week 50"   # and a cProfile of one page

Same database and seed as ``bench/run.py`` (PostgreSQL at BENCH_DATABASE_URL / TEST_DATABASE_URL),
production settings, requests sent through Flask's test client. Times are CPU seconds of this
process (``time.process_time``), so other programs loading the machine change them little, and
they are set against the same hello-world floor app served the same way. The ratio here is not
the one ``bench/run.py`` prints (no server, no sockets) but moves with it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PASSWORD, bench_database, production_env, seed  # noqa: E402

ROUNDS = 200


def cpu_ms_per_request(client: Any, path: str, rounds: int) -> float:
    samples = []
    for _ in range(5):
        began = time.process_time()
        for _ in range(rounds // 5):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        samples.append((time.process_time() - began) / (rounds // 5) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="page name to profile, e.g. 'week 50'")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()

    from sqlalchemy import event

    from app import create_app
    from bench.floor_app import app as floor_app
    from extensions import db

    with tempfile.TemporaryDirectory() as folder, bench_database() as database_url:
        env = production_env(database_url, Path(folder) / "instance")
        emails = seed(env)
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            app = create_app(TRUSTED_HOSTS=["localhost"])
            uncached = create_app(TRUSTED_HOSTS=["localhost"], WEEK_CACHE_MAX_BYTES=0)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        statements: list[str] = []
        for each in (app, uncached):
            with each.app_context():
                event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

        floor = floor_app.test_client()
        rows = [("hello-world floor", cpu_ms_per_request(floor, "/", args.rounds), 0)]
        pages = [
            ("/auth/login", "/auth/login", None, app),
            ("week 50", "/week", emails["week 50"], app),
            ("week 500", "/week", emails["week 500"], app),
            ("team week", "/team/week", emails["team week"], app),
            ("week 50, cache off", "/week", emails["week 50"], uncached),
            ("week 500, cache off", "/week", emails["week 500"], uncached),
            ("/healthz", "/healthz", None, app),
            ("API entries", "/api/v1/entries?limit=50", "token", app),
        ]
        clients = {}
        for name, path, email, served_by in pages:
            client = served_by.test_client()
            if email == "token":
                client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {emails['token']}"
            elif email:
                page = client.get("/auth/login").get_data(as_text=True)
                token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
                form = {"email": email, "password": PASSWORD, "csrf_token": token}
                assert client.post("/auth/login", data=form).status_code == 302
            client.get(path)  # warm-up
            statements.clear()
            client.get(path)
            queries = len(statements)
            rows.append((name, cpu_ms_per_request(client, path, args.rounds), queries))
            clients[name] = (client, path)

        floor_ms = rows[0][1]
        print("\n| page | CPU ms/request | ratio to floor | queries/request |")
        print("|---|---|---|---|")
        for name, ms, queries in rows:
            print(f"| {name} | {ms:.2f} | {floor_ms / ms:.3f} | {queries} |")

        if args.profile:
            client, path = clients[args.profile]
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(50):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(45)
            stats.sort_stats("tottime").print_stats(25)
        for each in (app, uncached):
            with each.app_context():
                db.session.remove()
                db.engine.dispose()


if __name__ == "__main__":
    main()
