"""A camat finalises the Berita Acara of a sent forum, downloads it and verifies it."""

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import ArchivedDocument
from tests.factories import PASSWORD
from tests.reports.factories import sent_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_camat_finalises_downloads_and_verifies_the_minutes(
    live_server, page, camat, subdistrict, village, year, worker_process
):
    data = sent_forum(subdistrict, villages=[village])
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nama pengguna").fill("camat")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("link", name="Dokumen", exact=True).click()
    expect(
        page.get_by_role("heading", name="Dokumen Musrenbang Kecamatan Sukamaju")
    ).to_be_visible()
    count = page.get_by_label("Jumlah peserta dalam Berita Acara")
    expect(count).to_have_value("8")
    count.fill("9")
    page.get_by_label("Nomor Berita Acara").fill("050/7/BA/2026")
    page.get_by_label("Saya mengerti").check()
    page.screenshot(path=_artifact("reports-before-finalise.png"), full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Finalkan Berita Acara").click()
    expect(page.get_by_text("Berita Acara final diarsipkan")).to_be_visible(timeout=30_000)
    archived = ArchivedDocument.objects.get(forum=data.forum)
    assert archived.participant_count == 9
    page.screenshot(path=_artifact("reports-finalised.png"), full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh Berita Acara final (PDF)").click()
    content = Path(info.value.path()).read_bytes()
    assert content.startswith(b"%PDF-")
    assert hashlib.sha256(content).hexdigest() == archived.sha256

    page.get_by_role("link", name="Halaman verifikasi").click()
    expect(page.get_by_role("heading", name="Verifikasi dokumen final")).to_be_visible()
    expect(page.locator("#sha256")).to_have_text(archived.sha256)
    page.get_by_label("Berkas PDF untuk dibandingkan").set_input_files(info.value.path())
    page.get_by_role("button", name="Bandingkan", exact=True).click()
    expect(page.get_by_text("COCOK: berkas yang Anda unggah identik")).to_be_visible()
    page.screenshot(path=_artifact("reports-verified.png"), full_page=True)


def _artifact(name: str) -> str:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)


def test_finalising_shows_that_it_works_and_cannot_be_sent_twice(
    live_server, page, camat, subdistrict, village, year, worker_process
):
    data = sent_forum(subdistrict, villages=[village])
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nama pengguna").fill("camat")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.goto(f"{live_server.url}/dokumen/forum/{data.forum.pk}/")
    page.get_by_label("Nomor Berita Acara").fill("050/8/BA/2026")
    page.get_by_label("Saya mengerti").check()
    # Hold the POST (it only queues the worker's job, but a slow network holds it too) and look
    # at the page meanwhile. Playwright waits for a pending navigation before it reads a page,
    # so the answer goes to a frame.
    page.evaluate(
        """() => {
          const frame = document.createElement("iframe");
          frame.name = "answer";
          document.body.append(frame);
          document.querySelector("form[data-busy]").target = "answer";
        }"""
    )
    held = []
    page.route("**/finalkan/", lambda route: held.append(route))
    page.on("dialog", lambda dialog: dialog.accept())
    button = page.locator("form[data-busy] button[type=submit]")
    button.click()
    expect(button).to_be_disabled()
    expect(button).to_have_text("Sedang mengantrekan finalisasi Berita Acara...")
    expect(button.locator(".spinner-border")).to_be_visible()
    page.screenshot(path=_artifact("reports-finalising.png"))
    # A second click, or a second submission (Enter in a field), sends nothing.
    button.click(force=True)
    page.evaluate("document.querySelector('form[data-busy]').requestSubmit()")
    page.wait_for_timeout(500)
    assert len(held) == 1
    held[0].continue_()
    # The frame may not show the answer (X-Frame-Options: DENY); the page, reloaded, does.
    for _ in range(120):
        if ArchivedDocument.objects.filter(forum=data.forum).exists():
            break
        page.wait_for_timeout(250)
    page.reload()
    expect(page.get_by_role("link", name="Unduh Berita Acara final (PDF)")).to_be_visible()
    assert ArchivedDocument.objects.filter(forum=data.forum).count() == 1
