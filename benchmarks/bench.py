"""``make bench``: seed kabupaten-scale data into its own database and measure.

Prints a table and writes ``benchmarks/latest.json`` (name, value, unit, target, ok). Targets
come from the issues; ``benchmarks/README.md`` explains the figures and any that miss.

Server time of pages is measured in-process with Django's test client (the full middleware
stack, no network), repeated; throughput under load uses gunicorn and wrk on loopback.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "bench-" + "x7Kq9-Lm2Pz4Rt6Vw8Yb" * 3,
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    "AXES_FAILURE_LIMIT": "100000",
    "LOG_LEVEL": "WARNING",
    "MUSRENBANG_IGNORE_ENV_FILE": "1",
}


def bench_database_url() -> str:
    base = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:54329/musrenbang"
    return base.rsplit("/", 1)[0] + "/musrenbang_bench"


@dataclass
class Row:
    name: str
    value: float
    unit: str
    target: float | None = None
    note: str = ""

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value <= self.target


RESULTS: list[Row] = []


def record(name: str, value: float, unit: str, target: float | None = None, note: str = ""):
    row = Row(name, round(value, 2), unit, target, note)
    RESULTS.append(row)
    mark = "" if row.ok is None else ("OK" if row.ok else "MELESET")
    target_text = "" if target is None else f"<= {target:g}"
    print(f"  {name:<52} {row.value:>10g} {unit:<6} {target_text:<10} {mark}", flush=True)
    return row


def prepare_database(fresh: bool) -> None:
    import psycopg2

    url = bench_database_url()
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_database where datname = 'musrenbang_bench'")
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute("drop database musrenbang_bench with (force)")
            exists = False
        if not exists:
            cursor.execute("create database musrenbang_bench")
    connection.close()
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0", "--noinput"], env=env, check=True)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "seed_scale"], env=env, check=True)
    record("seed_scale (40.000 usulan)", time.perf_counter() - started, "s")


def timed_requests(client, url: str, *, repeat: int = 20, method: str = "get", data=None):
    """Return (p50 ms, p95 ms, queries of one request, status)."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    call = getattr(client, method)
    response = call(url, data) if data is not None else call(url)  # warm up
    with connection.execute_wrapper(count):
        response = call(url, data) if data is not None else call(url)
    times = []
    for _ in range(repeat):
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


def write_results() -> None:
    out = ROOT / "benchmarks" / "latest.json"
    payload = [{**asdict(r), "ok": r.ok} for r in RESULTS]
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    missed = [r for r in RESULTS if r.ok is False]
    print(f"\nHasil ditulis ke {out.relative_to(ROOT)}; {len(missed)} target meleset.")
    for row in missed:
        print(f"  MELESET: {row.name} = {row.value} {row.unit} (target {row.target})")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", action="store_true", help="pakai data skala yang sudah ada")
    parser.add_argument("--no-load", action="store_true", help="lewati uji beban gunicorn")
    args = parser.parse_args()

    os.environ.update(BENCH_ENV)
    os.environ["DATABASE_URL"] = bench_database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "musrenbang.settings")
    print("Menyiapkan basis data benchmark ...", flush=True)
    prepare_database(fresh=not args.reuse)

    import django

    django.setup()
    from benchmarks import scenarios

    scenarios.run_all(args)
    write_results()


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
