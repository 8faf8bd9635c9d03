"""What counts as the project's own code, for the guard tests."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOP_LEVEL_MODULES = ["run", "celery_worker", "app", "commands", "config", "extensions"]
PACKAGES = ["models", "routes", "services", "tasks", "wiring"]


def application_modules() -> list[str]:
    """Dotted names of every module of the application (not tests, not migrations)."""
    names = list(TOP_LEVEL_MODULES)
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def application_files() -> list[Path]:
    files = [ROOT / f"{name}.py" for name in TOP_LEVEL_MODULES]
    for package in PACKAGES:
        files.extend(sorted((ROOT / package).rglob("*.py")))
    return files


def copy_of_the_tree(destination: Path) -> Path:
    """The application as a fresh checkout has it (no venv, data, caches, tests or benches),
    for guard tests that put a trap into a copy and watch it get caught."""
    import shutil

    shutil.copytree(
        ROOT,
        destination,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".tools",
            ".mypy_cache",
            ".git",
            "instance",
            "__pycache__",
            "test-artifacts",
            "tests",
            "bench",
        ),
    )
    return destination


def clean_env() -> dict[str, str]:
    """The environment of a fresh shell: no FLASK_* or TIMESHEET_* setting from the caller."""
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FLASK_", "TIMESHEET_")) and k != "PYTHONPATH"
    }
