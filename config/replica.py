"""Reads of the public pages from a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``),
everything else on the primary (docs/deployment.md, « Une réplique pour les lectures »).

What goes to the replica: the ``GET``/``HEAD`` requests of the public views
(``REPLICA_READ_NAMESPACES``: catalogue, observatory, open data, API), and within them only
the tables of the public data and the catalogue version (``REPLICA_READ_APPS``). Sessions,
users, the page cache's table and every write stay on the primary, as do the workspace, the
admin, accounts and alerts. One request reads one server: the catalogue version that keys a
cached page (pagecache/) is read where the page's data is read, so a lagging replica can only
store a page of its own, older, state under that state's own key; a key read on the primary
(a newer version) is never paired with data read on the replica.

Read-your-writes: a request that may write (any method but ``GET``, ``HEAD``, ``OPTIONS``)
answers with a signed cookie that keeps that browser's reads on the primary for
``REPLICA_PIN_SECONDS``, longer than the lag the replica may have and still be used. A cookie
rather than a mark in the session: anonymous people write too (an alert), the page cache
serves no request that carries a session, and reading a session costs a query on the primary.
Signed, with its age checked (``get_signed_cookie(max_age=...)``), so that a client cannot pin
itself to the primary for longer.

Fallback: the replica is used only while it answers and follows the primary closely
(``replica_usable``); otherwise the reads of the request go to the primary, without an error.
A request sent to the replica that loses it half-way (the replica stopped, restarted, cut
off) is answered from the primary: its view raised a connection error on the replica, before
anything was sent and without having written anything (a public read writes nothing but the
page cache's entry, which is stored after the view, on Redis or the primary), so the whole
request is run once more with its reads on the primary (``ReplicaReadsMiddleware``). A body
already streaming (the CSV) cannot be taken back: it stops there (see ``_on_replica``).
"""

import contextvars
import logging
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import FileResponse, HttpResponse
from django.urls import Resolver404, resolve

from ops.views import DATABASE_UNAVAILABLE

logger = logging.getLogger(__name__)

REPLICA = "replica"
READ_ONLY_METHODS = ("GET", "HEAD", "OPTIONS")
PIN_COOKIE = "primary_reads"
PIN_SALT = "config.replica.pin"

# The database the current request's public reads go to (None: the primary).
_read_alias = contextvars.ContextVar("read_alias", default=None)

# Seconds since the last replayed transaction when WAL has arrived that is not replayed yet
# (0 when everything received is replayed); NULL when the server is no standby any more
# (promoted: it no longer follows the primary) or has no WAL receiver (its link to the
# primary is broken: it would fall behind without any WAL waiting to be replayed).
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN NULL
    WHEN NOT EXISTS (SELECT FROM pg_stat_wal_receiver) THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(
        EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0
    )
