"""Headers and cookies with DEBUG off, the Content-Security-Policy, and templates it can serve.

Login throttling with the Indonesian lockout message is tested in tests/musrenbang/test_login.py.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _settings_of_production(*names: str) -> dict:
    """Read settings from ``musrenbang.settings`` in a fresh process with DEBUG=0."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "SECURE_COOKIES"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="musrenbang.settings",
        MUSRENBANG_IGNORE_ENV_FILE="1",
        DEBUG="0",
        SECRET_KEY="k" + "Zq8-vP2_mX4rT7yW1nB5cE9hJ3kL6oS0uA" * 2,
        ALLOWED_HOSTS="musrenbang.example.go.id",
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        f"print(repr({{n: getattr(settings, n) for n in {list(names)!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    import ast

    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_with_debug_off_session_and_csrf_cookies_are_secure_and_http_only():
    values = _settings_of_production(
        "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "DEBUG"
    )
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "DEBUG": False,
    }


def _script_sources(policy: str) -> str:
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = " ".join(words[1:])
    return directives.get("script-src", directives.get("default-src", ""))


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "proposals:track_form"])
def test_public_pages_send_a_csp_without_inline_or_eval_scripts(client, url_name):
    response = client.get(reverse(url_name))
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy, "tidak ada header Content-Security-Policy"
    scripts = _script_sources(policy)
    assert scripts, policy
    assert "unsafe-inline" not in scripts and "unsafe-eval" not in scripts, policy
    assert "unsafe-inline" not in _style_sources(policy), policy


def _style_sources(policy: str) -> str:
    for part in policy.split(";"):
        words = part.split()
        if words and words[0].lower() == "style-src":
            return " ".join(words[1:])
    return ""


@pytest.mark.django_db
def test_a_logged_in_page_sends_the_same_policy(as_user, camat, year):
    response = as_user(camat).get(reverse("home"), follow=True)
    policy = response.headers.get("Content-Security-Policy", "")
    assert policy and "unsafe-inline" not in _script_sources(policy)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
STYLE_ATTR = re.compile(r"\sstyle\s*=\s*[\"']", re.I)
EVENT_ATTR = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
JS_URL = re.compile(r"href\s*=\s*[\"']\s*javascript:", re.I)


def _templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


def test_the_template_folder_is_scanned():
    assert len(_templates()) > 20


KNOWN: dict[str, str] = {}  # template name -> reason, for a known offender (none now)


def _template_params():
    for path in _templates():
        name = str(path.relative_to(ROOT / "templates"))
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN[name])] if name in KNOWN else []
        yield pytest.param(path, id=name, marks=marks)


@pytest.mark.parametrize("path", list(_template_params()))
def test_no_template_holds_inline_script_style_or_event_handler(path):
    text = path.read_text()
    # JSON data blocks (<script type="application/json">) are data, not code.
    code = [
        body
        for match in INLINE_SCRIPT.finditer(text)
        if (body := match.group(1)).strip() and "application/json" not in match.group(0)[:80]
    ]
    assert not code, f"skrip inline di {path.name}"
    # PDF templates are rendered by WeasyPrint, never by a browser: the CSP does not apply.
    if "pdf" in path.parts:
        return
    assert not STYLE_ATTR.search(text), f'atribut style="..." di {path.name}'
    assert not EVENT_ATTR.search(text), f"penangan kejadian inline (on...=) di {path.name}"
    assert not JS_URL.search(text), f"tautan javascript: di {path.name}"
