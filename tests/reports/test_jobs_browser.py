"""The waiting page in Chromium: queued, progress from a real worker, then the download link."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import DocumentJob
from tests.factories import PASSWORD
from tests.reports.job_helpers import start_worker, stop_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_the_waiting_page_turns_into_the_download_link(live_server, page, sent, clerk, pdf_text):
    _login(page, live_server.url, "clerk")
    page.goto(f"{live_server.url}/dokumen/forum/{sent.forum.pk}/")
    # No worker yet: the job waits in the queue and the page says so.
    page.get_by_role("button", name="Terisi (yang hadir)").click()
    expect(page).to_have_url(re.compile(r"/dokumen/tugas/\d+/$"))
    expect(page.get_by_role("heading", name="Daftar Hadir")).to_be_visible()
    expect(page.get_by_text("Menunggu giliran")).to_be_visible()
    bar = page.get_by_label("Kemajuan pembuatan dokumen")
    expect(bar).to_have_attribute("value", "0")
    expect(page.get_by_role("link", name=re.compile("^Unduh"))).to_have_count(0)
    job = DocumentJob.objects.get()
    assert job.state == DocumentJob.State.QUEUED
    # A worker starts: the page (polling, never reloaded by the test) shows the link.
    worker = start_worker()
    try:
        link = page.get_by_role("link", name=re.compile(r"^Unduh daftar-hadir-.*\.pdf$"))
        expect(link).to_be_visible(timeout=90_000)
    finally:
        output = stop_worker(worker)
    expect(page.locator(".alert-success")).to_contain_text("Dokumen selesai dibuat")
    expect(page.get_by_label("Kemajuan pembuatan dokumen")).to_have_count(0)
    job.refresh_from_db()
    assert job.state == DocumentJob.State.DONE, output
    page.screenshot(path=_artifact("job-done.png"), full_page=True)
    # The PDF opens inline like the other printed documents; fetch it with the page's session.
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    content = response.body()
    assert content.startswith(b"%PDF-")
    assert sent.forum.participants.filter(present_at__isnull=False).first().name in pdf_text(
        content
    )


def test_a_failed_job_shows_the_error_and_coba_lagi(live_server, page, sent, clerk):
    _login(page, live_server.url, "clerk")
    page.goto(f"{live_server.url}/dokumen/forum/{sent.forum.pk}/")
    page.get_by_role("button", name="Lihat draf Berita Acara (PDF, bertanda DRAF)").click()
    expect(page).to_have_url(re.compile(r"/dokumen/tugas/\d+/$"))
    # The forum loses its date before the worker runs: a domain refusal, final at once.
    type(sent.forum).objects.filter(pk=sent.forum.pk).update(date=None)
    worker = start_worker()
    try:
        expect(page.get_by_role("alert")).to_contain_text(
            "Tanggal pelaksanaan forum belum diisi", timeout=90_000
        )
    finally:
        stop_worker(worker)
    expect(page.get_by_role("button", name="Coba lagi")).to_be_visible()
    page.screenshot(path=_artifact("job-failed.png"), full_page=True)


def _artifact(name: str) -> str:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
