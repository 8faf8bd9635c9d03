"""Guard 1: every module imports on its own in a fresh interpreter.

Inside one pytest process modules are imported in whatever order the tests happen to use, and a
cycle stays hidden as long as the "right" module came first. A fresh interpreter per module makes
each one the first: "cannot import name 'db' from partially initialized module" shows up here.
"""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.architecture.project_files import ROOT, application_modules, clean_env

MODULES = application_modules()


def import_alone(module: str, tmp_path, cwd=ROOT) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    # Modules that build an app at import (run, celery_worker) must not touch the repo's data.
    env["FLASK_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path}/import-check.sqlite3"
    return subprocess.run(
        [sys.executable, "-W", "error", "-c", f"import {module}"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )


def test_every_module_is_listed() -> None:
    assert {"app", "config", "extensions", "models", "models.user", "routes.main"} <= set(MODULES)


def test_every_module_imports_in_a_fresh_interpreter(tmp_path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = dict(zip(MODULES, pool.map(lambda m: import_alone(m, tmp_path), MODULES), strict=True))
    failures = {m: r.stderr.strip().splitlines()[-1] for m, r in results.items() if r.returncode}
    assert not failures, failures


def test_a_hidden_cycle_is_caught(tmp_path) -> None:
    """The guard itself, on a copy of the tree with a cycle that one import order hides:
    services.health imports routes.main, which imports services.health. Importing the service
    first works; importing the route first fails."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(ROOT, tree, ignore=shutil.ignore_patterns(
        ".venv", ".git", "instance", "__pycache__", "tests", "test-artifacts"))
    health = tree / "services" / "health.py"
    health.write_text(health.read_text() + "\nfrom routes.main import bp  # noqa: E402, F401\n")
    results = {m: import_alone(m, tmp_path, cwd=tree) for m in ("services.health", "routes.main")}
    assert results["services.health"].returncode == 0
    assert results["routes.main"].returncode != 0
    assert "partially initialized module" in results["routes.main"].stderr
