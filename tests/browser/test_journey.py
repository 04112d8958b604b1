"""The whole yearly process in one real browser, only through the pages, as the people do it.

A desa operator submits three proposals; the kecamatan clerk receives and verifies them; the
camat creates and prepares the forum (commissions per bidang, participants incl. women), loads
the data and starts it; the clerk marks attendance (search as you type, one walk-in) and records
a kecamatan addition; the camat records the delegates, scores every cell, computes, decides (one
reserve with a reason), assigns the OPDs and sends; the Berita Acara is finalised, downloaded and
verified; the PUPR reader sees its priorities; the public tracking page shows a proposal's path.

Only master data and accounts come from factories. Screenshots go to ``test-artifacts/``.
"""

import hashlib
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.browser.journey_helpers import (
    VIEWPORT,
    artifact_path,
    log_in,
    pdf_first_page_png,
    pdf_text,
    person,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROPOSALS = [
    # title, location, volume, unit, cost, bidang, OPD tujuan
    ("Pembangunan drainase Gang Mawar", "RT 03 / RW 02", "120", "meter", "85000000",
     "Sarana dan Prasarana", "PUPR"),
    ("Rehabilitasi jalan usaha tani Dusun II", "Dusun II", "800", "meter", "150000000",
     "Sarana dan Prasarana", "PUPR"),
    ("Pelatihan kader posyandu balita", "Balai Desa Mekar", "25", "orang", "30000000",
     "Sosial Budaya", "Dinkes"),
]  # fmt: skip
ADDITION = "Penerangan jalan umum poros kecamatan"
INVITED = [
    # name, gender, unsur, desa
    ("Siti Aminah", "P", "delegasi", "Desa Mekar"),
    ("Budi Santoso", "L", "delegasi", "Desa Sari"),
    ("Ratna Dewi", "P", "perempuan", ""),
]
WALK_IN = "Yanti Purba"
DELEGATES = {"forum_pd": ["Siti Aminah", "Budi Santoso"], "musrenbang": ["Ratna Dewi", WALK_IN]}
RESERVE_REASON = "Sudah dibiayai Dana Desa tahun berjalan."
LATE = "Pengadaan tong sampah terpilah"
REFUSED = [  # controls a closed year must not offer: (role, name)
    ("link", "Tambah usulan"),
    ("button", "Ajukan semua"),
    ("button", "Naikkan prioritas"),
    ("button", "Turunkan prioritas"),
    ("link", "Ubah"),
    ("button", "Ajukan"),
    ("button", "Terima dan register"),
    ("button", "Verifikasi"),
    ("button", "Kembalikan ke desa"),
    ("button", "Tolak"),
    ("button", "Terapkan ke yang dicentang"),
    ("checkbox", "Pilih"),
]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "locale": "id-ID"}


@pytest.fixture
def places(regency, year, subdistrict, village, other_village, sector):
    """Master data Bappeda owns: bidang, OPDs, the kecamatan's budget ceiling."""
    f.SectorFactory(regency=regency, name="Sosial Budaya")
    f.AgencyFactory(
        regency=regency, name="Dinas Pekerjaan Umum dan Penataan Ruang", abbreviation="PUPR"
    )
    f.AgencyFactory(regency=regency, name="Dinas Kesehatan", abbreviation="Dinkes")
    f.AgencyFactory(regency=regency, name="Dinas Perhubungan", abbreviation="Dishub")
    subdistrict.camat_name = "Drs. Ahmad Fauzi"
    subdistrict.save(update_fields=["camat_name"])
    f.BudgetCeilingFactory(subdistrict=subdistrict, year=year.year, amount=400_000_000)
    return subdistrict


@pytest.fixture
def people(operator, clerk, camat, opd_reader):
    """The four accounts, with the names the pages show."""
    for user, first, last in [
        (operator, "Dewi", "Lestari"),
        (clerk, "Rudi", "Hartono"),
        (camat, "Ahmad", "Fauzi"),
        (opd_reader, "Joko", "Susilo"),
    ]:
        user.first_name, user.last_name = first, last
        user.save(update_fields=["first_name", "last_name"])


