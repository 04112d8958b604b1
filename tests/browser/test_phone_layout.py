"""The pages used on a phone (390 x 844) fit its width: nothing scrolls sideways.

The attendance page at the hall's door first (its own tab, search, counts and walk-in above the
list), then the receipt with its QR, the scoring sheet's toolbar, the criteria page and the
kecamatan dashboard's pagu card. Screenshots go to ``test-artifacts/phone-*.png``.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from scoring.models import Scorer
from tests import factories as f
from tests.factories import PASSWORD
from tests.reports.factories import sent_forum

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "locale": "id-ID"}


@pytest.fixture
def running_forum(subdistrict, village, other_village, camat, year):
    data = sent_forum(subdistrict, villages=[village, other_village], state="berlangsung")
    forum = data.forum
    f.ParticipantFactory.create_batch(60, forum=forum)
    f.CriterionFactory(forum=forum, name="Tingkat urgensi dan kedaruratan masalah", order=1)
    f.CriterionFactory(forum=forum, name="Jumlah penerima manfaat", order=2, weight=2)
    Scorer.objects.create(forum=forum, user=camat)
    f.BudgetCeilingFactory(subdistrict=subdistrict, year=2027)
    return forum


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/masuk/" not in url)


def _overflow(page, name: str) -> list[str]:
    """Screenshot the page; return what sticks out of the screen (nothing, if it fits)."""
    page.screenshot(path=str(_artifact(f"phone-{name}.png")), full_page=True)
    wide, screen = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert screen == PHONE["width"]
    return [] if wide <= screen else [f"{name}: {wide} px wide on a {screen} px screen"]


def _artifact(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name


def _inside(page, inner: str, outer: str) -> bool:
    """Whether every element ``inner`` lies within the box of its ancestor ``outer``."""
    return page.evaluate(
        """([inner, outer]) => [...document.querySelectorAll(inner)].every(el => {
          const a = el.getBoundingClientRect(), b = el.closest(outer).getBoundingClientRect();
          return a.left >= b.left - 0.5 && a.right <= b.right + 0.5;
        })""",
        [inner, outer],
    )


def test_attendance_at_the_door(live_server, page, running_forum):
    log_in(page, live_server.url, "camat")
    page.goto(f"{live_server.url}/forum/{running_forum.pk}/hadir/")
    assert not _overflow(page, "attendance")
    # The forum's own tab is on the screen, not beyond the right edge of the tab row.
    expect(page.get_by_role("link", name="Daftar hadir", exact=True)).to_be_in_viewport(ratio=0.9)
    # The counts, the walk-in and the search come before the list, on the first screen.
    expect(page.get_by_test_id("present-count")).to_be_in_viewport()
    search = page.get_by_label("Cari peserta")
    expect(search).to_be_in_viewport()
    walk_in = page.get_by_role("button", name="Peserta datang langsung: daftarkan")
    expect(walk_in).to_be_in_viewport()
    list_top = page.locator("#hasil table").bounding_box()["y"]
    assert page.get_by_test_id("counts").bounding_box()["y"] < list_top
    assert walk_in.bounding_box()["y"] < list_top
    assert search.bounding_box()["y"] < list_top
    # The walk-in form folds out above the list.
    expect(page.get_by_label("Nama*")).to_be_hidden()
    walk_in.click()
    expect(page.get_by_label("Nama*")).to_be_visible()
    # Bootstrap's collapse animates ("collapsing") before the list below settles: measure after.
    expect(page.locator(".collapsing")).to_have_count(0)
    assert page.get_by_label("Nama*").bounding_box()["y"] < list_top + 1000
    assert (
        page.get_by_role("button", name="Daftarkan dan catat hadir").bounding_box()["y"]
        < (page.locator("#hasil table").bounding_box()["y"])
    )
    assert not _overflow(page, "attendance-walk-in")
    # Searching replaces the list and its pager together: 69 people in 3 pages, Ani in one.
    expect(page.get_by_text("Halaman 1 dari 3")).to_be_visible()
    search.fill("Ani")
    expect(page.locator("#hasil tbody tr")).to_have_count(1)
    expect(page.get_by_text("Halaman 1 dari 3")).to_have_count(0)
    search.fill("Peserta")
    expect(page.get_by_text("Menampilkan 25 dari 60 peserta")).to_be_visible()
    expect(page.get_by_text("Halaman 1 dari 3")).to_be_visible()
    page.get_by_role("link", name="Berikutnya").click()
    expect(page.get_by_text("Halaman 2 dari 3")).to_be_visible()
    expect(page.get_by_label("Cari peserta")).to_have_value("Peserta")
    assert not _overflow(page, "attendance-search")


def test_receipt_scoring_criteria_and_dashboard_fit_a_phone(
    live_server, page, running_forum, subdistrict, village, operator
):
    proposal = f.ProposalFactory(
        village=village, year=2027, status="diajukan",
        title="Pembangunan drainase lingkungan sepanjang jalan utama Dusun Sukamaju Hilir",
    )  # fmt: skip
    log_in(page, live_server.url, "camat")
    page.goto(f"{live_server.url}/usulan/{proposal.pk}/tanda-terima/")
    expect(page.locator(".receipt svg")).to_be_visible()
    wide = _overflow(page, "receipt")
    assert _inside(page, ".receipt svg", ".receipt"), "the QR code sticks out of the receipt"
    assert _inside(page, ".receipt .code, .receipt .text-break", ".receipt")

    page.goto(f"{live_server.url}/skoring/forum/{running_forum.pk}/lembar/")
    wide += _overflow(page, "scoring-sheet")
    for name in ["Cari", "Hitung"]:
        expect(page.get_by_role("button", name=name, exact=True)).to_be_in_viewport(ratio=0.9)
    expect(page.get_by_label("Cari usulan")).to_be_in_viewport(ratio=0.9)

    page.goto(f"{live_server.url}/skoring/forum/{running_forum.pk}/kriteria/")
    wide += _overflow(page, "criteria")
    weight = page.get_by_label("Bobot Jumlah penerima manfaat")
    assert weight.bounding_box()["width"] >= 70, "the weight field is too narrow to read"
    for name in ["Simpan", "Hapus"]:
        expect(page.get_by_role("button", name=name).first).to_be_in_viewport(ratio=0.9)
    assert _inside(page, "table form .btn, .weight-input", ".card")

    page.goto(f"{live_server.url}/kecamatan/{subdistrict.code}/")
    wide += _overflow(page, "dashboard")
    pagu = page.get_by_test_id("pagu")
    expect(pagu).to_have_text("Rp 1.000.000.000")
    lines = pagu.evaluate("el => el.getClientRects().length")
    assert lines == 1, "the pagu breaks over lines"
    assert _inside(page, "[data-testid=pagu]", ".card")
    assert not wide
