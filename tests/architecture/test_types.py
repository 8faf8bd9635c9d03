"""mypy, configured in pyproject.toml ([tool.mypy]: strict, the app code), finds no error.

Stubs for the two untyped libraries (Flask-Login, Flask-WTF) are in typings/.
"""

from __future__ import annotations

import subprocess
import sys

from tests.architecture.project_files import ROOT


def test_mypy_finds_no_error_in_the_app_code() -> None:
    result = subprocess.run(
        # The files and the options come from pyproject.toml; the cache stays out of the way of
        # a developer's own runs (same results, no shared state between the two).
        [sys.executable, "-m", "mypy", "--cache-dir", str(ROOT / ".mypy_cache" / "suite")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout
