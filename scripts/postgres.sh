#!/usr/bin/env bash
# `scripts/postgres.sh start` starts a private PostgreSQL cluster on 127.0.0.1 (a free
# port) with a test database, and prints the export line for GIP_TEST_POSTGRES_URL.
# `scripts/postgres.sh stop` stops it; `scripts/postgres.sh status` exits 0 while it runs.
# `./dev test` stops the server at its end when that run started it. The cluster lives under /tmp, one per checkout:
# PostgreSQL refuses to run as root, and the postgres user may not be able to enter
# the checkout (a clone inside a private temporary folder, say).
set -euo pipefail
cd "$(dirname "$0")/.."
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
[ -n "$bindir" ] || { echo "PostgreSQL is not installed" >&2; exit 1; }
data=/tmp/gip-pgdata-$(printf %s "$PWD" | sha256sum | cut -c1-12)
run_as() {  # PostgreSQL refuses to run as root
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd -r -m postgres
        chown -R postgres "$data" 2>/dev/null || true
        su postgres -s /bin/bash -c "$*"
    else
        bash -c "$*"
    fi
}
case "${1:-start}" in
    start)
        if [ -f "$data/port" ] && run_as "$bindir/pg_ctl -D $data/db status" >/dev/null 2>&1; then
            port=$(cat "$data/port")
        else
            rm -rf "$data"; mkdir -p "$data"
            if [ "$(id -u)" = 0 ]; then id postgres >/dev/null 2>&1 || useradd -r -m postgres; chown postgres "$data"; fi
            port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
            echo "$port" > "$data/port"
            run_as "$bindir/initdb -D $data/db -U gip --auth=trust -E UTF8 --locale=C.UTF-8" >&2
            run_as "$bindir/pg_ctl -D $data/db -l $data/log -o '-h 127.0.0.1 -p $port -k $data -c fsync=off -c max_connections=200' -w start" >&2
            run_as "$bindir/createdb -h 127.0.0.1 -p $port -U gip gip_test" >&2
        fi
        echo "export GIP_TEST_POSTGRES_URL=postgresql+psycopg://gip@127.0.0.1:$port/gip_test"
        ;;
    stop)
        run_as "$bindir/pg_ctl -D $data/db -m fast stop" >&2 || true
        ;;
    status)
        [ -f "$data/port" ] && run_as "$bindir/pg_ctl -D $data/db status" >/dev/null 2>&1
        ;;
    *)
        echo "usage: scripts/postgres.sh start|stop|status" >&2
        exit 2
        ;;
esac
