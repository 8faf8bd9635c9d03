"""The requirements files for pip users are exactly what uv exports from uv.lock.

`./scripts/run` and `./scripts/test` install from uv.lock (`uv sync --locked`); people without uv
use `pip install -r requirements.txt` (or requirements-dev.txt). If the two drifted, pip users would
run versions CI never tested. scripts/lock rewrites both files after a lock change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture.project_files import ROOT

# The same commands as scripts/lock (uv writes the command into the file's header, so any other
# spelling would differ in that line).
EXPORTS = {
    "requirements.txt": ["export", "--quiet", "--locked", "--no-dev"],
    "requirements-dev.txt": ["export", "--quiet", "--locked", "--group", "dev"],
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exported_requirements_match_the_lock(name: str) -> None:
    uv = Path(sys.executable).with_name("uv")
    result = subprocess.run(
        [str(uv), *EXPORTS[name]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        # Offline: the lock alone decides; --locked also fails if pyproject.toml changed without it.
        env={**os.environ, "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never"},
    )
    assert result.returncode == 0, result.stderr
    written = (ROOT / name).read_text()
    assert written == result.stdout, f"{name} differs from uv.lock: run scripts/lock"


def test_scripts_lock_exports_with_the_same_commands() -> None:
    script = (ROOT / "scripts" / "lock").read_text()
    for name, args in EXPORTS.items():
        line = f'"$uv" {" ".join(args)} >{name}'
        assert line in script, f"scripts/lock should run: {line}"


def test_bootstrap_uv_is_the_locked_uv() -> None:
    """scripts/venv.sh installs this uv when none is on PATH; it is the one the lock's dev group
    pins, so a fresh machine locks and exports with the version CI used."""
    lock = (ROOT / "uv.lock").read_text()
    locked = lock.split('\nname = "uv"\nversion = "', 1)[1].split('"', 1)[0]
    assert f'UV_BOOTSTRAP_VERSION="{locked}"' in (ROOT / "scripts" / "venv.sh").read_text()
