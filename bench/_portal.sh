# shellcheck shell=bash
# Sourced by bench/load, bench/faults, bench/throughput and bench/replica: a throw-away
# production-like portal on 127.0.0.1.
# start_portal: prepare_portal then serve_portal.
# prepare_portal: a PostgreSQL server (scripts/_postgres.sh), 500 structures and 10,000 demo
# sheets (generate_demo_data --seed 1), a staff account for the writers, and the production
# settings' environment (DEBUG unset, JSON logs, plain HTTP: HTTPS=false, no TLS on 127.0.0.1).
# serve_portal: gunicorn started through scripts/serve, with that environment (and whatever the
# caller exported since: REDIS_URL, DATABASE_REPLICA_URL). Exports PORTAL_URL, PORTAL_WORK
# (targets.json, logs, media) and GUNICORN_PID; everything stops and is removed when the
# calling shell exits.

BENCH_STRUCTURES="${BENCH_STRUCTURES:-500}"
BENCH_ACTIONS="${BENCH_ACTIONS:-10000}"

start_portal() {
    prepare_portal
    serve_portal
}

prepare_portal() {
    apt_install gettext postgresql postgresql-contrib
    python_env bench
    source "$PROJECT_DIR/scripts/_postgres.sh"
    PG_EXTRA_OPTIONS="${PG_EXTRA_OPTIONS:--c shared_buffers=512MB -c jit=off}" start_postgres
    PORTAL_WORK="$(mktemp -d /tmp/portal-bench.XXXXXX)"
    trap 'stop_portal' EXIT
    export DATABASE_URL="$PG_URL"
    export SECRET_KEY
    SECRET_KEY="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
    export ALLOWED_HOSTS=127.0.0.1 HTTPS=false LOG_LEVEL="${LOG_LEVEL:-WARNING}"
    export STATIC_ROOT="$PORTAL_WORK/static" MEDIA_ROOT="$PORTAL_WORK/media"
    local port
    port="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    export BIND="127.0.0.1:$port" GUNICORN_CONTROL_SOCKET="$PORTAL_WORK/gunicorn.ctl"
    export PORTAL_URL="http://127.0.0.1:$port"

    cd "$PROJECT_DIR" || return
    echo "==> migrate, then $BENCH_ACTIONS demo sheets in $BENCH_STRUCTURES structures"
    "$VENV/bin/python" manage.py migrate -v0
    "$VENV/bin/python" manage.py generate_demo_data --structures "$BENCH_STRUCTURES" \
        --actions "$BENCH_ACTIONS" --seed 1 >/dev/null
    "$VENV/bin/python" bench/portal_targets.py > "$PORTAL_WORK/targets.json"
}

serve_portal() {
    echo "==> scripts/serve on $PORTAL_URL (log: $PORTAL_WORK/server.log)"
    "$PROJECT_DIR/scripts/serve" > "$PORTAL_WORK/server.log" 2>&1 &
    GUNICORN_PID=$!
    # collectstatic compresses every file first: minutes on a loaded machine.
    for _ in $(seq 1 "${PORTAL_READY_SECONDS:-600}"); do
        curl -fsS "$PORTAL_URL/readyz" >/dev/null 2>&1 && return 0
        kill -0 "$GUNICORN_PID" 2>/dev/null || { tail -20 "$PORTAL_WORK/server.log"; return 1; }
        sleep 1
    done
    echo "gunicorn did not become ready" >&2
    return 1
}

stop_portal() {
    if [ -n "${GUNICORN_PID:-}" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
        kill -TERM "$GUNICORN_PID"
        wait "$GUNICORN_PID" 2>/dev/null || true
    fi
    stop_postgres
    [ -n "${KEEP_BENCH_WORK:-}" ] || rm -rf "${PORTAL_WORK:-/nonexistent}"
}
