# shellcheck shell=bash
# Sourced by scripts that need a throw-away Redis server (benchmarks): start_redis starts
# Debian's redis-server on a spare port of 127.0.0.1, without persistence, and exports
# REDIS_URL (the portal's page cache, docs/deployment.md); stop_redis stops it. The caller
# stops it on exit (its trap), after anything else it started.

start_redis() {
    apt_install redis-server
    REDIS_DIR="$(mktemp -d /tmp/portal-redis.XXXXXX)"
    REDIS_PORT="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no \
        --maxmemory 256mb --maxmemory-policy allkeys-lru --dir "$REDIS_DIR" \
        --daemonize yes --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
    for _ in $(seq 1 50); do
        [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && break
        sleep 0.1
    done
    export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
    echo "==> Redis on 127.0.0.1:$REDIS_PORT"
}

stop_redis() {
    if [ -n "${REDIS_DIR:-}" ] && [ -f "$REDIS_DIR/redis.pid" ]; then
        redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        rm -rf "$REDIS_DIR"
    fi
}
