"""From the petugas OPD's update to the citizen's tracking page, in Chromium."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.journey_helpers import VIEWPORT, log_in, shot
from tests.reports.followup_factories import jpeg, open_forum, petugas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_petugas_update_reaches_the_citizen(live_server, browser, subdistrict, village,
                                            other_village, year, agency):  # fmt: skip
    data, follow_ups = open_forum(subdistrict, [village, other_village])
    petugas(agency, "petugas.pupr")
    proposal = next(fu for fu in follow_ups if fu.agency_id).proposal
    base = live_server.url
    today = timezone.localdate().isoformat()

    page = log_in(browser.new_context(viewport=VIEWPORT).new_page(), base, "petugas.pupr")
    page.get_by_role("link", name="Tindak lanjut").first.click()
    expect(page.get_by_role("heading", name=f"Tindak lanjut {agency.name}")).to_be_visible()
    page.get_by_role("link", name=proposal.title).first.click()
    expect(page.get_by_test_id("stage")).to_have_text("Diterima OPD")

    page.get_by_label("Tahap baru").select_option(label="Masuk DPA")
    page.get_by_label("Tanggal", exact=False).first.fill(today)
    page.get_by_label("Tahun anggaran").fill("2027")
    page.get_by_label("Nilai anggaran DPA (Rp)").fill("125000000")
    page.get_by_role("button", name="Simpan tahap").click()
    expect(page.get_by_text("Tahap diubah menjadi Masuk DPA.")).to_be_visible()

    page.get_by_label("Tahap baru").select_option(label="Dalam pelaksanaan")
    page.get_by_label("Realisasi (%)").first.fill("40")
    page.get_by_role("button", name="Simpan tahap").click()
    expect(page.get_by_test_id("stage")).to_have_text("Dalam pelaksanaan")

    photo = jpeg(name="pengecoran.jpg")
    page.get_by_label("Judul capaian").fill("Pengecoran lantai jembatan")
    page.locator("#ms-foto").set_input_files(
        files=[{"name": "pengecoran.jpg", "mimeType": "image/jpeg", "buffer": photo.read()}]
    )
    page.get_by_role("button", name="Simpan capaian").click()
    expect(page.get_by_text("Capaian dicatat.")).to_be_visible()
    shot(page, "followup-petugas", full_page=True)

    citizen = browser.new_context(viewport={"width": 390, "height": 800}).new_page()
    citizen.goto(f"{base}/lacak/")
    citizen.get_by_label("Kode lacak").fill(proposal.tracking_code)
    citizen.get_by_role("button", name="Lacak").click()
    card = citizen.get_by_test_id("followup-public")
    expect(card).to_contain_text("Dalam pelaksanaan")
    expect(card).to_contain_text("Rp 125.000.000")
    expect(card).to_contain_text("Realisasi 40%")
    expect(card).to_contain_text("Pengecoran lantai jembatan")
    expect(card).to_contain_text("diambil di 3.75000, 98.45000 pada")
    photo_img = card.get_by_role("img")
    expect(photo_img).to_be_visible()
    # The photo is loading="lazy": bring it into view, then wait for the bytes to decode.
    # A broken image never reaches naturalWidth > 0, so this still fails on a bad file.
    photo_img.scroll_into_view_if_needed()
    citizen.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=followup-public] img');"
        " return i.complete && i.naturalWidth > 0; }",
        timeout=10_000,
    )
    assert "petugas.pupr" not in citizen.content()
    shot(citizen, "followup-citizen", full_page=True)
