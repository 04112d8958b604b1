"""Demo proposals for Larangan (Kota Tangerang) and Stabat (Langkat), made through the services.

Larangan: 5-10 proposals per kelurahan in mixed states. Stabat: 3-5 proposals per
desa/kelurahan taken in from a SIPD-shaped workbook shipped with the demo
(``proposals/demo_data/sipd-stabat-2027.xlsx``, header set 1, desa named only in ``Alamat``)
through ``import_sipd``, then verified for the forum to load. Idempotent: a kecamatan and
year with proposals is left alone. Deadlines: the demo planning year's deadline may have
passed on the day the demo runs, so the desa steps are made by the kecamatan when the
deadline is over (the services allow it).
"""

import datetime as dt
import random
import tempfile
from io import BytesIO, StringIO
from pathlib import Path

from django.core.management import call_command
from openpyxl import Workbook

from musrenbang.models import Agency, KamusEntry, PlanningYear, Sector, Subdistrict, User, Village
from proposals import services
from proposals.models import Proposal, RejectionCategory

# (title, problem, location pattern, volume, unit, cost, sector, agency abbreviation)
CATALOGUE = [
    ("Pembangunan saluran drainase lingkungan", "Genangan air setiap hujan deras",
     "RT {rt} / RW {rw}", 250, "meter", 187_500_000, "Sarana dan Prasarana", "PUPR"),
    ("Betonisasi jalan lingkungan", "Jalan berlubang dan becek", "Gg. Masjid RT {rt} / RW {rw}",
     180, "meter", 126_000_000, "Sarana dan Prasarana", "PUPR"),
    ("Penerangan jalan umum tenaga surya", "Jalan gelap rawan kejahatan",
     "Jl. Raya RW {rw}", 12, "titik", 96_000_000, "Sarana dan Prasarana", "Dishub"),
    ("Rehabilitasi rumah tidak layak huni", "Warga miskin tinggal di rumah rusak",
     "RW {rw}", 8, "unit", 160_000_000, "Kesejahteraan Rakyat", "Perkim"),
    ("Pemberian makanan tambahan balita stunting", "Angka stunting masih tinggi",
     "Posyandu Melati RW {rw}", 60, "orang", 36_000_000, "Kesejahteraan Rakyat", "Dinkes"),
    ("Rehabilitasi ruang kelas PAUD", "Atap bocor dan lantai rusak", "PAUD Ceria RW {rw}",
     2, "unit", 140_000_000, "Kesejahteraan Rakyat", "Disdik"),
    ("Pelatihan kewirausahaan UMKM", "Pelaku usaha kecil kesulitan pemasaran",
     "Aula Kelurahan", 40, "orang", 45_000_000, "Ekonomi", "Diskop UKM"),
    ("Pengadaan bank sampah terpadu", "Sampah rumah tangga menumpuk", "RW {rw}",
     1, "paket", 75_000_000, "Sarana dan Prasarana", "DLH"),
    ("Bantuan alat bantu disabilitas", "Warga disabilitas belum memiliki alat bantu",
     "Kelurahan", 15, "buah", 30_000_000, "Kesejahteraan Rakyat", "Dinsos"),
    ("Normalisasi kali lingkungan", "Pendangkalan kali menyebabkan banjir", "Kali RW {rw}",
     400, "meter", 220_000_000, "Sarana dan Prasarana", "PUPR"),
]  # fmt: skip


def _data(entry, rng: random.Random, sectors: dict, agencies: dict, kamus=None) -> dict:
    title, problem, location, volume, unit, cost, sector, agency = entry
    rt, rw = rng.randint(1, 9), rng.randint(1, 12)
    entry_kamus = (kamus or {}).get(title)
    extra = (
        {"kamus": entry_kamus, "cost_note": "Perkiraan biaya dari musrenbang desa/kelurahan."}
        if entry_kamus
        else {}
    )
    return {
        **extra,
        "title": title,
        "problem": problem,
        "location": location.format(rt=f"{rt:02d}", rw=f"{rw:02d}"),
        "volume": volume,
        "unit": unit,
        "cost": cost + rng.randint(0, 20) * 1_000_000,
        "sector": sectors[sector],
        "suggested_agency": agencies.get(agency),
    }


