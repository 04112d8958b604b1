"""The forum day in a real browser: start, attendance (one walk-in), agenda clock, a kecamatan
addition and the delegates; the projector in a second page follows without a reload."""

import pytest
from playwright.sync_api import expect

from sessions.models import Delegate, Forum
from tests import factories as f
from tests.factories import PASSWORD
from tests.sessions.factories import AgendaItemFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forum(subdistrict, year, sector, village, agency):
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027)
    f.CommissionFactory(forum=forum, sector=sector, name="Komisi Sarpras")
    AgendaItemFactory(forum=forum, order=1, title="Pendaftaran peserta", planned_minutes=30)
    AgendaItemFactory(forum=forum, order=2, title="Pemaparan camat", planned_minutes=15)
    for name, gender in [("Siti Aminah", "P"), ("Budi Santoso", "L"), ("Ratna Sari", "P")]:
        f.ParticipantFactory(forum=forum, name=name, gender=gender, village=village)
    return forum


def _login(page, url, username):
    page.goto(f"{url}/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_the_forum_day(live_server, page, camat, forum, sector):
    base = live_server.url
    _login(page, base, "camat")
    page.goto(f"{base}/forum/{forum.pk}/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Mulai forum").click()
    expect(page.get_by_test_id("forum-state")).to_have_text("Berlangsung")

    projector = page.context.new_page()
    polls = []
    projector.on("response", lambda r: polls.append(r.status) if "/layar/isi/" in r.url else None)
    projector.goto(f"{base}/forum/{forum.pk}/layar/")
    expect(projector.get_by_test_id("projector-present")).to_have_text("0")
    # Unchanged polls answer 304 and the body stays (issue 16): wait for the second poll.
    projector.wait_for_timeout(11_000)
    assert 304 in polls, polls
    expect(projector.get_by_test_id("projector-present")).to_have_text("0")

    page.goto(f"{base}/forum/{forum.pk}/hadir/")
    search = page.get_by_label("Cari peserta")
    search.fill("Siti")
    expect(page.locator("#hasil tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Catat hadir Siti Aminah").click()
    siti = forum.participants.get(name="Siti Aminah")
    expect(page.locator(f"#peserta-{siti.pk}").get_by_test_id("hadir")).to_be_visible()
    expect(page.get_by_test_id("present-count")).to_have_text("1")
    search.fill("Budi")
    expect(page.locator("#hasil tbody tr")).to_have_count(1)
    page.get_by_role("button", name="Catat hadir Budi Santoso").click()
    expect(page.get_by_test_id("present-count")).to_have_text("2")
    page.get_by_label("Nama*").fill("Yanti Purba")
    page.get_by_label("Jenis kelamin*").select_option("P")
    page.get_by_label("Unsur*").select_option("perempuan")
    page.get_by_role("button", name="Daftarkan dan catat hadir").click()
    expect(page.get_by_text("Yanti Purba tercatat hadir.")).to_be_visible()
    expect(page.get_by_test_id("present-count")).to_have_text("3")
    # The projector page was never reloaded: htmx brought the new count.
    expect(projector.get_by_test_id("projector-present")).to_have_text("3", timeout=12_000)
    page.screenshot(path=_artifact("forum-attendance.png"), full_page=True)

    page.goto(f"{base}/forum/{forum.pk}/agenda/")
    page.get_by_role("button", name="Mulai agenda 1").click()
    expect(page.get_by_text("Sedang berlangsung: 1. Pendaftaran peserta")).to_be_visible()
    # Before the start the projector showed "Berikutnya: 1. ..."; now the item runs with a clock.
    expect(projector.get_by_test_id("countdown")).to_contain_text(":", timeout=12_000)
    expect(projector.get_by_text("1. Pendaftaran peserta", exact=True)).to_be_visible()
    page.get_by_role("button", name="Selesaikan agenda 1").click()
    expect(page.get_by_role("button", name="Mulai agenda 2")).to_be_visible()

    page.goto(f"{base}/forum/{forum.pk}/tambahan/")
    page.get_by_label("Usulan kegiatan*").fill("Drainase depan pasar kecamatan")
    page.get_by_label("Lokasi*").fill("Jalan Pasar")
    page.get_by_label("Volume*").fill("120")
    page.get_by_label("Satuan*").fill("meter")
    page.get_by_label("Perkiraan biaya (Rp)*").fill("250000000")
    page.get_by_label("Bidang*").select_option(str(sector.pk))
    page.get_by_role("button", name="Simpan usulan").click()
    expect(page.get_by_text("Drainase depan pasar kecamatan")).to_be_visible()

    page.goto(f"{base}/forum/{forum.pk}/delegasi/")
    page.get_by_label("Forum tujuan").select_option("musrenbang")
    for name in ["Siti Aminah", "Budi Santoso", "Yanti Purba"]:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Simpan hasil pemilihan").click()
    expect(page.get_by_test_id("hasil-musrenbang")).to_contain_text("Terpilih")
    page.screenshot(path=_artifact("forum-delegates.png"), full_page=True)
    projector.screenshot(path=_artifact("forum-projector.png"), full_page=True)

    forum.refresh_from_db()
    assert forum.state == Forum.State.RUNNING
    assert forum.participants.filter(present_at__isnull=False).count() == 3
    assert forum.items.get().proposal.origin == "kecamatan"
    assert Delegate.objects.filter(forum=forum, elected=True, body="musrenbang").count() == 3


def _artifact(name: str) -> str:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return str(folder / name)
