#!/usr/bin/env bash
# The development database. `db.sh env` prints `export DATABASE_URL=...` for the shell to eval:
# the given DATABASE_URL when set, otherwise a project-local PostgreSQL cluster under .pgdata/
# (started on demand, on its own port and socket so it never collides with a server on 5432).
# `db.sh stop` stops that cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/pg-lib.sh

cmd=${1:-env}
data_dir="$PWD/.pgdata"
port=${MUSRENBANG_PGPORT:-54329}

case "$cmd" in
  env)
    if [ -n "${DATABASE_URL:-}" ]; then
      printf 'export DATABASE_URL=%q\n' "$DATABASE_URL"
      exit 0
    fi
    pg_find_bin
    pg_start_cluster "$data_dir" "$port" >&2
    pg_create_db "$port" musrenbang >&2
    printf 'export DATABASE_URL=%q\n' "postgres://postgres@127.0.0.1:$port/musrenbang"
    ;;
  stop)
    pg_find_bin
    pg_stop_cluster "$data_dir"
    ;;
  *) echo "pemakaian: scripts/db.sh env|stop" >&2; exit 2 ;;
esac
