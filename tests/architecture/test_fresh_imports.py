"""Guard 1: every module imports on its own in a fresh interpreter.

Inside one pytest process modules are imported in whatever order the tests happen to use, and a
cycle stays hidden as long as the "right" module came first. Here each module is imported in a
process of its own where no other module of the project is loaded yet (``import_each.py``), so each
one is the first: "cannot import name 'db' from partially initialized module" shows up here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.architecture.project_files import ROOT, application_modules, clean_env, copy_of_the_tree

MODULES = application_modules()
IMPORT_EACH = Path(__file__).with_name("import_each.py")


def import_each_alone(
    modules: list[str], tmp_path: Path, cwd: Path = ROOT
) -> dict[str, str | None]:
    env = clean_env()
    # Modules that build an app at import (run, celery_worker) must not touch the repo's data.
    env["FLASK_SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path}/import-check.sqlite3"
    env["TIMESHEET_INSTANCE_PATH"] = str(tmp_path / "instance")
    env["PYTHONPATH"] = str(cwd)
    result = subprocess.run(
        [sys.executable, str(IMPORT_EACH), *modules],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_module_is_listed() -> None:
    assert {"app", "config", "extensions", "models", "models.user", "routes.site"} <= set(MODULES)


def test_every_module_imports_on_its_own(tmp_path: Path) -> None:
    errors = import_each_alone(MODULES, tmp_path)
    assert set(errors) == set(MODULES)
    assert {m: e for m, e in errors.items() if e} == {}


def test_a_hidden_cycle_is_caught(tmp_path: Path) -> None:
    """The guard itself, on a copy of the tree with a cycle that one import order hides:
    services.platform.health imports routes.site, which imports it back. Importing the service
    first works; importing the route first fails."""
    tree = copy_of_the_tree(tmp_path / "tree")
    health = tree / "services" / "platform" / "health.py"
    health.write_text(health.read_text() + "\nfrom routes.site import bp  # noqa: E402, F401\n")
    errors = import_each_alone(["services.platform.health", "routes.site"], tmp_path, cwd=tree)
    assert errors["services.platform.health"] is None
    assert "partially initialized module" in (errors["routes.site"] or "")
