"""A CSV export whose database fails mid-way is a broken download for the HTTP client, never a
short file that ends cleanly: gunicorn (the production server, with its configuration) sends
the streamed export in chunks and, when the response's iterator raises, closes the connection
without the last chunk."""

import http.client
import os
import secrets
import signal
import subprocess
import time

import pytest
from django.db import connection

from tests.actions.factories import ActionFactory
from tests.ops.test_serve import ROOT, free_port, get

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def faulty_server(on_postgresql, tmp_path):
    """gunicorn serving ``tests.ops.export_fault_wsgi`` on the test database."""
    s = connection.settings_dict
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}",
        "HTTPS": "false",
        "BIND": f"127.0.0.1:{port}",
        "GUNICORN_CONTROL_SOCKET": str(tmp_path / "gunicorn.ctl"),
        "WEB_CONCURRENCY": "1",
    }
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "tests.ops.export_fault_wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        for _ in range(120):
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
            try:
                if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail(f"gunicorn did not answer:\n{log.read_text()[-3000:]}")
        yield port, log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


def socket_to(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def test_an_export_whose_database_fails_mid_way_is_an_aborted_transfer(faulty_server):
    port, log = faulty_server
    ActionFactory.create_batch(5, published=True)
    http_connection = socket_to(port)
    http_connection.request("GET", "/actions/export.csv")
    response = http_connection.getresponse()
    assert response.status == 200  # sent with the first rows, before the failure
    assert response.getheader("Transfer-Encoding") == "chunked"
    with pytest.raises(http.client.IncompleteRead) as aborted:
        response.read()
    received = aborted.value.partial.decode("utf-8-sig").splitlines()
    assert len(received) == 1 + 2  # the header, then the rows of the first chunk only
    http_connection.close()
    assert "server closed the connection unexpectedly" in log.read_text()
