"""The measurements of ``make bench`` (run by ``benchmarks/bench.py`` after ``seed_scale``).

Setup steps that are not measured (decisions for the Berita Acara forum, users) write rows
directly; everything measured goes through the same views, services and commands people use.
"""

import datetime as dt
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarks.bench import BENCH_ENV, ROOT, bench_database_url, measure_page, run_child
from benchmarks.results import record, record_failure, record_skipped
from musrenbang.models import PlanningYear, Regency, Role, Subdistrict, User
from proposals.models import Proposal, Status
from reports import documents
from reports.models import ArchivedDocument
from reports.services import minutes_finalize
from scoring.models import Result
from scoring.services import forum_compute
from sessions.models import Forum, ForumItem, Participant

YEAR = 2027
HX = {"HTTP_HX_REQUEST": "true"}


def _user(username: str, role: str, **place) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, **place})
    if not user.first_name:
        user.first_name = username
        user.full_clean(exclude=["password"])
        user.save()
    return user


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="musrenbang.auth.PlacesBackend")
    return client


def run_all(args) -> None:
    regency = Regency.objects.get(code="99.01")
    forum = Forum.objects.select_related("subdistrict").get(subdistrict__code="99.01.01")
    camat = _user("camat.skala", Role.CAMAT, subdistrict=forum.subdistrict)
    staff2 = _user("staf.skala2", Role.STAFF, subdistrict=Subdistrict.objects.get(code="99.01.02"))
    bappeda = _user("bappeda.skala", Role.BAPPEDA, regency=regency)
    bappeda.is_staff = True
    bappeda.save(update_fields=["is_staff"])
    scorer = User.objects.get(username="penilai.skala0")

    if "pages" in args.only:
        print("\nHalaman (waktu server, klien uji Django):", flush=True)
        pages(forum, camat, staff2, bappeda, scorer)
    if "actions" in args.only:
        print("\nAksi:", flush=True)
        actions(forum, camat, scorer)
    if "excel" in args.only:
        print("\nExcel:", flush=True)
        excel()
    if "sipd" in args.only:
        print("\nSIPD:", flush=True)
        sipd()
    if "pdfs" in args.only:
        print("\nPDF:", flush=True)
        pdfs(forum, camat)
    if "load" in args.only:
        print("\nBeban (gunicorn + wrk, 50 klien, 60 s):", flush=True)
        if args.no_load:
            record_skipped("Uji beban", "dilewati atas permintaan (--no-load)")
        else:
            load(forum, camat, staff2)


def pages(forum, camat, staff2, bappeda, scorer) -> None:
    measure_page(
        _client(staff2),
        "Daftar usulan masuk (1.000 usulan di kecamatan, 40.000 total)",
        reverse("proposals:incoming") + f"?tahun={YEAR}",
        150,
    )
    measure_page(
        _client(camat),
        "Daftar hadir forum (400 peserta)",
        reverse("forum:attendance", args=[forum.pk]),
        None,
    )
    measure_page(
        _client(camat),
        "Komisi forum (1.000 usulan)",
        reverse("forum:commissions", args=[forum.pk]),
        None,
    )
    measure_page(
        _client(scorer),
        "Lembar skoring (1 penilai, 8 kriteria)",
        reverse("scoring:sheet", args=[forum.pk]),
        None,
    )
    started = time.perf_counter()
    forum_compute(forum=forum, actor=camat)
    record("Hitung pertama (1.000 x 8 x 5 nilai)", time.perf_counter() - started, "s", 1)
    measure_page(
        _client(camat),
        "Peringkat / hasil skoring",
        reverse("scoring:results", args=[forum.pk]),
        200,
    )
    measure_page(
        _client(bappeda),
        "Ikhtisar Bappeda (40 kecamatan)",
        reverse("reports:overview", args=["99.01"]) + f"?tahun={YEAR}",
        None,
    )


def actions(forum, camat, scorer) -> None:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        forum_compute(forum=forum, actor=camat)
        times.append(time.perf_counter() - started)
    record("Hitung (median 5 kali)", statistics.median(times), "s", 1)

    client = _client(scorer)
    items = list(ForumItem.objects.filter(forum=forum).order_by("pk")[:25])
    criterion = forum.criteria.order_by("order").first()
    url = reverse("scoring:score_cell", args=[forum.pk])
    times = []
    for i, item in enumerate(items):
        data = {"item": item.pk, "criterion": criterion.pk, "value": 1 + i % 5}
        started = time.perf_counter()
        response = client.post(url, data, **HX)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    record("Simpan satu nilai (median 25)", statistics.median(times[1:]), "ms", 50)

    client = _client(camat)
    absent = list(
        Participant.objects.filter(forum=forum, present_at__isnull=True).order_by("pk")[:25]
    )
    times = []
    for person in absent:
        url = reverse("forum:attendance_mark", args=[forum.pk, person.pk])
        started = time.perf_counter()
        response = client.post(url, **HX)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    record("Tandai hadir (median 25, 400 peserta)", statistics.median(times[1:]), "ms", 50)


