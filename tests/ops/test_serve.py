"""The documented production command, for real: scripts/serve with DEBUG unset on PostgreSQL
serves pages through gunicorn, with the branded 404, the security headers and JSON access logs.
"""

import json
import re
import time
import urllib.request

import pytest

from tests.ops.servers import ROOT, free_port, get, production_environment, running

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def served(on_postgresql, tmp_path):
    port = free_port()
    env = production_environment(
        port,
        tmp_path,
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_THREADS="2",
    )
    log = tmp_path / "serve.log"
    with running([str(ROOT / "scripts" / "serve")], env=env, port=port, log=log, wait=120):
        yield f"http://127.0.0.1:{port}", log, tmp_path


def access_log(log) -> list[dict]:
    return [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{") and '"gunicorn.access"' in line
    ]


def test_scripts_serve_serves_the_portal_in_production_mode(served):
    base, log, work = served

    status, headers, body = get(f"{base}/")
    assert status == 200
    assert "Fiches action" in body
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    stylesheets = re.findall(r'<link rel="stylesheet" href="(/static/[^"]+)"', body)
    assert stylesheets
    for path in stylesheets:  # collected under their hashed names, served compressed
        assert re.search(r"\.[0-9a-f]{12}\.css$", path), path
        request = urllib.request.Request(f"{base}{path}", headers={"Accept-Encoding": "br"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert response.headers["Content-Encoding"] == "br"

    status, headers, body = get(f"{base}/une-page-absente/")
    assert status == 404
    assert "Cette page n'existe pas" in body
    request_id = headers["X-Request-ID"]

    assert get(f"{base}/readyz")[0] == 200
    assert (work / "gunicorn.ctl").exists()
    deadline = time.monotonic() + 10  # gunicorn writes its access line after the response
    access = access_log(log)
    while not any(entry["path"] == "/une-page-absente/" for entry in access):
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
        access = access_log(log)
    assert {"path": "/une-page-absente/", "status": 404, "request_id": request_id}.items() <= next(
        entry for entry in access if entry["path"] == "/une-page-absente/"
    ).items()
