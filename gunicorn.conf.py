"""gunicorn settings, read from the environment: ``gunicorn run:app`` picks this file up by itself
(it lies in the folder gunicorn starts in).

Threaded workers (``gthread``): a slow client, or one that sends less body than it announced,
holds one thread, not a whole worker process, and the app cuts a stalled body after
``FLASK_REQUEST_BODY_TIMEOUT`` seconds (``wiring/wsgi.py``). For slow *headers* (slowloris) put a
buffering proxy in front (nginx, a cloud load balancer): see docs/production.md.

| variable | default |
|---|---|
| ``GUNICORN_BIND`` | ``127.0.0.1:$PORT`` (``PORT`` defaults to 5000) |
| ``WEB_CONCURRENCY`` | 2 worker processes |
| ``GUNICORN_THREADS`` | 8 threads per process |
| ``GUNICORN_TIMEOUT`` | 30 s: a worker that stops answering its arbiter is restarted |
| ``GUNICORN_GRACEFUL_TIMEOUT`` | 20 s to finish requests on a restart or stop |
| ``GUNICORN_KEEPALIVE`` | 5 s for an idle kept-alive connection |
| ``GUNICORN_MALLOC_ARENAS`` | 2 glibc malloc arenas per worker (see ``post_fork``) |
| ``GUNICORN_PRELOAD`` | 1: the app is loaded once, before forking the workers (0: in each) |

Preloading shares the app's code between the workers: most of a worker's memory (about 60 of
its 85 MB) is the modules it imports, and a forked worker keeps them as pages shared with the
arbiter until it writes to them. ``pre_fork`` freezes the objects loaded so far out of the
garbage collector, whose passes would otherwise write to every one of them and copy the pages
(docs/figures.md, issue 12: 49 MB PSS per worker instead of 70). The price: ``kill -HUP``
restarts the workers from the code the arbiter loaded; a deployment of new code restarts
gunicorn itself (docs/production.md).
"""

import gc
import os
from typing import Any

import gunicorn.http.wsgi


def _number(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or f"127.0.0.1:{os.environ.get('PORT') or 5000}"
workers = int(_number("WEB_CONCURRENCY", 2))
worker_class = "gthread"
threads = int(_number("GUNICORN_THREADS", 8))
timeout = int(_number("GUNICORN_TIMEOUT", 30))
graceful_timeout = int(_number("GUNICORN_GRACEFUL_TIMEOUT", 20))
keepalive = int(_number("GUNICORN_KEEPALIVE", 5))
# Request line and headers: gunicorn's limits, stated (a longer line gets a 400 from gunicorn).
limit_request_line = 8190
limit_request_fields = 100
# The app logs one line per request with its request id (routes/site.py): no second access log.
accesslog = None
errorlog = "-"
# gunicorn 24+ opens a control socket in ~/.gunicorn shared by every instance on the machine.
control_socket_disable = True
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in ("0", "false", "no")

# gunicorn sends "Server: gunicorn" with every response: name no product (nothing to look up
# vulnerabilities by). The header line itself is gunicorn's and cannot be left out.
gunicorn.http.wsgi.SERVER = "timesheet"


def pre_fork(_server: object, _worker: object) -> None:
    """In the arbiter, just before each fork: what is alive now (the preloaded app) is left out of
    later collections, so a worker's collector does not write to the pages it shares."""
    gc.collect()
    gc.freeze()


def post_fork(_server: object, worker: Any) -> None:
    forget_inherited_connections(getattr(worker.app, "callable", None))
    limit_malloc_arenas()


def forget_inherited_connections(app: Any) -> None:
    """A preloaded app's engines start the worker with empty pools: a connection opened in the
    arbiter must never be shared by two processes (SQLAlchemy's recipe for forked pools)."""
    extension = getattr(app, "extensions", {}).get("sqlalchemy")
    if extension is None:
        return  # not preloaded, or an app without the database (bench/floor_app.py)
    # The app's own Flask-SQLAlchemy instance: the bench's floor with a query has one of its own.
    with app.app_context():
        for engine in extension.engines.values():
            engine.dispose(close=False)


# glibc gives each thread that allocates its own malloc arena (up to 8 per core), so a threaded
# worker grows by several MB of mostly empty arenas. Two are plenty for 8 threads waiting on I/O
# under the GIL: set in each worker before its threads start. MALLOC_ARENA_MAX, when set in the
# environment, is glibc's own switch and wins. Not glibc (musl, macOS): nothing to do.
M_ARENA_MAX = -8  # glibc's mallopt parameter number


def limit_malloc_arenas() -> None:
    if os.environ.get("MALLOC_ARENA_MAX"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_ARENA_MAX, int(_number("GUNICORN_MALLOC_ARENAS", 2)))
    except (OSError, AttributeError):
        pass
