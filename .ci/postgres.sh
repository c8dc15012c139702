# Start a throw-away PostgreSQL server on 127.0.0.1 and export GTCODE_TEST_PG_URL (source this file).
set -euo pipefail
PG_BIN=$(dirname "$(command -v initdb 2>/dev/null || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
if [ ! -x "$PG_BIN/initdb" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PG_BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
fi
PG_DATA=$(mktemp -d /tmp/gtcode-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUN_AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DATA"; RUN_AS="runuser -u postgres --"; fi
$RUN_AS "$PG_BIN/initdb" -D "$PG_DATA/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
$RUN_AS "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/log" -w \
    -o "-p $PG_PORT -k $PG_DATA -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
export GTCODE_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
export GTCODE_TEST_PG_STOP="$RUN_AS $PG_BIN/pg_ctl -D $PG_DATA/data -m fast stop"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"
set +euo pipefail
