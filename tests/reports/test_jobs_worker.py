"""A real ``manage.py db_worker`` process picks a queued job and finishes it."""

import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.models import DocumentJob
from tests.reports.job_helpers import body, job_of, start_worker, stop_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_db_worker_process_runs_the_queued_jobs(sent, regency, year, clerk, bappeda, as_user,
                                                  pdf_text, client):  # fmt: skip
    staff = job_of(
        as_user(clerk).post(reverse("reports:document", args=[sent.forum.pk, "daftar-hadir"]))
    )
    overview = job_of(
        as_user(bappeda).post(
            reverse("reports:overview_export", args=[regency.code]) + "?tahun=2027"
        )
    )
    assert {staff.state, overview.state} == {DocumentJob.State.QUEUED}
    # --batch: the worker runs what is queued, then exits (the timeout bounds a hang).
    process = start_worker("--batch")
    try:
        process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        stop_worker(process)
        raise
    output = stop_worker(process)
    assert process.returncode == 0, output
    for job in (staff, overview):
        job.refresh_from_db()
        assert (job.state, job.progress, job.attempts) == (DocumentJob.State.DONE, 100, 1), (
            job.error,
            output,
        )
    assert "reports.jobs.run_document_job" in output  # the worker's own log of the task
    pdf = body(as_user(clerk).get(reverse("reports:job_download", args=[staff.pk])))
    assert "DAFTAR HADIR" in pdf_text(pdf).upper()
    xlsx = body(as_user(bappeda).get(reverse("reports:job_download", args=[overview.pk])))
    assert load_workbook(BytesIO(xlsx)).sheetnames[0] == "Kecamatan 2027"


def test_a_running_worker_picks_a_job_queued_after_it_started(sent, clerk, as_user,
                                                              worker_process):  # fmt: skip
    job = job_of(
        as_user(clerk).post(reverse("reports:document", args=[sent.forum.pk, "berita-acara"]))
    )
    job = wait_for(job, timeout=90)
    assert job.state == DocumentJob.State.DONE, (job.error, stop_worker(worker_process))
    assert job.file.name == f"dokumen/tugas/{job.pk}/hasil.pdf"
