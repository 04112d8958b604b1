"""Two gunicorn app servers share one database and keep no state in a process.

The servers run the production settings (DEBUG off, collected static files) against the test
database; a person logs in on one server and continues on the other, as behind a load balancer.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    folder = tmp_path_factory.mktemp("static")
    env = _server_env(folder, "postgres://unused@127.0.0.1:1/unused")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    return folder


def _server_env(static_root, database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="musrenbang.settings",
        MUSRENBANG_IGNORE_ENV_FILE="1",
        DEBUG="0",
        SECRET_KEY="scale-out-" + "Pq7-Wx3_Zr9Lk2Mn5Bv8" * 3,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",  # plain http on loopback: a browser would drop Secure cookies
        STATIC_ROOT=str(static_root),
        DATABASE_URL=database_url,
    )
    return env


@pytest.fixture
def app_servers(static_root):
    """Start two gunicorn servers on the test database; yield their base URLs."""
    env = _server_env(static_root, _database_url())
    processes, urls = [], []
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    for _ in range(2):
        port = _free_port()
        processes.append(
            subprocess.Popen(
                [gunicorn, "musrenbang.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            _wait_until_up(url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/masuk/", timeout=2)  # noqa: S310 - loopback test
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server {url} did not start")


class Browser:
    """A tiny cookie-keeping HTTP client (what a browser does across two servers)."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post(self, url: str, data: dict) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
        try:
            with self.opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def login(self, base: str, username: str) -> None:
        self.get(f"{base}/masuk/")
        status, html = self.post(f"{base}/masuk/", {"username": username, "password": PASSWORD})
        assert status == 200 and "Keluar" in html, html[:500]


def _production_password(user) -> None:
    """Hash the test password with a hasher the production settings accept."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])


def test_login_on_one_server_continues_on_the_other(app_servers, camat, year, subdistrict):
    first, second = app_servers
    _production_password(camat)
    browser = Browser()
    browser.login(first, "camat")
    status, html = browser.get(f"{second}/kecamatan/{subdistrict.code}/")
    assert status == 200
    assert "Kecamatan Sukamaju" in html
    # Static files are served by the app itself (whitenoise, hashed names).
    css = re.search(r'href="(/static/bootstrap/css/bootstrap\.min\.[0-9a-f]+\.css)"', html)
    assert css, "the page links Bootstrap from the app"
    assert browser.get(f"{second}{css.group(1)}")[0] == 200


def test_a_forum_sent_on_one_server_is_locked_on_the_other(
    app_servers, camat, year, subdistrict, agency
):
    from scoring.models import Score
    from scoring.services import forum_compute, result_decide
    from sessions.models import Forum
    from tests.scoring.factories import forum_with_items, score_all

    forum, items, criteria = forum_with_items(subdistrict, items=2)
    score_all(items, criteria, camat, value=3)
    forum_compute(forum=forum, actor=camat)
    for item in items:
        item.result.refresh_from_db()
        result_decide(result=item.result, decision="prioritas", actor=camat, agency=agency)
    _production_password(camat)
    first, second = app_servers
    on_first, on_second = Browser(), Browser()
    on_first.login(first, "camat")
    on_second.login(second, "camat")

    status, html = on_first.post(f"{first}/skoring/forum/{forum.pk}/kirim/", {})
    assert status == 200 and "dikirim ke OPD" in html
    forum.refresh_from_db()
    assert forum.state == Forum.State.SENT

    # The other server was up all along and keeps no copy of the forum: it refuses the write.
    cell = {"item": items[0].pk, "criterion": criteria[0].pk, "value": 5}
    status, html = on_second.post(f"{second}/skoring/forum/{forum.pk}/nilai/", cell)
    assert "tidak dapat diubah" in html or "sudah dikirim" in html, html[:300]
    assert Score.objects.get(item=items[0], criterion=criteria[0]).value == 3
    # And its pages show the forum as sent, without edit controls.
    status, html = on_second.get(f"{second}/skoring/forum/{forum.pk}/hasil/")
    assert status == 200 and "sudah dikirim ke OPD" in html
    assert f"/skoring/forum/{forum.pk}/kirim/" not in html
