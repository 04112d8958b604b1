"""The proposal form's kamus picker in Chromium: type, choose, and the form fills itself."""

import pytest
from playwright.sync_api import expect

from musrenbang.models import KamusEntry
from tests.browser.journey_helpers import log_in, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_choosing_a_kamus_entry_fills_the_form_and_proposes_the_cost(
    live_server, page, operator, village, year, sector, agency
):
    entry = KamusEntry.objects.create(
        regency=village.subdistrict.regency, year=2027, name="Paving Blok Jalan Lingkungan",
        unit="m2", unit_price=150_000, sector=sector, agency=agency,
    )  # fmt: skip
    log_in(page, live_server.url, "operator")
    page.goto(f"{live_server.url}/usulan/baru/")
    page.fill("#kamus-cari", "paving")
    page.locator(".kamus-results button").first.click()
    page.fill("input[name=volume]", "40")
    expect(page.locator("input[name=cost]")).to_have_value("6000000")
    expect(page.locator("input[name=unit]")).to_have_value("m2")
    expect(page.locator("select[name=sector]")).to_have_value(str(sector.pk))
    expect(page.locator("#kamus-pilihan")).to_contain_text("40 × Rp 150.000 = Rp 6.000.000")
    shot(page, "kamus-picker.png", full_page=True)
    page.fill("input[name=title]", "Paving gang melati")
    page.fill("input[name=location]", "RT 01")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("disimpan sebagai draf")).to_be_visible()
    proposal = village.proposals.get()
    assert proposal.kamus == entry and proposal.cost == 6_000_000