END
"""


class ReplicaRouter:
    """Routes the reads of the public data to the replica during a request that
    ``ReplicaReadsMiddleware`` sent there; every write, and every read otherwise, to the
    primary. The replica is never migrated: it is a copy of the primary."""

    def db_for_read(self, model, **hints):
        alias = _read_alias.get()
        if alias is not None and model._meta.app_label in settings.REPLICA_READ_APPS:
            return alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        # Explicit: without an answer Django would write an object where it was read from.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}

    def allow_migrate(self, db, app_label, **hints):
        return None if db == DEFAULT_DB_ALIAS else False


class _Health:
    """What this process last learnt of the replica, and until when it holds."""

    usable = False
    until = 0.0


_health = _Health()


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _mark(usable: bool, reason: str = "", *, always_log: bool = False) -> bool:
    if usable != _health.usable or always_log:
        if usable:
            logger.info("replica in use for public reads")
        else:
            logger.warning("public reads on the primary: %s", reason)
    _health.usable = usable
    _health.until = time.monotonic() + settings.REPLICA_CHECK_INTERVAL
    return usable


def _lag_acceptable(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(LAG_SQL)
        (lag,) = cursor.fetchone()
    if lag is None:
        return _mark(False, "the replica does not follow the primary")
    if lag > settings.REPLICA_MAX_LAG:
        return _mark(False, f"the replica lags {lag:.1f} s behind")
    return _mark(True)


def replica_usable() -> bool:
    """Whether this request may read from the replica. Its state (reachable, following the
    primary, lag within ``REPLICA_MAX_LAG``) is checked at most every
    ``REPLICA_CHECK_INTERVAL`` seconds in each process; between two checks, a replica found
    unusable is not tried again, and a usable one gets the connection check of every request
    (``CONN_HEALTH_CHECKS``) here, before anything is read from it, so that a replica that
    stopped sends this very request to the primary (``connect_timeout`` bounds the wait for
    one that no longer answers)."""
    due = time.monotonic() >= _health.until
    if not due and not _health.usable:
        return False
    connection = connections[REPLICA]
    try:
        # What request_started does in production, done here too: the check must come before
        # the first read, whatever called this request (the test client does not send it).
        connection.close_if_unusable_or_obsolete()
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        return _lag_acceptable(connection) if due else True
    except DatabaseError as error:
        connection.close()
        return _mark(False, f"the replica cannot be reached ({error})")


def is_public_read(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.namespace in settings.REPLICA_READ_NAMESPACES


def is_pinned(request) -> bool:
    return (
        request.get_signed_cookie(
            PIN_COOKIE, default=None, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS
        )
        is not None
    )


def pin_to_primary(response) -> None:
    response.set_signed_cookie(
        PIN_COOKIE,
        "1",
        salt=PIN_SALT,
        max_age=settings.REPLICA_PIN_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _replica_lost(error: BaseException) -> bool:
    """Whether ``error`` is the replica's connection failing during this request, rather than
    the primary's or a fault of the code. Django flags a connection whose call raised
    (``errors_occurred``); ``replica_usable`` has cleared the flag before the request's first
    read. Leaves the replica aside until the next check, its broken connection closed."""
    replica = connections[REPLICA]
    if not (isinstance(error, DATABASE_UNAVAILABLE) and replica.errors_occurred):
        return False
    replica.close()
    # Logged by every request caught (the threads of a process may all be), not only by the
    # first one to find the replica gone.
    _mark(False, f"the replica was lost during a request ({error})", always_log=True)
    return True


def _on_replica(chunks):
    """A streamed body (the catalogue's CSV) is read after the middleware has returned: each
    chunk is produced with the request's reads on the replica again. Its status and first
    chunks may already be sent when the replica is lost: the body stops there, unfinished
    (the client sees the transfer cut), and the replica is left aside for the next requests."""
    iterator = iter(chunks)
    while True:
        token = _read_alias.set(REPLICA)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        except Exception as error:
            _replica_lost(error)
            raise
        finally:
            _read_alias.reset(token)
        yield chunk


class _ReplicaLost(HttpResponse):
    """What ``process_exception`` answers for a view that lost the replica, instead of an
    error page: it goes back up through the inner middleware (the page cache stores only a
    200) to ``ReplicaReadsMiddleware.__call__``, which runs the request again."""

    status_code = 503


class ReplicaReadsMiddleware:
    """Before the page cache (whose catalogue version must be read on the request's server).

    A request sent to the replica whose view (or template) loses it is run again, whole, with
    its reads on the primary: the page cache then reads the primary's version, so the page is
    stored under the version of the data it shows. The failed attempt ends in
    ``process_exception``, which Django calls before it logs an error or sends
    ``got_request_exception``: the log holds one warning, not an error. The inner middleware
    run again too and set their state on the request afresh (session, user, messages); the
    CSRF token a first attempt made is kept (``request.META``), its cookie set on the answer.
    Only reads go to the replica, so only they are ever run twice. Not caught: a connection
    lost in the middleware between this one and the view (the page cache's version read,
    just after this request's connection check), which fails like any request that loses
    its database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in READ_ONLY_METHODS:
            response = self.get_response(request)
            if replica_configured():
                pin_to_primary(response)
            return response
        if not (
            replica_configured()
            and is_public_read(request)
            and not is_pinned(request)
            and replica_usable()
        ):
            return self.get_response(request)
        token = _read_alias.set(REPLICA)
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if isinstance(response, _ReplicaLost):
            return self.get_response(request)
        if response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _on_replica(response.streaming_content)
        return response

    def process_exception(self, request, exception):
        if _read_alias.get() == REPLICA and _replica_lost(exception):
            return _ReplicaLost()
        return None
