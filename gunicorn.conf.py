"""gunicorn settings for the portal, read by ``scripts/serve`` (see docs/deployment.md).

Threaded workers (``gthread``): a request holds one thread, not a whole process, and
gunicorn 27 hands a connection whose request has not arrived yet back to its poller instead
of letting it hold a thread, so a few slow clients cannot starve the pool the way they starve
sync workers. The reverse proxy in front (nginx) still buffers requests and responses: it is
the real defence against slow clients on the Internet.

Every value can be changed through the environment variables below or ``GUNICORN_CMD_ARGS``.
"""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("BIND", "127.0.0.1:8000").split(",")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker whose main loop is stuck this long is killed and replaced.
timeout = 30
graceful_timeout = 30
# Idle keep-alive connections (from the proxy) stay open this long without holding a thread.
keepalive = 5
# Replaced after this many requests (jittered), which bounds the growth of any leak.
max_requests = 2000
max_requests_jitter = 200

# gunicorn 27 opens a control socket, by default one per user (~/.gunicorn/gunicorn.ctl):
# every gunicorn of the same user on the machine would share it. One per instance instead.
control_socket = os.environ.get(
    "GUNICORN_CONTROL_SOCKET", str(Path(__file__).resolve().parent / ".run" / "gunicorn.ctl")
)

# Logs: JSON lines on stdout, access lines included (one per request, with its request id).
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "access": {"()": "ops.logs.AccessJsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stdout",
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "stream": "ext://sys.stdout",
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
}
