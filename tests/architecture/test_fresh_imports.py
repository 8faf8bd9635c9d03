"""Guard 1: every module imports on its own in a fresh interpreter, and importing it does nothing
but define names.

Inside one pytest process modules are imported in whatever order the tests happen to use, and a
cycle stays hidden as long as the "right" module came first. Here each module is imported in a
process of its own where no other module of the project is loaded yet (``import_each.py``), so each
one is the first: "cannot import name 'db' from partially initialized module" shows up here.

The seeds' ``db = SQLAlchemy(app)`` trap has a second half that imports fine: an app built at
import, or an extension bound to one there, gives every importer (tests, the worker, a script) the
same global app. So the child also records what the import *did*: no module may build a Flask or
Celery app, bind an extension, make a folder, write a file or open a connection, except the two
entry points, which build exactly one app, through ``create_app()``, and do all of it in there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.architecture.project_files import ROOT, application_modules, clean_env, copy_of_the_tree

MODULES = application_modules()
IMPORT_EACH = Path(__file__).with_name("import_each.py")


ENTRY_POINTS = {"run", "celery_worker"}


def import_each_alone(
    modules: list[str], tmp_path: Path, cwd: Path = ROOT
) -> dict[str, dict[str, Any]]:
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
        timeout=600,  # one child per module: minutes on a loaded 2-core machine
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_every_module_is_listed() -> None:
    assert {"app", "config", "extensions", "models", "models.user", "routes.site"} <= set(MODULES)


def errors_of(reports: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    return {module: report["error"] for module, report in reports.items()}


def import_time_effects(reports: dict[str, dict[str, Any]]) -> dict[str, list[str]]:
    """What each module did at import that it should not have: for the entry points, anything
    outside create_app() or more than one app; for every other module, anything at all."""
    found = {}
    for module, report in reports.items():
        effects = report["effects"]
        if module in ENTRY_POINTS:
            apps = [e for e in effects if e["kind"] == "Flask app built"]
            wrong = [e for e in effects if not e["in_factory"]]
            if len(apps) != 1:
                wrong.append({"kind": f"{len(apps)} Flask apps built", "detail": "expected 1"})
        else:
            wrong = effects
        if wrong:
            found[module] = [f"{e['kind']}: {e['detail']}" for e in wrong]
    return found


def test_every_module_imports_on_its_own_and_does_nothing_at_import(tmp_path: Path) -> None:
    reports = import_each_alone(MODULES, tmp_path)
    assert set(reports) == set(MODULES)
    assert {m: e for m, e in errors_of(reports).items() if e} == {}
    assert import_time_effects(reports) == {}


def test_the_entry_points_build_one_app_through_the_factory(tmp_path: Path) -> None:
    """The recorder sees the entry points' app at all (else the guard above proves nothing)."""
    reports = import_each_alone(sorted(ENTRY_POINTS), tmp_path)
    for module in ENTRY_POINTS:
        kinds = [e["kind"] for e in reports[module]["effects"]]
        assert kinds.count("Flask app built") == 1
        assert "extension bound" in kinds
        assert all(e["in_factory"] for e in reports[module]["effects"])
    # The worker builds its Celery app; the web process only when it first sends a task.
    assert "Celery app built" in [e["kind"] for e in reports["celery_worker"]["effects"]]
    assert "Celery app built" not in [e["kind"] for e in reports["run"]["effects"]]


def test_an_extension_bound_or_an_app_built_at_import_is_caught(tmp_path: Path) -> None:
    """The guard itself, on a copy of the tree: a model module that binds ``db`` to an app it
    builds at import (the seeds' trap, minus the cycle), a route module that builds an app and
    makes a folder, an entry point that builds a second app, and a module that connects to a
    database; a module without a trap stays clean."""
    tree = copy_of_the_tree(tmp_path / "tree")
    add_lines(
        tree / "models" / "user.py",
        "from flask import Flask",
        "from extensions import db",
        "_app = Flask(__name__)",
        "_app.config['SQLALCHEMY_DATABASE_URI'] = 'sqlite://'",
        "db.init_app(_app)",
    )
    add_lines(
        tree / "routes" / "site.py",
        "import os",
        "from flask import Flask",
        "app = Flask(__name__)",
        "os.makedirs(app.instance_path, exist_ok=True)",
    )
    add_lines(tree / "run.py", "from flask import Flask", "other = Flask(__name__)")
    add_lines(tree / "config.py", "import sqlite3", "sqlite3.connect(':memory:').close()")
    modules = ["models.user", "routes.site", "run", "config", "services.accounts.passwords"]
    reports = import_each_alone(modules, tmp_path, tree)
    assert {m: e for m, e in errors_of(reports).items() if e} == {}
    found = import_time_effects(reports)
    assert set(found) == {"models.user", "routes.site", "run", "config"}
    assert found["config"] == ["database connection: sqlite3 :memory:"]
    assert found["models.user"] == ["Flask app built: Flask", "extension bound: SQLAlchemy"]
    assert found["routes.site"][0] == "Flask app built: Flask"
    assert any(e.startswith("folder made: ") for e in found["routes.site"])
    # run.py's own second app (the traps above add two more, inside create_app's imports)
    assert "Flask app built: Flask" in found["run"]
    assert found["run"][-1].endswith(" Flask apps built: expected 1")


def add_lines(path: Path, *lines: str) -> None:
    noqa = "  # noqa: E402, F401"
    path.write_text(path.read_text() + "\n" + "\n".join(line + noqa for line in lines) + "\n")


def test_a_hidden_cycle_is_caught(tmp_path: Path) -> None:
    """The guard itself, on a copy of the tree with a cycle that one import order hides:
    services.platform.health imports routes.site, which imports it back. Importing the service
    first works; importing the route first fails."""
    tree = copy_of_the_tree(tmp_path / "tree")
    health = tree / "services" / "platform" / "health.py"
    health.write_text(health.read_text() + "\nfrom routes.site import bp  # noqa: E402, F401\n")
    errors = import_each_alone(["services.platform.health", "routes.site"], tmp_path, cwd=tree)
    assert errors["services.platform.health"]["error"] is None
    assert "partially initialized module" in (errors["routes.site"]["error"] or "")