def _kamus(subdistrict: Subdistrict, year: int) -> dict:
    """The year's kamus entries by name: a demo proposal whose title names one uses it."""
    return {
        e.name: e for e in KamusEntry.objects.filter(regency_id=subdistrict.regency_id, year=year)
    }


def _master(subdistrict: Subdistrict) -> tuple[dict, dict]:
    sectors = {s.name: s for s in Sector.objects.filter(regency_id=subdistrict.regency_id)}
    agencies = {a.abbreviation: a for a in Agency.objects.filter(regency_id=subdistrict.regency_id)}
    return sectors, agencies


def _submitter(village: Village, year: int, operator: User | None, staff: User) -> User:
    """The operator before the deadline, else the kecamatan (operators are refused then)."""
    if operator is None:
        return staff
    passed = services.deadline_passed(subdistrict=village.subdistrict, year=year)
    return staff if passed else operator


LARANGAN_PLAN = ["draft", "submitted", "received", "verified", "returned", "rejected"]


def _seed_larangan(ctx) -> None:
    subdistrict, year = ctx.larangan, ctx.year
    if Proposal.objects.filter(subdistrict=subdistrict, year=year).exists():
        return
    rng = random.Random(13)  # noqa: S311 - reproducible demo data
    sectors, agencies = _master(subdistrict)
    kamus = _kamus(subdistrict, year)
    staff = ctx.users["staf.larangan"]
    operators = {
        ctx.users["operator.gaga"].village_id: ctx.users["operator.gaga"],
        ctx.users["operator.kreo"].village_id: ctx.users["operator.kreo"],
    }
    for village in subdistrict.villages.order_by("code"):
        operator = operators.get(village.pk)
        actor = _submitter(village, year, operator, staff)
        count = rng.randint(5, 9 if operator else 10)  # operators get one near-duplicate more
        for index, entry in enumerate(rng.sample(CATALOGUE, count)):
            plan = LARANGAN_PLAN[index % len(LARANGAN_PLAN)]
            if operator is None and plan == "draft":
                plan = "submitted"  # only the operators' own desa keep drafts
            proposal = services.proposal_create(
                actor=actor,
                year=year,
                village=village,
                data=_data(entry, rng, sectors, agencies, kamus),
            )
            _advance(proposal, plan, actor, staff, rng)
        if village.pk in operators:
            _likely_duplicate(village, year, actor, sectors, agencies)
    ctx.log.append(f"usulan Larangan {year}: {_count(subdistrict, year)}")


def _likely_duplicate(village, year, actor, sectors, agencies) -> None:
    """A second entry of the same activity, as happens with paper recaps: flagged on the list."""
    first = Proposal.objects.filter(village=village, year=year).order_by("id").first()
    data = {name: getattr(first, name) for name in services.EDITABLE_FIELDS}
    data["title"] = first.title.upper()
    proposal = services.proposal_create(actor=actor, year=year, village=village, data=data)
    services.proposal_submit(actor=actor, proposal=proposal)


def _advance(proposal: Proposal, plan: str, actor: User, staff: User, rng) -> None:
    if plan == "draft":
        return
    services.proposal_submit(actor=actor, proposal=proposal)
    if plan == "submitted":
        return
    if plan == "returned" and rng.random() < 0.5:
        services.proposal_return(
            actor=staff,
            proposal=proposal,
            reason="Lampiran RAB belum ada; mohon lengkapi rincian biaya.",
        )
        return
    services.proposal_receive(
        actor=staff,
        proposal=proposal,
        disposition_note="Camat: teruskan ke Kasi Ekbang. "
        "Kasi Ekbang: catat dan periksa kelengkapan.",
    )
    if plan == "received":
        return
    if plan == "verified":
        services.proposal_verify(actor=staff, proposal=proposal)
    elif plan == "returned":
        services.proposal_return(
            actor=staff,
            proposal=proposal,
            reason="Volume dan lokasi perlu diperjelas (sebutkan RT/RW dan panjang ruas).",
        )
    else:
        services.proposal_reject(
            actor=staff,
            proposal=proposal,
            category=RejectionCategory.OUT_OF_AUTHORITY,
            reason="Jalan ini berstatus jalan provinsi, bukan kewenangan kota.",
        )


