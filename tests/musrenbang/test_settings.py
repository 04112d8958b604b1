"""Production settings refuse an unsafe configuration; a safe one passes check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE", "SECURE_SSL_REDIRECT"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "musrenbang.settings"
    base["MUSRENBANG_IGNORE_ENV_FILE"] = "1"
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _run("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY wajib diisi" in result.stderr


def test_refuses_a_short_or_insecure_secret_key():
    assert _run("check", DEBUG="0", SECRET_KEY="pendek").returncode != 0
    insecure = "django-insecure-" + "x1y2z3" * 10
    assert _run("check", DEBUG="0", SECRET_KEY=insecure).returncode != 0


def test_refuses_a_database_that_is_not_postgresql():
    result = _run("check", DEBUG="1", DATABASE_URL="sqlite:///tmp/db.sqlite3")
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_check_deploy_is_clean_with_a_real_configuration():
    result = _run(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="k" + "Zq8-vP2_mX4rT7yW1nB5cE9hJ3kL6oS0uA" * 2,
        ALLOWED_HOSTS="musrenbang.example.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
