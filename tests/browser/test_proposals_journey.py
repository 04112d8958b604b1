"""A desa operator creates and submits a proposal; the kecamatan verifies it; the public
tracking page shows both steps."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from proposals.models import Proposal
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _artifact(name: str) -> str:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)


def _login(page, base, username):
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_proposal_from_desa_to_verified_and_tracked(
    live_server, page, operator, clerk, year, sector, agency
):
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, base, "operator")
    page.get_by_role("link", name="Usulan Desa", exact=True).click()
    page.get_by_role("link", name="Tambah usulan").click()
    page.get_by_label("Usulan kegiatan").fill("Pembangunan drainase Gang Mawar")
    page.get_by_label("Lokasi").fill("RT 03 / RW 02")
    page.get_by_label("Volume *").fill("120")
    page.get_by_label("Satuan").fill("meter")
    page.get_by_label("Perkiraan biaya (Rp)").fill("85000000")
    page.get_by_label("Bidang").select_option(label=sector.name)
    page.get_by_label("OPD tujuan").select_option(label=agency.abbreviation)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("disimpan sebagai draf")).to_be_visible()
    page.get_by_role("button", name="Ajukan").click()
    expect(page.get_by_text("diajukan ke kecamatan")).to_be_visible()
    page.screenshot(path=_artifact("proposals-operator-submitted.png"), full_page=True)
    page.get_by_role("link", name="Tanda terima").click()
    code = Proposal.objects.get().tracking_code
    expect(page.get_by_text(code)).to_be_visible()
    page.get_by_role("button", name="Keluar").click()

    _login(page, base, "clerk")
    page.get_by_role("link", name="Usulan Masuk", exact=True).click()
    page.get_by_role("link", name="Pembangunan drainase Gang Mawar").click()
    page.get_by_label("Catatan disposisi").fill("Camat: teruskan ke Kasi Ekbang")
    page.get_by_role("button", name="Terima dan register").click()
    expect(page.get_by_text("diterima dan diregister")).to_be_visible()
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text("terverifikasi.")).to_be_visible()
    page.screenshot(path=_artifact("proposals-clerk-verified.png"), full_page=True)
    page.get_by_role("button", name="Keluar").click()

    page.goto(f"{base}/masuk/")
    page.get_by_role("link", name="Lacak usulan dengan kode lacak").click()
    page.get_by_label("Kode lacak").fill(code.lower())
    page.get_by_role("button", name="Lacak").click()
    expect(page.get_by_role("heading", name="Pembangunan drainase Gang Mawar")).to_be_visible()
    history = page.locator("ol")
    expect(history.get_by_text("Diajukan", exact=True)).to_be_visible()
    expect(history.get_by_text("Terverifikasi", exact=True)).to_be_visible()
    page.screenshot(path=_artifact("proposals-tracking.png"), full_page=True)
