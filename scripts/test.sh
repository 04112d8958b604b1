#!/usr/bin/env bash
# Run the whole suite. With DATABASE_URL unset, a throwaway PostgreSQL cluster is started on a
# free port and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-lib.sh

if [ -z "${DATABASE_URL:-}" ]; then
  pg_find_bin
  tmp=$(mktemp -d /tmp/musrenbang-test-XXXXXX)
  chmod 755 "$tmp"
  port=$(pg_free_port)
  cleanup() { pg_stop_cluster "$tmp/data"; rm -rf "$tmp"; }
  trap cleanup EXIT
  PG_EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" pg_start_cluster "$tmp/data" "$port"
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/musrenbang"
fi
.venv/bin/pytest "$@"
