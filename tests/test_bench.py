"""`make bench` writes every figure it prints, and a measurement it could not make is no pass."""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "musrenbang_bench_selftest"


def _bench(*args, env=None, timeout=600):
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), *args],
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE": BENCH_DATABASE, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def bench_database():
    yield
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    connection = psycopg2.connect(base + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'drop database if exists "{BENCH_DATABASE}" with (force)')
    connection.close()


def test_every_printed_figure_of_a_scenario_is_in_the_json(tmp_path, bench_database):
    out = tmp_path / "latest.json"
    result = _bench("--small", "--only", "pages", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(out.read_text(encoding="utf-8"))
    names = [row["name"] for row in rows]
    summary = ("  MELESET:", "  GAGAL:", "  DILEWATI:")  # the closing list of misses
    printed = [
        line
        for line in result.stdout.splitlines()
        if line.startswith("  ") and not line.startswith(summary)
    ]
    assert len(rows) == len(printed) > 10
    assert any(name.startswith("Daftar usulan masuk") and name.endswith("p50") for name in names)
    assert "Hitung pertama (1.000 x 8 x 5 nilai)" in names
    assert all(row["name"] in line for row, line in zip(rows, printed, strict=True))


def test_bench_refuses_to_start_without_wrk_instead_of_a_load_figure_of_zero(tmp_path):
    out = tmp_path / "latest.json"
    result = _bench("--out", str(out), env={"PATH": str(tmp_path)}, timeout=60)
    assert result.returncode != 0
    assert "wrk tidak terpasang" in result.stderr
    assert not out.exists()


def test_a_measurement_that_failed_is_written_as_failed_and_fails_the_run(tmp_path, capsys):
    from benchmarks import results

    results.RESULTS.clear()
    try:
        results.record("Hitung", 0.2, "s", 1)
        results.record_failure("Uji beban", "wrk tidak terpasang")
        results.record_skipped("Ekspor", "dilewati atas permintaan")
        status = results.write_results(tmp_path / "latest.json")
    finally:
        results.RESULTS.clear()
    rows = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert status == 1
    assert [(row["name"], row["ok"]) for row in rows] == [
        ("Hitung", True),
        ("Uji beban", False),
        ("Ekspor", None),
    ]
    summary = capsys.readouterr().out
    assert "1 pengukuran gagal, 1 dilewati" in summary
    assert "GAGAL: Uji beban: wrk tidak terpasang" in summary


def _fake_bin(tmp_path: Path, apt_status: int) -> Path:
    folder = tmp_path / "bin"
    folder.mkdir()
    apt = folder / "apt-get"
    apt.write_text(f'#!/bin/bash\necho "$@" >> {tmp_path}/apt.log\nexit {apt_status}\n')
    apt.chmod(0o755)
    return folder


@pytest.mark.skipif(os.geteuid() != 0, reason="installs as root, like .ci/run")
def test_make_bench_installs_wrk_when_missing(tmp_path):
    folder = _fake_bin(tmp_path, apt_status=0)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts" / "bench-needs.sh")],
        env={"PATH": str(folder)},
        capture_output=True,
        text=True,
    )
    log = (tmp_path / "apt.log").read_text()
    assert "install -y -qq --no-install-recommends wrk" in log
    # The fake apt-get installs nothing: still no wrk, so the bench stops loudly.
    assert result.returncode != 0
    assert "GAGAL: wrk tidak terpasang" in result.stderr


def test_make_bench_runs_the_install_step_before_measuring():
    dry = subprocess.run(
        ["make", "-n", "bench"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert dry.index("scripts/bench-needs.sh") < dry.index("benchmarks/bench.py")
