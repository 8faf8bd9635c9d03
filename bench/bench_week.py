"""Week view: SQL queries and response time as the week fills up.

    .venv/bin/python bench/bench_week.py [--sizes 5,200,2000]

For each size, a fresh SQLite file (migrated to head) gets one user with 8 projects x 3 tasks and
that many entries in one ISO week (bench/seeding.py); then GET /week is sent 20 times through
the test client, with the week cache off (what a visit after a write costs).
Prints the queries per request (must be the same for every size: no N+1) and the median time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONDAY = date(2026, 11, 16)
ROUNDS = 20
URL = "/week?week=2026-W47"


def run(size: int) -> tuple[int, float]:
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app
    from bench.seeding import person_with_week, queries_and_median_ms, signed_in_client
    from extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "testing",
            instance_path=folder,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite3",
            WEEK_CACHE_MAX_BYTES=0,  # the rendering path; a cache hit is two queries
        )
        with app.app_context():
            upgrade()
            user_id = person_with_week("bench@example.com", size, MONDAY, projects=8).id
            db.session.commit()
            engine = db.engine
        client = signed_in_client(app, user_id)
        figures = queries_and_median_ms(client, URL, engine, ROUNDS)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,200,2000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    print(f"{'entries':>8} {'queries/request':>16} {'median ms':>10}")
    for size in sizes:
        queries, median_ms = run(size)
        print(f"{size:>8} {queries:>16} {median_ms:>10.1f}")


if __name__ == "__main__":
    main()
