# shellcheck shell=bash
# Sourced by scripts that need a throw-away PostgreSQL server (tests, benchmarks).
# start_postgres: initialises a cluster under /tmp, starts it on a spare port, creates the
# "portal" role (allowed to copy the server: scripts/_replica.sh) and exports PG_URL; the
# server is stopped when the calling shell exits.

# pg_bindir: the bin/ folder of the newest PostgreSQL installed from Debian's packages.
pg_bindir() {
    printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -1
}

start_postgres() {
    local pgbin
    pgbin="$(pg_bindir)"
    PG_DIR="$(mktemp -d /tmp/portal-pg.XXXXXX)"
    chmod 755 "$PG_DIR"
    PG_PORT="${PG_PORT:-$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
    local run_as=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$PG_DIR"
        run_as=(runuser -u postgres --)
    fi
    (cd /tmp && "${run_as[@]}" "$pgbin/initdb" -D "$PG_DIR/data" -U postgres --encoding=UTF8 \
        --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null)
    # Throw-away data: no fsync, no waiting for the WAL at commit. full_page_writes stays on:
    # without it the RUM index's generic WAL records name pages a streaming replica never
    # received ("WAL contains references to invalid pages", tests/replica).
    "${run_as[@]}" "$pgbin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o \
        "-k $PG_DIR -h 127.0.0.1 -p $PG_PORT -c fsync=off -c synchronous_commit=off ${PG_EXTRA_OPTIONS:-}" \
        start >/dev/null
    trap 'stop_postgres' EXIT
    # RUM (catalogue search ordered inside its index) is not a trusted extension: created here
    # by the superuser in template1, so that every database made from it (the portal's, the
    # tests') has it and the migrations build its index (actions/sql/search_rum_v1.sql).
    if [ -n "$(psql -tA -h "$PG_DIR" -p "$PG_PORT" -U postgres -d template1 \
        -c "SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")" ]; then
        psql -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -d template1 -c "CREATE EXTENSION rum" >/dev/null
    fi
    psql -q -h "$PG_DIR" -p "$PG_PORT" -U postgres \
        -c "CREATE ROLE portal LOGIN PASSWORD 'portal' CREATEDB REPLICATION" \
        -c "CREATE DATABASE portal OWNER portal" >/dev/null
    export PG_URL="postgres://portal:portal@127.0.0.1:$PG_PORT/portal"
    echo "==> PostgreSQL $(basename "$(dirname "$pgbin")") on 127.0.0.1:$PG_PORT"
}

stop_postgres() {
    local pgbin
    pgbin="$(pg_bindir)"
    if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
        if [ "$(id -u)" -eq 0 ]; then
            runuser -u postgres -- "$pgbin/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null || true
        else
            "$pgbin/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null || true
        fi
        rm -rf "$PG_DIR"
    fi
}
