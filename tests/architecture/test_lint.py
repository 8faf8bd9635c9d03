"""Ruff, with the rules in pyproject.toml, is clean on the whole repository, and the code is
formatted as `ruff format` writes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.architecture.project_files import ROOT

RUFF = Path(sys.executable).with_name("ruff")


def run_ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_is_clean() -> None:
    result = run_ruff("check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_applied() -> None:
    result = run_ruff("format", "--no-cache", "--check", ".")
    assert result.returncode == 0, f"run `ruff format .`:\n{result.stdout}{result.stderr}"
