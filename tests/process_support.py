"""Stopping a child process a test started in its own process group (``start_new_session``):
SIGTERM to the whole group, SIGKILL if it has not ended in time. Shared by the gunicorn and
Celery helpers, so no test leaves a server or a pool child running."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_group(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)
