"""A real streaming replica of the test server, made by scripts/replica (pg_basebackup) once
for a module, and the ``replica`` database alias pointing at it for the module's tests."""

import contextlib
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, connection, connections, reset_queries, transaction

from config import replica as replica_reads
from tests.ops.servers import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "scripts" / "replica"
CATCH_UP_SECONDS = 30


@dataclass
class Replica:
    folder: Path
    port: int

    def run(self, command: str) -> None:
        done = subprocess.run([SCRIPT, command, self.folder], capture_output=True, text=True)
        if done.returncode:
            log = self.folder / "server.log"
            pytest.fail(
                f"scripts/replica {command} failed:\n{done.stderr[-2000:]}\n"
                f"{log.read_text()[-3000:] if log.exists() else ''}"
            )

    def stop(self) -> None:
        self.run("stop")

    def start(self) -> None:
        self.run("start")

    def is_running(self) -> bool:
        return (self.folder / "data" / "postmaster.pid").exists()

    def superuser(self) -> psycopg.Connection:
        """The replica's own superuser, through its socket (its pg_hba.conf is the test
        server's: local connections are trusted)."""
        return psycopg.connect(
            host=str(self.folder),
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
        )

    def catch_up(self, position_sql: str = "pg_last_wal_replay_lsn()") -> None:
        """Wait until the replica has replayed (``position_sql``: or received) everything the
        primary has committed so far.

        The test server commits asynchronously (``synchronous_commit=off``,
        scripts/_postgres.sh): a commit returns before its WAL is written, and the WAL writer
        writes it out within ``wal_writer_delay`` (200 ms; at once only when it was idle).
        Until then that commit lies past ``pg_current_wal_lsn()`` (the position written) and
        is not sent to the replica, which could replay a test's last write after this
        returned. So the position waited for is a WAL message's, committed synchronously:
        that commit writes out all the WAL before it."""
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = on")
            cursor.execute("SELECT pg_logical_emit_message(true, 'tests.replica', 'catch up')")
            (position,) = cursor.fetchone()
        deadline = time.monotonic() + CATCH_UP_SECONDS
        with self.superuser() as server:
            while not server.execute(f"SELECT {position_sql} >= %s::pg_lsn", [position]).fetchone()[
                0
            ]:
                if time.monotonic() > deadline:
                    pytest.fail(f"the replica did not replay {position} in {CATCH_UP_SECONDS} s")
                time.sleep(0.02)

    def receive(self) -> None:
        """Wait until the replica has received everything the primary has written so far
        (replayed or not): until then it cannot know it is behind."""
        self.catch_up("pg_last_wal_receive_lsn()")

    @contextlib.contextmanager
    def lost_before(self, read: int):
        """The replica lost in the middle of a request: this process's session on it ended by
        the server (``pg_terminate_backend``, waited for) just before the ``read``-th
        statement the block sends it, the requests' state checks not counted."""
        sent = 0

        def cut(execute, sql, params, many, context):
            nonlocal sent
            sent += sql != replica_reads.LAG_SQL
            if sent == read:
                pid = context["connection"].connection.info.backend_pid
                with self.superuser() as server:
                    server.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
            return execute(sql, params, many, context)

        with connections[replica_reads.REPLICA].execute_wrapper(cut):
            yield

    @contextlib.contextmanager
    def paused(self):
        """The replica stops replaying (it keeps receiving): a stale copy, as far behind as
        the test makes it."""
        self.catch_up()
        deadline = time.monotonic() + CATCH_UP_SECONDS
        with self.superuser() as server:
            server.execute("SELECT pg_wal_replay_pause()")
            # A pause is only requested until the startup process confirms it: a write made
            # before that could still be replayed.
            while server.execute("SELECT pg_get_wal_replay_pause_state()").fetchone()[0] != (
                "paused"
            ):
                if time.monotonic() > deadline:
                    pytest.fail(f"the replica did not pause in {CATCH_UP_SECONDS} s")
                time.sleep(0.02)
        try:
            yield
        finally:
            with self.superuser() as server:
                server.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture(scope="module")
def replica(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("a streaming replica needs PostgreSQL")
        primary = dict(connection.settings_dict)
    folder = Path(tempfile.mkdtemp(prefix="portal-replica-"))
    port = free_port()
    url = (
        f"postgres://{quote(primary['USER'])}:{quote(primary['PASSWORD'])}"
        f"@{primary['HOST']}:{primary['PORT']}/{primary['NAME']}"
    )
    created = subprocess.run(
        [SCRIPT, "create", url, folder, str(port)], capture_output=True, text=True
    )
    if created.returncode:
        pytest.fail(
            "scripts/replica could not copy the test server (its role needs REPLICATION, "
            f"which scripts/_postgres.sh gives):\n{created.stderr[-3000:]}"
        )
    # A mirror for Django's test machinery: never flushed nor serialized, like a replica.
    connections.settings[replica_reads.REPLICA] = {
        **primary,
        "PORT": str(port),
        "OPTIONS": {**primary["OPTIONS"], "connect_timeout": 2},
        "TEST": {**primary["TEST"], "MIRROR": DEFAULT_DB_ALIAS},
    }
    try:
        yield Replica(folder=folder, port=port)
    finally:
        with django_db_blocker.unblock():
            connections[replica_reads.REPLICA].close()
        del connections[replica_reads.REPLICA]
        del connections.settings[replica_reads.REPLICA]
        subprocess.run([SCRIPT, "remove", folder], check=True)


@pytest.fixture
def replica_in_use(replica, settings):
    """The replica as production uses it, its state checked on every request (no interval to
    wait for), however far behind a test pauses it (the lag test sets its own limit)."""
    if not replica.is_running():
        replica.start()
    settings.REPLICA_CHECK_INTERVAL = 0
    settings.REPLICA_MAX_LAG = 3600
    replica_reads._health.until = 0.0
    return replica


@contextlib.contextmanager
def queries_on(alias: str):
    """The statements run on ``alias`` inside the block, in a list. Unlike Django's
    ``CaptureQueriesContext``, it does not connect first: the replica may be stopped."""
    target = connections[alias]
    captured: list[str] = []
    forced, target.force_debug_cursor = target.force_debug_cursor, True
    start = len(target.queries_log)
    request_started.disconnect(reset_queries)
    try:
        yield captured
    finally:
        request_started.connect(reset_queries)
        target.force_debug_cursor = forced
        captured.extend(query["sql"] for query in list(target.queries_log)[start:])
