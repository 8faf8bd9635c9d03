"""Export throughput (rows/s) and peak memory for 10 000 and 1 000 000 time entries.

    .venv/bin/python bench/bench_export.py [--database-url postgresql://...] [--sizes 10000,1000000]

Fills a fresh database (SQLite file by default, migrated to head), then runs the real export
(services.reports.exports.run_export, in an app context, as the worker does) four times per
size: three
timed (the median is printed), once under tracemalloc for the peak of Python allocations.
Targets: >= 100 000 rows/s, and the peak for 1 M within 1.5x the peak for 10 k (the export
streams; memory must not grow with rows).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAYS = 365
CHUNK = 50_000


def make_bench_app(database_url: str | None, folder: Path):
    sys.path.insert(0, str(ROOT))
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app import create_app

    if database_url:  # a database of our own on that server
        name = f"timesheet_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app("testing", instance_path=str(folder / "instance"), SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
    return app


def fill(app, user_id: int, task_ids: list[int], count: int) -> None:
    from sqlalchemy import insert

    from extensions import db
    from models import TimeEntry

    start = datetime(2024, 1, 1, 7, tzinfo=UTC)
    with app.app_context():
        for offset in range(0, count, CHUNK):
            rows = [
                {
                    "user_id": user_id,
                    "task_id": task_ids[i % len(task_ids)],
                    "spent_on": date(2024, 1, 1) + timedelta(days=i % DAYS),
                    "started_at": start + timedelta(days=i % DAYS, minutes=(i // DAYS) % 900),
                    "minutes": 15 + i % 120,
                    "note": f"entry {i}",
                }
                for i in range(offset, min(offset + CHUNK, count))
            ]
            db.session.execute(insert(TimeEntry), rows)
            db.session.commit()


def setup_user(app) -> tuple[int, list[int]]:
    from extensions import db
    from models import Project, Task, User
    from services.accounts.teams import found_team

    with app.app_context():
        user = User(
            email=f"bench-{uuid.uuid4().hex[:6]}@example.com",
            name="Bench",
            password_hash="x",
            timezone="Europe/Berlin",
        )
        db.session.add(user)
        db.session.flush()
        team = found_team(user, "Bench team")
        tasks = []
        for p in range(8):
            project = Project(team=team, name=f"Project {p}")
            project.tasks.extend(Task(name=f"Task {t}") for t in range(5))
            db.session.add(project)
            tasks.extend(project.tasks)
        db.session.commit()
        return user.id, [t.id for t in tasks]


def export_once(app, user_id: int) -> tuple[int, float]:
    from extensions import db
    from models import Report
    from services.reports.exports import run_export

    with app.app_context():
        report = Report(user_id=user_id, date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
        db.session.add(report)
        db.session.commit()
        started = time.perf_counter()
        run_export(report.id)
        elapsed = time.perf_counter() - started
        rows = db.session.get(Report, report.id).rows_written
    return rows, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--sizes", default="10000,1000000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        app = make_bench_app(args.database_url, Path(tmp))
        for size in sizes:
            user_id, task_ids = setup_user(app)
            fill(app, user_id, task_ids, size)
            # The median of three timed runs: one 0.1 s run of the small size is mostly noise.
            timings = []
            for _ in range(3):
                rows, elapsed = export_once(app, user_id)
                assert rows == size, (rows, size)
                timings.append(elapsed)
            elapsed = statistics.median(timings)
            tracemalloc.start()
            export_once(app, user_id)
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            results[size] = (rows / elapsed, peak)
            print(
                f"{size:>9,} entries: {rows / elapsed:>10,.0f} rows/s  ({elapsed:6.2f} s)   "
                f"peak traced memory {peak / 1024:8.1f} KiB"
            )
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(
            f"peak memory ratio {large:,} / {small:,}: "
            f"{results[large][1] / results[small][1]:.2f}  (target <= 1.5)"
        )
        print(
            f"slowest throughput: {min(r for r, _ in results.values()):,.0f} rows/s "
            "(target >= 100,000)"
        )


if __name__ == "__main__":
    main()
