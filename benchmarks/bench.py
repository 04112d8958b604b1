"""``make bench``: seed kabupaten-scale data into its own database and measure.

Prints a table and writes ``benchmarks/latest.json`` (name, value, unit, target, ok). Targets
come from the issues; ``benchmarks/README.md`` explains the figures and any that miss.

Server time of pages is measured in-process with Django's test client (the full middleware
stack, no network), repeated; throughput under load uses gunicorn and wrk on loopback.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.results import record, write_results  # noqa: E402

SCENARIOS = ("pages", "actions", "excel", "sipd", "pdfs", "load", "forumday")
# --small: a kabupaten of a few proposals, for the bench's own test (figures mean nothing).
SMALL_SEED = ["--kecamatan", "3", "--desa-per-kecamatan", "2", "--usulan-per-desa", "3",
              "--peserta", "10", "--penilai", "1"]  # fmt: skip

BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x7Kq9-Lm2Pz4Rt6Vw8Yb" * 3,
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "AXES_FAILURE_LIMIT": "100000",
    "LOG_LEVEL": "WARNING",
    "MUSRENBANG_IGNORE_ENV_FILE": "1",
    # The kabupaten deployment the README recommends: pages rendered once per change for all
    # server processes, not once per process.
    "CACHE_SHARED": "db",
}


def bench_database_name() -> str:
    return os.environ.get("BENCH_DATABASE") or "musrenbang_bench"


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:54329/musrenbang"
    return base.rsplit("/", 1)[0] + "/" + bench_database_name()


def prepare_database(*, fresh: bool, small: bool = False) -> None:
    import psycopg2

    url = bench_database_url()
    name = bench_database_name()
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_database where datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute(f'drop database "{name}" with (force)')
            exists = False
        if not exists:
            cursor.execute(f'create database "{name}"')
    connection.close()
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0", "--noinput"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "seed_scale", *(SMALL_SEED if small else [])], env=env, check=True)
    if not small:
        record("seed_scale (40.000 usulan)", time.perf_counter() - started, "s")


def timed_requests(
    client, url: str, *, repeat: int = 20, method: str = "get", data=None, before=None
):
    """Return (p50 ms, p95 ms, queries of one request, status).

    ``before`` (untimed) runs before each request, e.g. to empty the fragment cache so that the
    figure is the cost of the first request after a change.
    """
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    call = getattr(client, method)
    before = before or (lambda: None)
    response = call(url, data) if data is not None else call(url)  # warm up
    before()
    with connection.execute_wrapper(count):
        response = call(url, data) if data is not None else call(url)
    times = []
    for _ in range(repeat):
        before()
        started = time.perf_counter()
        call(url, data) if data is not None else call(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return statistics.median(times), p95, len(executed), response.status_code


def measure_page(client, name: str, url: str, target_ms: float | None, **kwargs):
    p50, p95, queries, status = timed_requests(client, url, **kwargs)
    if status != 200:
        record(f"{name}: status", status, "http", 200, "halaman tidak menjawab 200")
        return
    record(f"{name} p50", p50, "ms", target_ms)
    record(f"{name} p95", p95, "ms")
    record(f"{name} kueri", queries, "kueri")


def run_child(code: str) -> tuple[float, float]:
    """Run Python ``code`` in a fresh process; return (seconds, peak RSS MB) it reports."""
    wrapper = (
        "import os, sys, time, django\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'musrenbang.settings')\n"
        "django.setup()\n"
        "started = time.perf_counter()\n"
        f"{code}\n"
        "elapsed = time.perf_counter() - started\n"
        # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork+exec, so a child would
        # report the bench process's own size.
        "peak = next(int(x.split()[1]) for x in open('/proc/self/status') "
        "if x.startswith('VmHWM')) / 1024\n"
        "print(f'BENCH {elapsed} {peak}')\n"
    )
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": bench_database_url()}
    result = subprocess.run(
        [sys.executable, "-c", wrapper], env=env, capture_output=True, text=True, check=False
    )
    for line in result.stdout.splitlines():
        if line.startswith("BENCH "):
            _, seconds, peak = line.split()
            return float(seconds), float(peak)
    raise RuntimeError(f"child failed:\n{result.stdout}\n{result.stderr}")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", action="store_true", help="pakai data skala yang sudah ada")
    parser.add_argument("--no-load", action="store_true", help="lewati uji beban gunicorn")
    parser.add_argument(
        "--only", default=",".join(SCENARIOS), help=f"skenario, dipisah koma: {','.join(SCENARIOS)}"
    )
    parser.add_argument("--small", action="store_true", help="data kecil (uji bench itu sendiri)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "latest.json")
    args = parser.parse_args()
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(args.only) - set(SCENARIOS)
    if unknown:
        parser.error(f"skenario tidak dikenal: {', '.join(sorted(unknown))}")
    if {"load", "forumday"} & set(args.only) and not args.no_load and shutil.which("wrk") is None:
        # Fail before seeding: a load test that cannot run must not read as a pass.
        sys.exit(
            "GAGAL: wrk tidak terpasang, uji beban tidak bisa diukur. Pasang dengan "
            "`apt-get install wrk` (make bench memasangnya sendiri) atau jalankan dengan "
            "ARGS=--no-load."
        )

    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")
    print("Menyiapkan basis data benchmark ...", flush=True)
    prepare_database(fresh=not args.reuse, small=args.small)

    import django

    django.setup()
    from benchmarks import scenarios

    try:
        scenarios.run_all(args)
    finally:  # what was measured before a failure is still written
        status = write_results(args.out)
    sys.exit(status)


if __name__ == "__main__":
    # The media of the bench database lives as long as that database (--reuse keeps both).
    media = ROOT / "benchmarks" / "media"
    if "--reuse" not in sys.argv:
        shutil.rmtree(media, ignore_errors=True)
    media.mkdir(parents=True, exist_ok=True)
    tmp_static = tempfile.mkdtemp(prefix="musrenbang-bench-static-")
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ["STATIC_ROOT"] = tmp_static
    try:
        main()
    finally:
        shutil.rmtree(tmp_static, ignore_errors=True)
