# shellcheck shell=bash
# Sourced by scripts/replica and bench/replica: a PostgreSQL streaming replica of a running
# primary, made with pg_basebackup (docs/deployment.md, « Une réplique pour les lectures »).
#
# create_replica PRIMARY_URL DIR [PORT]: copies the primary (postgres://user:password@host:port/db;
#   the user needs the REPLICATION attribute, and the primary's pg_hba.conf a "replication" line
#   for it: initdb writes one for 127.0.0.1) into DIR/data with --write-recovery-conf, which
#   writes standby.signal and primary_conninfo, then starts it on 127.0.0.1:PORT (a spare port by
#   default), its socket in DIR. Exports REPLICA_URL: the same user and database on the replica.
# stop_replica DIR / start_replica DIR: stops it (fast: its sessions are cut) / starts it again.
# remove_replica DIR: stops it and removes DIR.
#
# The copy follows the primary without a replication slot: a replica stopped for long may find
# the WAL it needs recycled by the primary, and must then be created again. That suits the
# tests and benchmarks; a production replica uses a slot (docs/deployment.md).

# shellcheck source=scripts/_postgres.sh
source "$(dirname "${BASH_SOURCE[0]}")/_postgres.sh"

# As the postgres user when run as root (PostgreSQL refuses to run as root).
_as_server_user() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

create_replica() {
    local primary_url="$1" dir="$2" port="${3:-}" pgbin
    pgbin="$(pg_bindir)"
    [ -n "$port" ] || port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    mkdir -p "$dir"
    chmod 755 "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$dir"
    (cd /tmp && _as_server_user "$pgbin/pg_basebackup" --dbname="$primary_url" \
        --pgdata="$dir/data" --write-recovery-conf --wal-method=stream --checkpoint=fast \
        --no-sync)
    # hot_standby_feedback: the primary's vacuum keeps the rows a replica's query still reads,
    # instead of that query being cancelled ("conflict with recovery").
    printf '%s\n' "-k $dir -h 127.0.0.1 -p $port -c hot_standby_feedback=on -c fsync=off ${REPLICA_EXTRA_OPTIONS:-}" \
        > "$dir/options"
    start_replica "$dir"
    REPLICA_URL="$(python3 -c '
import sys
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
credentials = url.netloc.rpartition("@")[0]
print(url._replace(netloc=f"{credentials}@" * bool(credentials) + f"127.0.0.1:{sys.argv[2]}").geturl())
' "$primary_url" "$port")"
    export REPLICA_URL
    echo "==> PostgreSQL replica on 127.0.0.1:$port (data: $dir/data)"
}

start_replica() {
    local dir="$1"
    _as_server_user "$(pg_bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "$(cat "$dir/options")" start >/dev/null
}

stop_replica() {
    local dir="$1"
    _as_server_user "$(pg_bindir)/pg_ctl" -D "$dir/data" -m fast stop >/dev/null
}

remove_replica() {
    local dir="$1"
    if [ -f "$dir/data/postmaster.pid" ]; then stop_replica "$dir" || true; fi
    rm -rf "$dir"
}
