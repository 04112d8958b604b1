# Shared helpers for a private PostgreSQL cluster (sourced by db.sh and test.sh).

pg_find_bin() {
  PG_BIN=""
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) ; do
    if [ -x "$d/initdb" ]; then PG_BIN=$d; break; fi
  done
  if [ -z "$PG_BIN" ] && command -v initdb >/dev/null 2>&1; then PG_BIN=$(dirname "$(command -v initdb)"); fi
  if [ -z "$PG_BIN" ]; then
    echo "PostgreSQL tidak ditemukan: pasang server PostgreSQL (Debian: apt-get install postgresql) atau isi DATABASE_URL dengan alamat server yang ada." >&2
    exit 1
  fi
}

# Run a PostgreSQL binary as the postgres user when we are root (initdb refuses root).
pg_run() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start_cluster() { # data_dir port
  local data_dir=$1 port=$2
  mkdir -p "$data_dir"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$data_dir"; fi
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    pg_run "$PG_BIN/initdb" -D "$data_dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if pg_run "$PG_BIN/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then return 0; fi
  pg_run "$PG_BIN/pg_ctl" -D "$data_dir" -l "$data_dir/server.log" -w start \
    -o "-p $port -k $data_dir -c listen_addresses=127.0.0.1 ${PG_EXTRA_OPTS:-}" >/dev/null \
    || { echo "PostgreSQL gagal dijalankan; lihat $data_dir/server.log" >&2; tail -5 "$data_dir/server.log" >&2; exit 1; }
}

pg_create_db() { # port name
  local port=$1 name=$2
  if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$name'" postgres | grep -q 1; then
    "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "create database $name" postgres
  fi
}

pg_stop_cluster() { # data_dir
  local data_dir=$1
  if [ -f "$data_dir/PG_VERSION" ]; then pg_run "$PG_BIN/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true; fi
}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