def test_the_whole_musrenbang_journey(live_server, page, places, people, worker_process):
    base = live_server.url
    browser = page.context.browser
    assert year_deadline_is_open(places)

    # 1. The desa operator enters three proposals and submits them at once.
    desa = person(browser, base, "operator")
    desa.get_by_role("link", name="Usulan Desa", exact=True).click()
    for title, location, volume, unit, cost, bidang, opd in PROPOSALS:
        desa.get_by_role("link", name="Tambah usulan").click()
        desa.get_by_label("Usulan kegiatan").fill(title)
        desa.get_by_label("Lokasi").fill(location)
        desa.get_by_label("Volume *").fill(volume)
        desa.get_by_label("Satuan").fill(unit)
        desa.get_by_label("Perkiraan biaya (Rp)").fill(cost)
        desa.get_by_label("Bidang").select_option(label=bidang)
        desa.get_by_label("OPD tujuan").select_option(label=opd)
        desa.get_by_role("button", name="Simpan").click()
        said(desa, "disimpan sebagai draf")
        desa.get_by_role("link", name="Usulan Desa", exact=True).click()
    desa.get_by_role("button", name="Ajukan semua (3)").click()
    expect(desa.locator(".alert-success")).to_contain_text("3")
    for title, *_ in PROPOSALS:
        expect(desa.get_by_role("row", name=re.compile(title))).to_contain_text("Diajukan")
    shot(desa, "01-operator-list")
    desa.get_by_role("link", name=PROPOSALS[0][0]).click()
    tracking_code = desa.locator(".track-code").first.inner_text().strip()
    desa.context.close()

    # 2. Kecamatan staff receive (with a disposition) and verify: one by one, then in bulk.
    staff = person(browser, base, "clerk")
    staff.get_by_role("link", name="Usulan Masuk", exact=True).click()
    staff.get_by_role("link", name=PROPOSALS[0][0]).click()
    staff.get_by_label("Catatan disposisi").fill("Camat: teruskan ke Kasi Ekbang untuk diregister")
    staff.get_by_role("button", name="Terima dan register").click()
    said(staff, "diterima dan diregister")
    staff.get_by_role("button", name="Verifikasi").click()
    said(staff, "terverifikasi.")
    staff.get_by_role("link", name="Usulan Masuk", exact=True).click()
    for action in ("terima", "verifikasi"):
        for title, *_ in PROPOSALS[1:]:
            staff.get_by_role("row", name=re.compile(title)).get_by_role("checkbox").check()
        staff.get_by_label("Aksi massal").select_option(action)
        staff.get_by_role("button", name="Terapkan ke yang dicentang").click()
        expect(staff.locator(".alert-success")).to_contain_text("2 usulan berhasil")
    rows = staff.locator("table tbody tr")
    expect(rows).to_have_count(3)
    for i in range(3):
        expect(rows.nth(i)).to_contain_text("Terverifikasi")
    shot(staff, "02-incoming-verified")

    # 3. The camat creates the forum, prepares it, loads the verified proposals and starts it.
    camat_page = log_in(page, base, "camat")
    camat_page.get_by_role("link", name="Forum", exact=True).click()
    camat_page.get_by_role("button", name="Buat forum 2027").click()
    said(camat_page, "Forum dibuat.")
    expect(camat_page.get_by_test_id("forum-state")).to_have_text("Persiapan")
    tab(camat_page, "Persiapan")
    camat_page.get_by_label("Tanggal pelaksanaan").fill(timezone.localdate().isoformat())
    camat_page.get_by_label("Tempat", exact=True).fill("Aula Kantor Camat Sukamaju")
    camat_page.get_by_label("Pimpinan sidang", exact=True).fill("Drs. Ahmad Fauzi")
    camat_page.get_by_label("Nomor SK Tim").fill("050/12/SK/2026")
    camat_page.get_by_role("button", name="Simpan").click()
    said(camat_page, "Data persiapan disimpan.")
    tab(camat_page, "Komisi")
    for bidang in ("Sarana dan Prasarana", "Sosial Budaya"):
        expect(camat_page.locator(".card-header", has_text=f"bidang {bidang}")).to_have_count(1)
    tab(camat_page, "Peserta")
    for name, gender, category, village_name in INVITED:
        camat_page.get_by_role("link", name="Tambah peserta").click()
        camat_page.get_by_label("Nama*").fill(name)
        camat_page.get_by_label("Jenis kelamin*").select_option(gender)
        camat_page.get_by_label("Unsur*").select_option(category)
        if village_name:
            camat_page.get_by_label("Desa/kelurahan asal").select_option(label=village_name)
        camat_page.get_by_role("button", name="Simpan").click()
        said(camat_page, "Peserta disimpan.")
    expect(camat_page.get_by_text("3 terdaftar")).to_be_visible()
    tab(camat_page, "Ringkasan")
    camat_page.get_by_role("button", name="Muat data").click()
    said(camat_page, "3 usulan terverifikasi dimuat")
    camat_page.get_by_role("button", name="Mulai forum").click()
    expect(camat_page.get_by_test_id("forum-state")).to_have_text("Berlangsung")
    tab(camat_page, "Komisi")
    sarpras = camat_page.locator(".card", has_text="bidang Sarana dan Prasarana").first
    expect(sarpras).to_contain_text(PROPOSALS[0][0])
    expect(sarpras).to_contain_text(PROPOSALS[1][0])
    sosbud = camat_page.locator(".card", has_text="bidang Sosial Budaya").first
    expect(sosbud).to_contain_text(PROPOSALS[2][0])
    shot(camat_page, "03-commissions")

    # 3b. A late proposal of the desa arrives after the data was loaded: the forum never takes
    # it in, so sending will close it as "not discussed".
    late = person(browser, base, "operator")
    late.get_by_role("link", name="Usulan Desa", exact=True).click()
    late.get_by_role("link", name="Tambah usulan").click()
    late.get_by_label("Usulan kegiatan").fill(LATE)
    late.get_by_label("Lokasi").fill("Pasar Desa Mekar")
    late.get_by_label("Volume *").fill("10")
    late.get_by_label("Satuan").fill("unit")
    late.get_by_label("Perkiraan biaya (Rp)").fill("15000000")
    late.get_by_label("Bidang").select_option(label="Sarana dan Prasarana")
    late.get_by_role("button", name="Simpan").click()
    said(late, "disimpan sebagai draf")
    late.get_by_role("button", name="Ajukan", exact=True).click()
    said(late, "diajukan ke kecamatan")
    late.context.close()

    # 4. Staff mark attendance: type to search, tick; one walk-in registers on the spot.
    staff.get_by_role("link", name="Forum", exact=True).click()
    tab(staff, "Daftar hadir")
    search = staff.get_by_label("Cari peserta")
    for name, *_ in INVITED[:2]:
        search.fill(name.split()[0])
        expect(staff.locator("#hasil tr")).to_have_count(1)
        staff.get_by_role("button", name=f"Catat hadir {name}").click()
        expect(staff.locator("#hasil")).to_contain_text("Hadir")
    search.fill("a")
    expect(staff.locator("#hasil tr")).to_have_count(3)
    expect(staff.get_by_test_id("present-count")).to_have_text("2")
    shot(staff, "04-attendance")
    staff.get_by_role("button", name=f"Catat hadir {INVITED[2][0]}").click()
    expect(staff.get_by_test_id("present-count")).to_have_text("3")
    staff.get_by_label("Nama*").fill(WALK_IN)
    staff.get_by_label("Jenis kelamin*").select_option("P")
    staff.get_by_label("Unsur*").select_option("perempuan")
    staff.get_by_role("button", name="Daftarkan dan catat hadir").click()
    said(staff, f"{WALK_IN} tercatat hadir.")
    expect(staff.get_by_test_id("present-count")).to_have_text("4")

    # 5. The forum adds a kecamatan proposal nobody proposed (typed by staff).
    tab(staff, "Tambahan kecamatan")
    staff.get_by_label("Usulan kegiatan*").fill(ADDITION)
    staff.get_by_label("Lokasi*").fill("Jalan poros Mekar - Sari")
    staff.get_by_label("Volume*").fill("40")
    staff.get_by_label("Satuan*").fill("titik")
    staff.get_by_label("Perkiraan biaya (Rp)*").fill("120000000")
    staff.get_by_label("Bidang*").select_option(label="Sarana dan Prasarana")
    staff.get_by_role("button", name="Simpan usulan").click()
    said(staff, "Usulan kecamatan")
    # It joins the commission of its bidang, next to the desa proposals.
    sarpras = staff.locator(".card", has_text="bidang Sarana dan Prasarana").first
    expect(sarpras).to_contain_text(ADDITION)
    staff.context.close()

    # 6. The camat records the elected delegates (only present participants are candidates).
    camat_page.reload()
    tab(camat_page, "Delegasi")
    for body, names in DELEGATES.items():
        camat_page.get_by_label("Forum tujuan").select_option(body)
        for name in names:
            camat_page.get_by_label(name, exact=True).check()
        camat_page.get_by_role("button", name="Simpan hasil pemilihan").click()
        for name in names:
            expect(camat_page.get_by_test_id(f"hasil-{body}")).to_contain_text(name)
    shot(camat_page, "05-delegates")

    # 7. Scoring: copy the criteria, fill every cell, Hitung.
    camat_page.get_by_role("link", name="Skoring", exact=True).click()
    camat_page.get_by_role("button", name="Salin dari templat kabupaten/kota").click()
    said(camat_page, "Kriteria disalin")
    camat_page.get_by_role("link", name="Lembar skoring").click()
    cells = camat_page.locator("input.score-input")
    rows = camat_page.locator("table.sheet tbody tr")
    expect(rows).to_have_count(4)
    total = cells.count()
    per_row = total // 4
    expect(camat_page.locator("#sheet-progress")).to_have_text(f"0 dari {total}")
    for i in range(total):
        row, col = divmod(i, per_row)
        # Row 0 scores highest; within a row the values vary a little.
        cell = cells.nth(i)
        cell.fill(str(max(1, 5 - row - (col % 2))))
        cell.press("Tab")
        # Each cell saves itself and turns green. Waiting for it before typing the next one keeps
        # the saves in order: the progress counter is computed per response, so answers that
        # overtake each other can leave it one behind (reported; a reload shows the right count).
        expect(cells.nth(i)).to_have_class(re.compile(r"\bis-valid\b"))
        if col == per_row - 1:
            expect(camat_page.locator("#sheet-progress")).to_have_text(f"{i + 1} dari {total}")
    camat_page.locator("h1").click()
    camat_page.evaluate("window.scrollTo(0, 0)")
    shot(camat_page, "06-scoring-sheet")
    camat_page.get_by_role("button", name="Hitung").click()
    said(camat_page, "Hitung selesai: 4 usulan diperingkat.")

    # 8. Decide: three priorities, the last one a reserve with a reason; OPDs; send.
    ranked = camat_page.locator("table.results tbody tr")
    expect(ranked).to_have_count(4)
    titles = [title_of(ranked.nth(i).inner_text()) for i in range(4)]
    decided = camat_page.locator("table.results .badge.text-bg-success")
    for n in (1, 2, 3):
        camat_page.locator("table.results").get_by_role(
            "button", name="Prioritas", exact=True
        ).first.click()
        expect(decided).to_have_count(n)
    last = ranked.nth(3)
    last.locator("summary", has_text="Cadangan").click()
    last.get_by_label("Alasan cadangan").fill(RESERVE_REASON)
    last.get_by_role("button", name="Simpan sebagai cadangan").click()
    expect(camat_page.get_by_text(RESERVE_REASON)).to_be_visible()
    opds = {}
    for i in range(3):
        select = ranked.nth(i).get_by_role("combobox")
        wanted = "Dinkes" if "posyandu" in titles[i] else "PUPR"
        if "Penerangan" in titles[i]:
            wanted = "Dishub"
        opds[titles[i]] = wanted
        if select.evaluate("s => s.options[s.selectedIndex].text") != wanted:
            with camat_page.expect_navigation():
                select.select_option(label=wanted)
    assert "PUPR" in opds.values()
    shot(camat_page, "07-ranking", full_page=True)
    camat_page.get_by_role("button", name="Kirim ke OPD").click()
    said(camat_page, "Hasil skoring dikirim ke OPD.")
    shot(camat_page, "08-ranking-sent")

    # 8b. The year looks finished: one notice, no control that would be refused, the outcome.
    desa = person(browser, base, "operator")
    desa.get_by_role("link", name="Usulan Desa", exact=True).click()
    year_is_closed(desa)
    for title, *_ in PROPOSALS:
        row = desa.get_by_role("row", name=re.compile(title))
        if title == titles[3]:
            expect(row).to_contain_text("Cadangan")
            expect(row).to_contain_text(RESERVE_REASON)
        else:
            expect(row).to_contain_text("Prioritas peringkat")
            expect(row).to_contain_text(f"OPD: {OPD_NAMES[opds[title]]}")
    expect(desa.get_by_role("row", name=re.compile(LATE))).to_contain_text("Tidak dibahas")
    shot(desa, "08b-operator-closed", full_page=True)
    desa.get_by_role("link", name=PROPOSALS[0][0]).click()
    year_is_closed(desa)
    expect(desa.locator("#forum-outcome")).to_contain_text("Prioritas peringkat")
    desa.context.close()
    staff = person(browser, base, "clerk")
    staff.get_by_role("link", name="Usulan Masuk", exact=True).click()
    year_is_closed(staff)
    expect(staff.get_by_role("row", name=re.compile(LATE))).to_contain_text("Tidak dibahas")
    shot(staff, "08c-incoming-closed", full_page=True)
    staff.get_by_role("link", name=LATE).click()
    year_is_closed(staff)
    expect(staff.locator("#forum-outcome")).to_contain_text("Tidak dibahas")
    staff.get_by_role("link", name="Beranda", exact=True).click()
    year_is_closed(staff)
    staff.context.close()

    # 9. The Berita Acara: finalise, download, read, verify.
    camat_page.get_by_role("link", name="Dokumen", exact=True).click()
    expect(camat_page.get_by_label("Jumlah peserta dalam Berita Acara")).to_have_value("4")
    camat_page.get_by_label("Nomor Berita Acara").fill("050/31/BA/2026")
    camat_page.get_by_label("Saya mengerti").check()
    camat_page.get_by_role("button", name="Finalkan Berita Acara").click()
    said(camat_page, "Berita Acara final diarsipkan", timeout=30_000)
    with camat_page.expect_download() as info:
        camat_page.get_by_role("link", name="Unduh Berita Acara final (PDF)").click()
    pdf = Path(info.value.path())
    info.value.save_as(artifact_path("berita-acara.pdf"))
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = " ".join(pdf_text(pdf).split())
    assert "dihadiri oleh 4 (empat) orang peserta" in text
    dsp = section(text, "DAFTAR SKALA PRIORITAS", "Lampiran II :")
    for title in titles[:3]:
        assert title in dsp, f"priority {title!r} missing from Lampiran I of the Berita Acara"
    assert titles[3] not in dsp
    reserves = section(text, "Lampiran II :", "Lampiran III :")
    assert titles[3] in reserves and RESERVE_REASON in reserves
    delegates = section(text, "Lampiran IV :", None)
    for names in DELEGATES.values():
        for name in names:
            assert name in delegates, f"delegate {name!r} missing from Lampiran IV"
    code = re.search(r"/verifikasi/([0-9a-f]+)/", text).group(1)
    pdf_first_page_png(pdf, "09-berita-acara")
    camat_page.get_by_role("link", name="Halaman verifikasi").click()
    expect(camat_page).to_have_url(re.compile(rf"/verifikasi/{code}/$"))
    expect(camat_page.get_by_role("heading", name="Verifikasi dokumen final")).to_be_visible()
    camat_page.get_by_label("Berkas PDF untuk dibandingkan").set_input_files(pdf)
    camat_page.get_by_role("button", name="Bandingkan", exact=True).click()
    expect(camat_page.get_by_text("COCOK: berkas yang Anda unggah identik")).to_be_visible()
    shot(camat_page, "10-verification")
    camat_page.get_by_role("button", name="Keluar").click()

    # 10. The PUPR reader sees exactly the priorities assigned to PUPR.
    pupr = person(browser, base, "opd_reader")
    pupr.get_by_role("link", name="Prioritas ke OPD", exact=True).click()
    expect(pupr.get_by_role("heading", name="Prioritas untuk PUPR")).to_be_visible()
    table = pupr.locator("table tbody")
    for title, opd in opds.items():
        if opd == "PUPR":
            expect(table).to_contain_text(title)
        else:
            expect(table).not_to_contain_text(title)
    expect(table).not_to_contain_text(titles[3])
    shot(pupr, "11-opd-pupr")
    pupr.context.close()

    # 11. Anyone with the tracking code follows the proposal's path.
    page.goto(f"{base}/masuk/")
    page.get_by_role("link", name="Lacak usulan dengan kode lacak").click()
    page.get_by_label("Kode lacak").fill(tracking_code)
    page.get_by_role("button", name="Lacak").click()
    expect(page).to_have_url(re.compile(rf"/lacak/{tracking_code}/$"))
    expect(page.get_by_role("heading", name=PROPOSALS[0][0])).to_be_visible()
    history = page.locator("ol")
    for step in ("Diajukan", "Diterima kecamatan", "Terverifikasi"):
        expect(history.get_by_text(step, exact=True)).to_be_visible()
    shot(page, "12-tracking")

    # 12. Anyone who scans the QR code of the printed Berita Acara sees it is registered.
    page.goto(f"{base}/verifikasi/{code}/")
    expect(page.get_by_role("heading", name="Verifikasi dokumen final")).to_be_visible()
    expect(page.locator("main")).to_contain_text("050/31/BA/2026")
    expect(page.locator("#sha256")).to_have_text(hashlib.sha256(pdf.read_bytes()).hexdigest())


