"""Kecamatan staff take SIPD's export in, and after the forum tick what they entered in SIPD."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from proposals.models import Proposal
from reports.models import SipdInput
from tests import factories as f
from tests.factories import PASSWORD
from tests.forums import send
from tests.sipd_workbooks import row_1, workbook

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_imports_sipd_then_copies_and_ticks_the_rekomendasi(
    live_server, page, clerk, subdistrict, village, other_village, sector, agency, year, tmp_path
):
    path = tmp_path / "ekspor-sipd.xlsx"
    path.write_bytes(workbook([row_1(1, "Mekar"), row_1(2, "Sari")], title_rows=5))
    page.goto(f"{live_server.url}/")
    page.get_by_label("Nama pengguna").fill("clerk")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

    page.get_by_role("link", name="Impor SIPD").click()
    page.get_by_label("Berkas Excel (.xlsx)").set_input_files(str(path))
    page.get_by_role("button", name="Impor").click()
    expect(page.get_by_text("Impor SIPD selesai: 2 usulan baru")).to_be_visible()
    expect(page.locator("table .badge", has_text="SIPD")).to_have_count(2)
    page.screenshot(path=_artifact("sipd-imported.png"), full_page=True)

    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    for rank, proposal in enumerate(Proposal.objects.order_by("id"), 1):
        Proposal.objects.filter(pk=proposal.pk).update(status="terverifikasi")
        item = f.ForumItemFactory(forum=forum, proposal=proposal)
        f.ResultFactory(item=item, rank=rank, decision="prioritas", responsible_agency=agency)
    send(forum)

    page.get_by_role("link", name="Input SIPD").click()
    expect(page.locator("#sipd-progress")).to_have_text("0 dari 2 sudah diinput")
    copy = page.get_by_role("button", name="Salin anggaran").first
    copy.click()
    expect(copy).to_have_text("Tersalin")
    page.get_by_role("button", name="Tandai sudah diinput").first.click()
    expect(page.locator("#sipd-progress")).to_have_text("1 dari 2 sudah diinput")
    assert SipdInput.objects.get().done_by == clerk
    page.screenshot(path=_artifact("sipd-worklist.png"), full_page=True)


def _artifact(name: str) -> str:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
