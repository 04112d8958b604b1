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


def test_makemigrations_check_needs_no_secret_key():
    """Writing migrations signs nothing; serving and `check` still refuse (test above)."""
    result = _run("makemigrations", "--check", "--dry-run", DEBUG="0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


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


def _make_dry_run(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"HOST", "PORT"}}
    base.update(env)
    return subprocess.run(
        ["make", "-n", "run", *args], cwd=ROOT, env=base, capture_output=True, text=True
    ).stdout


def test_make_run_passes_its_port_and_host_to_django():
    from_environment = _make_dry_run(PORT="8011")
    from_command_line = _make_dry_run("PORT=8011", "HOST=0.0.0.0")
    assert "HOST=127.0.0.1 PORT=8011" in from_environment
    assert "runserver 127.0.0.1:8011" in from_environment
    assert "HOST=0.0.0.0 PORT=8011" in from_command_line
    assert "runserver 0.0.0.0:8011" in from_command_line


def _setting(name: str, **env) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    result = _run("shell", "-c", code, DEBUG="1", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_site_url_follows_the_port_of_make_run_unless_set():
    assert _setting("SITE_URL", PORT="8011", HOST="127.0.0.1") == "http://127.0.0.1:8011"
    assert _setting("SITE_URL", PORT="8011", HOST="0.0.0.0") == "http://127.0.0.1:8011"  # noqa: S104
    assert _setting("SITE_URL", PORT="", HOST="") == "http://127.0.0.1:8000"
    chosen = _setting("SITE_URL", PORT="8011", SITE_URL="https://musrenbang.example.go.id/")
    assert chosen == "https://musrenbang.example.go.id"


def test_a_host_of_make_run_is_allowed_in_development():
    assert "'192.168.1.20'" in _setting("ALLOWED_HOSTS", HOST="192.168.1.20")


def test_demo_logins_print_the_address_of_make_run():
    result = _run("demo_logins", DEBUG="1", PORT="8011", HOST="127.0.0.1")
    assert "Buka http://127.0.0.1:8011/ " in result.stdout
    assert ":8000" not in result.stdout


def test_shared_cache_is_db_or_nothing():
    result = _run("check", DEBUG="1", CACHE_SHARED="redis")
    assert result.returncode != 0
    assert "CACHE_SHARED hanya boleh 'db'" in result.stderr
    assert _run("check", DEBUG="1", CACHE_SHARED="db").returncode == 0
