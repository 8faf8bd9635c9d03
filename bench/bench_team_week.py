"""Team week: SQL queries and response time as the team grows.

    .venv/bin/python bench/bench_team_week.py [--members 5,50] [--entries 20]

For each size, a fresh SQLite file (migrated to head) gets a team with its owner, 3 projects x 2
tasks and that many members, each with ``--entries`` entries in one ISO week (bench/seeding.py);
then the owner's GET /team/week is sent 20 times through the test client. Prints the queries
per request (must be the same for every size: no N+1) and the median time.
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
URL = "/team/week?week=2026-W47"


def run(members: int, entries_each: int) -> tuple[int, float]:
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade

    from app import create_app
    from bench.seeding import queries_and_median_ms, signed_in_client, team_with_members
    from extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "testing",
            instance_path=folder,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.sqlite3",
        )
        with app.app_context():
            upgrade()
            owner_id = team_with_members("boss@example.com", members, entries_each, MONDAY).id
            db.session.commit()
            engine = db.engine
        client = signed_in_client(app, owner_id)
        figures = queries_and_median_ms(client, URL, engine, ROUNDS)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="5,50")
    parser.add_argument("--entries", type=int, default=20, help="entries per member")
    options = parser.parse_args()
    sizes = [int(size) for size in options.members.split(",")]
    print(f"{'members':>8} {'entries':>8} {'queries/request':>16} {'median ms':>10}")
    for size in sizes:
        queries, median_ms = run(size, options.entries)
        print(f"{size:>8} {size * options.entries:>8} {queries:>16} {median_ms:>10.1f}")


if __name__ == "__main__":
    main()
