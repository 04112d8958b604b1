"""The camat scores a small forum, computes, decides, assigns OPDs and sends; PUPR reads it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from scoring.models import Result
from sessions.models import Forum
from tests import factories as f
from tests.factories import PASSWORD
from tests.scoring.factories import forum_with_items

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_camat_scores_decides_and_sends_and_pupr_reads_it(
    live_server, page, browser, camat, subdistrict, agency, opd_reader, regency
):
    dinkes = f.AgencyFactory(regency=regency, name="Dinas Kesehatan", abbreviation="Dinkes")
    forum, items, crits = forum_with_items(subdistrict, items=3, criteria=(2, 1))
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, live_server, "camat")
    page.goto(f"{live_server.url}/skoring/forum/{forum.pk}/lembar/")
    progress = page.locator("#sheet-progress")
    expect(progress).to_have_text("0 dari 6")
    inputs = page.locator("input.score-input")
    values = ["5", "4", "3", "3", "2", "1"]
    for i, value in enumerate(values):
        cell = inputs.nth(i)
        cell.fill(value)
        cell.press("Tab")
        expect(page.locator("#sheet-progress")).to_have_text(f"{i + 1} dari 6")
    # an invalid value shows its message inline and is not saved
    inputs.nth(0).fill("9")
    inputs.nth(0).press("Tab")
    expect(page.get_by_text("Nilai harus bilangan bulat 1–5.")).to_be_visible()
    inputs.nth(0).fill("5")
    inputs.nth(0).press("Tab")
    expect(page.locator("input.score-input.is-valid").first).to_be_visible()
    page.screenshot(path=_artifact("scoring-sheet.png"), full_page=True)

    page.get_by_role("button", name="Hitung").click()
    expect(page.get_by_text("Hitung selesai: 3 usulan diperingkat.")).to_be_visible()
    rows = page.locator("table.results tbody tr")
    expect(rows).to_have_count(3)
    # decide: first two priority, the last non-priority with a reason
    decided = page.locator("table.results .badge.text-bg-success")
    for n in (1, 2):
        buttons = page.locator("table.results").get_by_role("button", name="Prioritas", exact=True)
        buttons.first.click()
        expect(decided).to_have_count(n)
    last = rows.nth(2)
    last.locator("summary", has_text="Cadangan").click()
    last.get_by_label("Alasan cadangan").fill("Sudah dibiayai Dana Desa tahun ini.")
    last.get_by_role("button", name="Simpan sebagai cadangan").click()
    expect(page.get_by_text("Cadangan (non-prioritas)").first).to_be_visible()
    # assign the OPDs of the priorities
    page.locator("table.results tbody tr").nth(0).get_by_role("combobox").select_option(
        label="PUPR"
    )
    expect(page.locator(".alert-success")).to_contain_text("PUPR")
    page.locator("table.results tbody tr").nth(1).get_by_role("combobox").select_option(
        label="Dinkes"
    )
    expect(page.locator(".alert-success")).to_contain_text("Dinkes")
    page.screenshot(path=_artifact("scoring-results-before-send.png"), full_page=True)

    page.get_by_role("button", name="Kirim ke OPD").click()
    expect(page.get_by_text("Hasil skoring dikirim ke OPD.")).to_be_visible()
    page.screenshot(path=_artifact("scoring-results-sent.png"), full_page=True)
    forum.refresh_from_db()
    assert forum.state == Forum.State.SENT
    # every edit control is gone, on the results, the sheet and the criteria pages
    for path in ["hasil", "lembar", "kriteria"]:
        page.goto(f"{live_server.url}/skoring/forum/{forum.pk}/{path}/")
        expect(page.get_by_text("Data tidak dapat diubah lagi.")).to_be_visible()
        expect(page.locator("main form[method=post]")).to_have_count(0)
        expect(page.locator("main input.score-input, main select[name=agency]")).to_have_count(0)

    top = Result.objects.get(item__forum=forum, responsible_agency=agency)
    reserve = Result.objects.get(item__forum=forum, decision="cadangan")
    other = browser.new_page()
    _login(other, live_server, "opd_reader")
    other.goto(f"{live_server.url}/skoring/opd/")
    expect(other.get_by_role("heading", name="Prioritas untuk PUPR")).to_be_visible()
    table = other.locator("table")
    expect(table).to_contain_text(top.item.proposal.reference)
    expect(table).not_to_contain_text(reserve.item.proposal.reference)
    expect(other.locator("table tbody tr")).to_have_count(1)
    assert dinkes.results.count() == 1
    other.screenshot(path=_artifact("scoring-opd-pupr.png"), full_page=True)
    assert re.search(r"Prioritas ke OPD", other.content())


def _artifact(name: str) -> str:
    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
