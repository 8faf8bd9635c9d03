"""Guard 2: the one-way import rule, checked by import-linter with the contract in pyproject.toml.

lint-imports reads packages only, so the tree is copied with every top-level module turned into a
package (``app.py`` -> ``app/__init__.py``); the import graph is unchanged.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.architecture.project_files import PACKAGES, ROOT, TOP_LEVEL_MODULES, clean_env


def shadow_tree(destination: Path) -> Path:
    for name in TOP_LEVEL_MODULES:
        (destination / name).mkdir(parents=True)
        shutil.copyfile(ROOT / f"{name}.py", destination / name / "__init__.py")
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, destination / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copyfile(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = clean_env()
    env["PYTHONPATH"] = str(tree)
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_imports_flow_one_way(tmp_path: Path) -> None:
    result = lint_imports(shadow_tree(tmp_path / "tree"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """The guard itself: a service that imports a route (a lazy import inside a function, even)."""
    tree = shadow_tree(tmp_path / "tree")
    health = tree / "services" / "platform" / "health.py"
    health.write_text(health.read_text() + "\n\ndef _upward():\n    import routes.site  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "services.platform.health -> routes.site" in result.stdout


def test_config_may_not_import_flask(tmp_path: Path) -> None:
    """The one check that ``config.py`` stays plain Python is the ``plain-config`` contract
    (kept in test_imports_flow_one_way); here it goes red on a copy whose config imports Flask."""
    tree = shadow_tree(tmp_path / "tree")
    config = tree / "config" / "__init__.py"
    config.write_text("import flask  # noqa\n" + config.read_text())
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "config -> flask" in result.stdout


def test_a_lower_service_importing_a_higher_one_breaks_the_services_contract(
    tmp_path: Path,
) -> None:
    """Inside services the features are layered too: accounts may not reach up into projects."""
    tree = shadow_tree(tmp_path / "tree")
    users = tree / "services" / "accounts" / "users.py"
    users.write_text(
        users.read_text() + "\n\ndef _upward():\n    import services.projects.projects  # noqa\n"
    )
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "services.accounts.users -> services.projects.projects" in result.stdout


def test_an_interface_importing_another_interface_breaks_the_contract(tmp_path: Path) -> None:
    """Routes, tasks and the CLI are siblings: a view enqueues by task name through the queue
    service, it never imports the task module (nor the task a route)."""
    tree = shadow_tree(tmp_path / "tree")
    views = tree / "routes" / "reports" / "views.py"
    views.write_text(views.read_text() + "\n\ndef _sideways():\n    import tasks.reports  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "routes.reports.views -> tasks.reports" in result.stdout