OPD_NAMES = {
    "PUPR": "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinkes": "Dinas Kesehatan",
    "Dishub": "Dinas Perhubungan",
}


def year_is_closed(page) -> None:
    """The page says once that the year is closed and offers nothing the year refuses."""
    expect(page.locator("#year-closed")).to_have_count(1)
    expect(page.locator("#year-closed")).to_contain_text("sudah ditutup")
    for role, name in REFUSED:
        expect(page.get_by_role(role, name=re.compile(rf"^{name}\b"))).to_have_count(0)


def section(text: str, start: str, end: str | None) -> str:
    """The part of the PDF text from ``start`` up to ``end`` (or to the end)."""
    begin = text.index(start)
    return text[begin : text.index(end, begin) if end else None]


def said(page, text: str, **kwargs) -> None:
    """The page shows a success message holding ``text``."""
    expect(page.locator(".alert-success").filter(has_text=text)).to_be_visible(**kwargs)


def tab(page, name: str) -> None:
    page.locator(".forum-tabs").get_by_role("link", name=name, exact=True).click()


def title_of(row_text: str) -> str:
    """The proposal title of a ranking row (the text after its number)."""
    for title in [p[0] for p in PROPOSALS] + [ADDITION]:
        if title in row_text:
            return title
    raise AssertionError(f"unknown proposal in ranking row: {row_text!r}")


def year_deadline_is_open(subdistrict) -> bool:
    year = subdistrict.regency.years.get(year=2027)
    return year.submission_deadline > timezone.now()
