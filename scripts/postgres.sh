#!/usr/bin/env bash
# Start a throwaway PostgreSQL on loopback for tests and benchmarks, installing
# Debian's package if needed. Prints the server URL (without a database name).
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
DATA=${WUFEI_PG_DATA:-/tmp/wufei-pg}
PORT=${WUFEI_PG_PORT:-55432}
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }
if ! as_postgres "$BIN/pg_ctl -D $DATA status" >/dev/null 2>&1; then
  rm -rf "$DATA"; mkdir -p "$DATA"
  [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  as_postgres "$BIN/initdb -D $DATA -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  as_postgres "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w start -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200'" >/dev/null
fi
echo "postgresql://postgres@127.0.0.1:$PORT"