def excel() -> None:
    folder = Path(tempfile.mkdtemp(prefix="musrenbang-bench-xlsx-"))
    try:
        export_file = folder / "ekspor.xlsx"
        seconds, peak = run_child(
            "from django.core.management import call_command\n"
            f"call_command('export_usulan', '--tahun', '{YEAR}', '-o', {str(export_file)!r})"
        )
        record("Ekspor 40.000 usulan: waktu", seconds, "s", 15)
        record("Ekspor 40.000 usulan: memori puncak proses", peak, "MB", 300)

        import_file = folder / "impor.xlsx"
        _write_import_file(import_file, rows=5000)
        # A rerun (--reuse) starts from the same empty year, so the import really imports.
        Proposal.objects.filter(subdistrict__code="99.01.03", year=YEAR + 1).delete()
        regency = Regency.objects.get(code="99.01")
        PlanningYear.objects.get_or_create(
            regency=regency,
            year=YEAR + 1,
            defaults={
                "submission_deadline": timezone.now() + dt.timedelta(days=365),
                "forum_start": dt.date(YEAR, 1, 1),
                "forum_end": dt.date(YEAR, 12, 31),
            },
        )
        seconds, peak = run_child(
            "from django.core.management import call_command\n"
            f"call_command('import_usulan', {str(import_file)!r}, '--kecamatan', '99.01.03', "
            f"'--tahun', '{YEAR + 1}')"
        )
        imported = Proposal.objects.filter(subdistrict__code="99.01.03", year=YEAR + 1).count()
        record("Impor 5.000 baris: waktu", seconds, "s", 10)
        record("Impor 5.000 baris: memori puncak proses", peak, "MB")
        record("Impor 5.000 baris: baris tersimpan", imported, "baris", None)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _write_import_file(path: Path, *, rows: int) -> None:
    from openpyxl import Workbook

    subdistrict = Subdistrict.objects.get(code="99.01.03")
    villages = list(subdistrict.villages.order_by("code"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Usulan")
    sheet.append(["REKAP HASIL MUSRENBANG DESA"])
    sheet.append([])
    sheet.append(
        [
            "No",
            "Kode Desa/Kelurahan",
            "Desa/Kelurahan",
            "Usulan Kegiatan",
            "Permasalahan",
            "Lokasi",
            "Volume",
            "Satuan",
            "Perkiraan Biaya (Rp)",
            "Bidang",
            "OPD Tujuan",
            "Prioritas Desa",
        ]
    )
    per_village = rows // len(villages) + 1
    for n in range(rows):
        village = villages[n // per_village]
        sheet.append(
            [
                n + 1,
                village.code,
                village.name,
                f"Pembangunan drainase lingkungan {n + 1}",
                "Genangan air saat hujan",
                f"RT {n % 9 + 1:02d}",
                100 + n % 50,
                "meter",
                f"Rp {(n % 90 + 10) * 1_000_000:,}".replace(",", "."),
                "Sarana dan Prasarana",
                f"DS{n % 10 + 1}",
                n % per_village + 1,
            ]
        )
    workbook.save(path)


SIPD_SUBDISTRICT = "99.01.03"


def sipd(code: str = SIPD_SUBDISTRICT, year: int = YEAR + 2, rows: int = 5000) -> None:
    """Import 5,000 rows of a SIPD export, then reconcile 5,000 rows against a sent forum."""
    folder = Path(tempfile.mkdtemp(prefix="musrenbang-bench-sipd-"))
    try:
        subdistrict = Subdistrict.objects.get(code=code)
        _sipd_fresh_year(subdistrict, year)
        import_file = folder / "sipd.xlsx"
        _write_sipd_file(import_file, subdistrict, rows=rows)
        seconds, peak = run_child(
            "from django.core.management import call_command\n"
            f"call_command('import_sipd', {str(import_file)!r}, '--kecamatan', {code!r}, "
            f"'--tahun', '{year}')"
        )
        imported = Proposal.objects.filter(subdistrict=subdistrict, year=year).count()
        record(f"Impor SIPD {rows:,} baris: waktu".replace(",", "."), seconds, "s", 10)
        record("Impor SIPD: memori puncak proses", peak, "MB")
        record("Impor SIPD: baris tersimpan", imported, "baris", None)
        _sipd_sent_forum(subdistrict, year)
        export_file = folder / "sipd-setelah-input.xlsx"
        run_child(
            "from django.core.management import call_command\n"
            f"call_command('export_sipd', '--kecamatan', {code!r}, '--tahun', '{year}', "
            f"'-o', {str(export_file)!r})"
        )
        seconds, peak = run_child(
            "from django.core.management import call_command\n"
            f"call_command('sipd_reconcile', {str(export_file)!r}, '--kecamatan', {code!r}, "
            f"'--tahun', '{year}')"
        )
        record(f"Rekonsiliasi SIPD {rows:,} baris: waktu".replace(",", "."), seconds, "s", 10)
        record("Rekonsiliasi SIPD: memori puncak proses", peak, "MB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sipd_fresh_year(subdistrict: Subdistrict, year: int) -> None:
    """Empty the kecamatan's bench year (a rerun with --reuse imports again)."""
    from reports.models import SipdInput, SipdReconciliation

    forums = Forum.objects.filter(subdistrict=subdistrict, year=year)
    forums.update(state=Forum.State.PREPARATION)
    SipdReconciliation.objects.filter(forum__in=forums).delete()
    SipdInput.objects.filter(forum__in=forums).delete()
    Result.objects.filter(item__forum__in=forums)._raw_delete(Result.objects.db)
    ForumItem.objects.filter(forum__in=forums)._raw_delete(ForumItem.objects.db)
    forums.delete()
    Proposal.objects.filter(subdistrict=subdistrict, year=year).delete()
    PlanningYear.objects.get_or_create(
        regency=subdistrict.regency,
        year=year,
        defaults={
            "submission_deadline": timezone.now() + dt.timedelta(days=365),
            "forum_start": dt.date(year - 1, 1, 1),
            "forum_end": dt.date(year - 1, 12, 31),
        },
    )


def _write_sipd_file(path: Path, subdistrict: Subdistrict, *, rows: int) -> None:
    """SIPD's header set 1 under a title block: the desa only inside ``Alamat``."""
    from openpyxl import Workbook

    villages = list(subdistrict.villages.order_by("code"))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Usulan")
    sheet.append(["DAFTAR USULAN MUSRENBANG DESA/KELURAHAN (SIPD)"])
    sheet.append([])
    sheet.append(
        ["No", "Tgl Usul", "Pengusul", "Profil", "Permasalahan", "Usulan", "Urusan", "Alamat",
         "SKPD Tujuan Awal", "SKPD Tujuan Akhir", "Koefisien", "Rekomendasi Kelurahan/Desa",
         "Rekomendasi Kecamatan"]
    )  # fmt: skip
    for n in range(rows):
        village = villages[n % len(villages)]
        cost = (n % 90 + 10) * 1_000_000
        sheet.append(
            [n + 1, dt.date(YEAR - 1, 1, 5), f"Pemerintah {village.name}", "Pemerintah desa",
             "Genangan air saat hujan", f"Pembangunan drainase lingkungan {n + 1}",
             "Sarana dan Prasarana", f"RT {n % 9 + 1:02d}, {village.name}, -6.2{n % 9}1, 106.7",
             f"DS{n % 10 + 1}", f"DS{n % 10 + 1}", "",
             f"Disetujui. Koefisien : {100 + n % 50} meter, Anggaran : Rp {cost:,}".replace(
                 ",", "."), ""]
        )  # fmt: skip
    workbook.save(path)


def _sipd_sent_forum(subdistrict: Subdistrict, year: int) -> Forum:
    """A sent forum over the imported proposals: every one a priority (bulk, no scoring)."""
    forum = Forum.objects.create(subdistrict=subdistrict, year=year)
    proposals = list(Proposal.objects.filter(subdistrict=subdistrict, year=year).order_by("id"))
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=Status.VERIFIED)
    items = ForumItem.objects.bulk_create(
        [ForumItem(forum=forum, proposal=p) for p in proposals], batch_size=1000
    )
    Result.objects.bulk_create(
        [
            Result(item=item, rank=i, decision=Result.Decision.PRIORITY)
            for i, item in enumerate(items, 1)
        ],
        batch_size=1000,
    )
    Forum.objects.filter(pk=forum.pk).update(state=Forum.State.SENT, sent_at=timezone.now())
    return forum


def _minutes_forum(camat_of_main: User) -> Forum:
    """A second forum with exactly 500 priorities and 20 reserves, sent (setup, not measured)."""
    subdistrict = Subdistrict.objects.get(code="99.01.02")
    forum, created = Forum.objects.get_or_create(
        subdistrict=subdistrict,
        year=YEAR,
        defaults={"state": Forum.State.RUNNING, "date": dt.date(YEAR - 1, 3, 3), "venue": "Aula"},
    )
    if created:
        proposals = list(Proposal.objects.filter(subdistrict=subdistrict, year=YEAR)[:520])
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=Status.VERIFIED)
        items = ForumItem.objects.bulk_create(ForumItem(forum=forum, proposal=p) for p in proposals)
        Result.objects.bulk_create(
            Result(
                item=item,
                rank=i + 1,
                total=100 - i / 10,
                decision=Result.Decision.PRIORITY if i < 500 else Result.Decision.RESERVE,
                reason="" if i < 500 else "Melebihi pagu indikatif kecamatan tahun ini.",
                responsible_agency_id=proposal.suggested_agency_id if i < 500 else None,
            )
            for i, (item, proposal) in enumerate(zip(items, proposals, strict=True))
        )
        Forum.objects.filter(pk=forum.pk).update(
            state=Forum.State.SENT, sent_at=timezone.now(), sent_by=camat_of_main
        )
        forum.refresh_from_db()
    return forum


def pdfs(forum, camat) -> None:
    minutes_forum = _minutes_forum(camat)
    camat2 = _user("camat.skala2", Role.CAMAT, subdistrict=minutes_forum.subdistrict)
    started = time.perf_counter()
    rendered = documents.render("berita-acara", minutes_forum)
    record("PDF Berita Acara (500 prioritas + 20 cadangan)", time.perf_counter() - started, "s", 6)
    record("PDF Berita Acara: ukuran", len(rendered.content) / 1024, "KB")
    started = time.perf_counter()
    documents.render("daftar-hadir", forum)
    record("PDF Daftar Hadir (400 peserta)", time.perf_counter() - started, "s", 4)

    archived = ArchivedDocument.objects.filter(forum=minutes_forum).first()
    if archived is None:
        archived = minutes_finalize(forum=minutes_forum, actor=camat2, participant_count=120)
    url = reverse("reports:archived_download", args=[archived.code])
    measure_page(_client(camat2), "Unduh Berita Acara arsip", url, 50)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


WRK_SCRIPT = """
local paths = {%(paths)s}
local cookie = "%(cookie)s"
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["Cookie"] = cookie})
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %%f %%f %%d %%d %%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests, summary.duration))
end
"""


def load(forum, camat, staff2) -> None:
    if shutil.which("wrk") is None:
        record_failure("Uji beban", "wrk tidak terpasang (apt-get install wrk)")
        return
    workers = int(os.environ.get("BENCH_WORKERS", "3"))
    env = {
        **os.environ,
        **BENCH_ENV,
        "DATABASE_URL": bench_database_url(),
        "SECURE_COOKIES": "0",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "musrenbang.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait(port)
        session = _session_cookie(camat)
        pages = [
            reverse("forum:attendance", args=[forum.pk]),
            reverse("forum:detail", args=[forum.pk]),
            reverse("scoring:results", args=[forum.pk]),
            reverse("subdistrict_dashboard", args=[forum.subdistrict.code]),
        ]
        _wrk(port, pages, session, f"Campuran halaman utama ({workers} worker)")
        _wrk(port, [reverse("health")], "", f"View sepele /sehat/ ({workers} worker, batas atas)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def _session_cookie(user: User) -> str:
    client = _client(user)
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def _wait(port: int) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/sehat/", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn tidak menyala")


def _wrk(port: int, paths: list[str], cookie: str, name: str) -> None:
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths), "cookie": cookie},
        encoding="utf-8",
    )
    duration = os.environ.get("BENCH_LOAD_SECONDS", "60")
    result = subprocess.run(
        ["wrk", "-t2", "-c50", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
         f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    script.unlink()
    line = next((x for x in result.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        record_failure(f"{name}: wrk gagal", result.stdout + result.stderr)
        return
    _, rps, p95, errors, requests, _duration = line.split()
    record(f"{name}: permintaan/detik", float(rps), "req/s")
    record(f"{name}: p95", float(p95), "ms")
    record(f"{name}: galat dari {int(requests)} permintaan", int(errors), "galat", 0)
