#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests: `source scripts/test_postgres.sh start` exports
# DENSAULYQ_TEST_PG_URL (a superuser URL; tests create their own databases), `scripts/test_postgres.sh stop` ends it.
# initdb refuses to run as root, so as root the cluster belongs to the unprivileged `postgres` (or `nobody`) user.
# Installs Debian's postgresql package when the binaries are missing. Used by .ci/run.
set -euo pipefail

PG_DIR="${DENSAULYQ_PG_DIR:-${TMPDIR:-/tmp}/densaulyq-pg}"
PG_PORT="${DENSAULYQ_PG_PORT:-55432}"

_find_bin() {
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  local d; d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$d" ]; then echo "$d"; return; fi
  echo "==> PostgreSQL binaries missing: apt-get install -y postgresql" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1
}

_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local owner="postgres"; id -u postgres >/dev/null 2>&1 || owner="nobody"
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

pg_start() {
  local bin; bin="$(_find_bin)"
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    local owner="postgres"; id -u postgres >/dev/null 2>&1 || owner="nobody"
    chown "$owner" "$PG_DIR"
  fi
  _as_owner "$bin/initdb" -D "$PG_DIR/data" -U densaulyq --auth=trust -E UTF8 >"$PG_DIR/initdb.log" 2>&1
  _as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=300 -c fsync=off" start >/dev/null
  export DENSAULYQ_TEST_PG_URL="postgresql+psycopg://densaulyq@127.0.0.1:$PG_PORT/postgres"
  echo "==> PostgreSQL for tests: $DENSAULYQ_TEST_PG_URL (data in $PG_DIR)"
}

pg_stop() {
  local bin; bin="$(_find_bin)"
  [ -d "$PG_DIR/data" ] && _as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}

case "${1:-start}" in
  start) pg_start ;;
  stop) pg_stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
