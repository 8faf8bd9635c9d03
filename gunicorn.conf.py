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
"""

import os

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

# gunicorn sends "Server: gunicorn" with every response: name no product (nothing to look up
# vulnerabilities by). The header line itself is gunicorn's and cannot be left out.
gunicorn.http.wsgi.SERVER = "timesheet"

# glibc gives each thread that allocates its own malloc arena (up to 8 per core), so a threaded
# worker grows by several MB of mostly empty arenas. Two are plenty for 8 threads waiting on I/O
# under the GIL: set in each worker before its threads start. MALLOC_ARENA_MAX, when set in the
# environment, is glibc's own switch and wins. Not glibc (musl, macOS): nothing to do.
M_ARENA_MAX = -8  # glibc's mallopt parameter number


def post_fork(_server: object, _worker: object) -> None:
    if os.environ.get("MALLOC_ARENA_MAX"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_ARENA_MAX, int(_number("GUNICORN_MALLOC_ARENAS", 2)))
    except (OSError, AttributeError):
        pass
