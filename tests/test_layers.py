"""The layers hold: `lint-imports` keeps the contract in pyproject.toml, and the contract bites.

benchmarks > reports > scoring > sessions (forum) > proposals > musrenbang (master data): an app
imports only the apps below it. A wrong import fails this test, so `make test` and CI fail.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["benchmarks", "reports", "scoring", "sessions", "proposals", "musrenbang"]


def _lint_imports() -> str:
    script = Path(sys.executable).parent / "lint-imports"
    return str(script) if script.exists() else shutil.which("lint-imports") or "lint-imports"


def _run(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_lint_imports(), "--no-cache", "--no-logo"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["importlinter"]["contracts"][0]


def test_the_layers_contract_is_kept():
    result = _run(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_orders_every_app_top_to_bottom():
    contract = _contract()
    assert contract["type"] == "layers"
    assert contract["layers"] == LAYERS


def test_master_data_imports_no_workflow_app_without_exception():
    # The ignore list holds only the temporary entries marked in pyproject.toml; none of them
    # lets the master data reach up, and none is a wildcard that would hide new imports.
    ignored = _contract().get("ignore_imports", [])
    assert not [entry for entry in ignored if entry.startswith("musrenbang")]
    assert not [entry for entry in ignored if "*" in entry]


def test_a_wrong_import_breaks_the_contract(tmp_path):
    # A copy of the project's packages with one upward import: master data importing reports.
    for package in LAYERS:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "data", "*.json"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "musrenbang" / "wrong.py").write_text("from reports import documents  # noqa\n")
    result = _run(tmp_path)
    assert result.returncode != 0
    assert "musrenbang is not allowed to import reports" in result.stdout
    assert "musrenbang.wrong -> reports.documents" in result.stdout
