"""`./scripts/run` on a port already taken: one clear hint, before anything is installed."""

import os
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_busy_port_stops_the_run_script_with_a_hint() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["bash", str(ROOT / "scripts" / "run")],
            env={"PATH": os.environ["PATH"], "PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "PORT=8000 ./scripts/run" in result.stderr
    assert "honcho" not in result.stdout + result.stderr
