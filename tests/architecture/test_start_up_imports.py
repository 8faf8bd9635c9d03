"""A web process loads what serving pages needs, and the rest when it is first used.

Alembic (through Flask-Migrate) and Celery's app machinery were half of ``create_app()``'s cold
start and several MB per web worker (docs/figures.md). They now load on first use
(``wiring/on_first_use.py``): Flask-Migrate with ``flask db`` or ``upgrade()``, Celery when a task
is sent or a worker starts. Checked in a fresh interpreter, where nothing else imported them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.architecture.project_files import ROOT, clean_env

HEAVY = ("alembic", "flask_migrate", "celery.app.base", "kombu", "billiard")

SCRIPT = """
import json, sys
from app import create_app
app = create_app()
client = app.test_client()
assert client.get("/healthz").status_code == 200
assert client.get("/auth/login").status_code == 200
heavy = %r
before = [name for name in heavy if name in sys.modules]
with app.app_context():
    {use}
after = [name for name in heavy if name in sys.modules]
print(json.dumps([before, after]))
"""


def loaded_modules(tmp_path: Path, use: str) -> tuple[list[str], list[str]]:
    env = clean_env()
    env["FLASK_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path}/start-up.sqlite3"
    env["TIMESHEET_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PYTHONPATH"] = str(ROOT)
    script = SCRIPT.replace("{use}", use) % (HEAVY,)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    return before, after


def test_serving_pages_loads_neither_alembic_nor_celery(tmp_path: Path) -> None:
    before, _ = loaded_modules(tmp_path, "pass")
    assert before == []


def test_they_load_when_first_used(tmp_path: Path) -> None:
    use = "from flask_migrate import upgrade; upgrade(); app.extensions['celery'].tasks"
    before, after = loaded_modules(tmp_path, use)
    assert before == []
    assert set(after) >= {"alembic", "flask_migrate", "celery.app.base", "kombu"}