SIPD_DEMO_FILE = Path(__file__).parent / "demo_data" / "sipd-stabat-2027.xlsx"
SIPD_DEMO_KECAMATAN = ("12.05.07", 2027)
SIPD_HEADER = [
    "No", "Tgl Usul", "Pengusul", "Profil", "Permasalahan", "Usulan", "Urusan", "Alamat",
    "SKPD Tujuan Awal", "SKPD Tujuan Akhir", "Rekomendasi Bappeda/Mitra OPD", "Kategori Usulan",
    "Koefisien", "Rekomendasi Kelurahan/Desa", "Rekomendasi Kecamatan", "Rekomendasi SKPD",
]  # fmt: skip


def sipd_demo_rows(villages: list[tuple[str, str]]) -> list[list]:
    """Rows of SIPD's usulan export for desa ``(code, name)``: 3-5 each, reproducible."""
    rng = random.Random(7)  # noqa: S311 - reproducible demo data
    rows, number = [], 0
    for code, name in villages:
        kind = "Kel." if code.split(".")[-1].startswith("1") else "Desa"
        for entry in rng.sample(CATALOGUE, rng.randint(3, 5)):
            title, problem, location, volume, unit, cost, sector, agency = entry
            number += 1
            place = location.format(rt=f"{rng.randint(1, 9):02d}", rw=f"{rng.randint(1, 12):02d}")
            place = place.replace("RW", "Dusun").replace("RT", "Lingk.")
            cost += rng.randint(0, 20) * 1_000_000
            address = f"{place}, {kind} {name}, Kec. Stabat"
            if number % 3 == 0:
                address += f", {3.75 + rng.random() / 50:.5f}, {98.44 + rng.random() / 50:.5f}"
            rows.append([
                number, dt.date(2026, 1, 5 + number % 20), f"Pemerintah {kind} {name}",
                "Pemerintah desa/kelurahan", problem, title, sector, address, agency, agency,
                "", "Usulan musrenbang desa/kelurahan", "",
                f"Disetujui. Koefisien : {volume} {unit}, Anggaran : Rp {cost:,}".replace(",", "."),
                "", "",
            ])  # fmt: skip
    return rows


def sipd_demo_workbook(villages: list[tuple[str, str]]) -> bytes:
    """The SIPD-shaped demo workbook: a title block, then header set 1 and the rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Usulan"
    ws.append(["DAFTAR USULAN MUSRENBANG DESA/KELURAHAN"])
    ws.append(["Kecamatan Stabat, Kabupaten Langkat - Tahun Rencana 2027"])
    ws.append([])
    ws.append(SIPD_HEADER)
    for row in sipd_demo_rows(villages):
        ws.append(row)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _seed_stabat(ctx) -> None:
    subdistrict, year = ctx.stabat, ctx.year
    if Proposal.objects.filter(subdistrict=subdistrict, year=year).exists():
        return
    camat = ctx.users["camat.stabat"]
    with tempfile.TemporaryDirectory() as folder:
        path = SIPD_DEMO_FILE
        if (subdistrict.code, year) != SIPD_DEMO_KECAMATAN:  # a test's kecamatan
            path = Path(folder) / "sipd.xlsx"
            villages = subdistrict.villages.order_by("code").values_list("code", "name")
            path.write_bytes(sipd_demo_workbook(list(villages)))
        call_command(
            "import_sipd", str(path), kecamatan=subdistrict.code, tahun=year, stdout=StringIO()
        )
    for proposal in Proposal.objects.filter(subdistrict=subdistrict, year=year).order_by("id"):
        services.proposal_verify(actor=camat, proposal=proposal)
    ctx.log.append(f"usulan Stabat {year} (dari berkas SIPD): {_count(subdistrict, year)}")


def _count(subdistrict: Subdistrict, year: int) -> int:
    return Proposal.objects.filter(subdistrict=subdistrict, year=year).count()


def seed(ctx) -> None:
    """Create the demo proposals (idempotent)."""
    if not PlanningYear.objects.filter(year=ctx.year).exists():
        return
    _seed_larangan(ctx)
    _seed_stabat(ctx)
