"""The documented production command, for real: scripts/serve with DEBUG unset on PostgreSQL
serves pages through gunicorn, with the branded 404, the security headers and JSON access logs.
"""

import json
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
pytestmark = pytest.mark.django_db(transaction=True)


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


@pytest.fixture
def served(on_postgresql, tmp_path):
    s = connection.settings_dict
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "HTTPS": "false",  # no TLS on 127.0.0.1
        "BIND": f"127.0.0.1:{port}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_CONTROL_SOCKET": str(tmp_path / "gunicorn.ctl"),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_THREADS": "2",
    }
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(ROOT / "scripts" / "serve")],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            if server.poll() is not None:
                pytest.fail(f"scripts/serve stopped:\n{log.read_text()[-3000:]}")
            try:
                if get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")
        yield base, log, tmp_path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def test_scripts_serve_serves_the_portal_in_production_mode(served):
    base, log, work = served

    status, headers, body = get(f"{base}/")
    assert status == 200
    assert "Fiches action" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]

    status, headers, body = get(f"{base}/une-page-absente/")
    assert status == 404
    assert "Cette page n'existe pas" in body
    request_id = headers["X-Request-ID"]

    assert get(f"{base}/readyz")[0] == 200
    assert (work / "gunicorn.ctl").exists()
    time.sleep(0.5)  # let gunicorn write its access line
    access = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]
    assert {"path": "/une-page-absente/", "status": 404, "request_id": request_id}.items() <= next(
        entry for entry in access if entry["path"] == "/une-page-absente/"
    ).items()
