"""Ruff, with the rules in pyproject.toml, is clean on the whole repository."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.architecture.project_files import ROOT


def test_ruff_is_clean() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    result = subprocess.run(
        [str(ruff), "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
