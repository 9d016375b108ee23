"""Real servers for the ops tests: gunicorn started on the test database, with the production
settings' environment only, on a spare local port, and stopped with its process group."""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def production_environment(port: int, work: Path, **extra: str) -> dict[str, str]:
    """What a deployment sets (and nothing else): DEBUG unset, plain HTTP on 127.0.0.1."""
    s = connection.settings_dict
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(work)),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "HTTPS": "false",  # no TLS on 127.0.0.1
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_CONTROL_SOCKET": str(work / "gunicorn.ctl"),
        "WEB_CONCURRENCY": "1",
        **extra,
    }


@contextlib.contextmanager
def running(command: list[str], *, env: dict[str, str], port: int, log: Path, wait: float = 60):
    """Run ``command`` until its /healthz answers 200 (failing the test with the end of its
    log if it stops or does not answer within ``wait`` seconds), then stop it on exit."""
    with log.open("w") as output:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + wait
        while True:
            if server.poll() is not None:
                pytest.fail(f"{command[0]} stopped:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):  # not listening yet
                if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"{command[0]} did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.25)
        yield
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
