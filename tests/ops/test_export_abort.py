"""A CSV export whose database fails mid-way is a broken download for the HTTP client, never a
short file that ends cleanly: gunicorn (the production server, with its configuration) sends
the streamed export in chunks and, when the response's iterator raises, closes the connection
without the last chunk."""

import http.client

import pytest

from tests.actions.factories import ActionFactory
from tests.ops.servers import ROOT, free_port, production_environment, running

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def faulty_server(on_postgresql, tmp_path):
    """gunicorn serving ``tests.ops.export_fault_wsgi`` on the test database."""
    port = free_port()
    env = production_environment(port, tmp_path)
    log = tmp_path / "gunicorn.log"
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "tests.ops.export_fault_wsgi:application"]
    with running(gunicorn, env=env, port=port, log=log):
        yield port, log


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
