"""Run the document jobs of a test.

Most tests run the queued tasks in their own process and transaction (``run_queued``): the
same call ``db_worker`` makes (``task.call`` on each ready row of the queue table), without a
second process, so a test sees every state the page would show and stays fast. That only
works because the request really wrote the queue's row: a view that rendered in the request,
or forgot to enqueue, leaves nothing to run and the test fails.

``worker_process`` starts a real ``manage.py db_worker`` on the test database and media
folder (for tests that use ``transactional_db`` or ``live_server``, whose rows other
connections see): the browser tests and the one test that a real worker picks up a job.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from reports.models import DocumentJob

ROOT = Path(__file__).resolve().parents[2]
READY = "READY"


def run_queued(*, include_delayed: bool = False, rounds: int = 10) -> int:
    """Run every ready task of the queue (``include_delayed``: retries waiting their delay).

    Return how many ran. The row is claimed and finished like ``db_worker`` does.
    """
    count = 0
    for _ in range(rounds):
        rows = DBTaskResult.objects.ready() if not include_delayed else DBTaskResult.objects
        rows = list(rows.filter(status=READY).order_by("enqueued_at"))
        if not rows:
            break
        for row in rows:
            row.claim("test")
            result = row.task_result
            row.task.call(*result.args, **result.kwargs)
            row.set_successful(None)
            count += 1
    return count


def queued_tasks() -> int:
    return DBTaskResult.objects.filter(status=READY).count()


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*extra: str) -> subprocess.Popen:
    """Start ``manage.py db_worker`` on the test database and media folder."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "musrenbang.settings_test",
        "DATABASE_URL": _database_url(),
        "MUSRENBANG_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "MUSRENBANG_IGNORE_ENV_FILE": "1",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
    return subprocess.Popen(
        [*command, "--interval", "0.2", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_worker(process: subprocess.Popen) -> str:
    """Stop the worker (SIGTERM: it finishes the running task first) and return its output."""
    if process.poll() is None:
        process.terminate()
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""


def wait_for(job: DocumentJob, *, timeout: float = 60) -> DocumentJob:
    """Wait until ``job`` is done or failed (read from the database) and return it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if not job.is_pending:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job.pk} still {job.state} after {timeout} s")


def job_of(response) -> DocumentJob:
    """Return the job a document button's redirect leads to (``/dokumen/tugas/<id>/``)."""
    assert response.status_code == 302 and "/dokumen/tugas/" in response.url, (
        response.status_code,
        response.get("Location"),
    )
    return DocumentJob.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[1]))


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def fetch_document(client, url: str, data: dict | None = None):
    """Press a document button (POST ``url``), run the queued job, return the download."""
    from django.urls import reverse

    job = job_of(client.post(url, data or {}))
    assert run_queued() >= 1
    job.refresh_from_db()
    assert job.is_done, (job.state, job.error)
    return client.get(reverse("reports:job_download", args=[job.pk]), follow=True)
