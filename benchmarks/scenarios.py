"""The measurements of ``make bench`` (run by ``benchmarks/bench.py`` after ``seed_scale``).

Setup steps that are not measured (decisions for the Berita Acara forum, users) write rows
directly; everything measured goes through the same views, services and commands people use.
"""

import datetime as dt
import io
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
from pypdf import PdfReader

from benchmarks.bench import BENCH_ENV, ROOT, bench_database_url, measure_page, run_child
from benchmarks.results import record, record_failure, record_skipped
from musrenbang.models import PlanningYear, Regency, Role, Subdistrict, User
from proposals.models import Proposal, Status, YearClosure
from reports import documents
from reports.models import ArchivedDocument
from reports.services import minutes_finalize
from scoring.models import Criterion, Result, Score
from scoring.services import forum_compute
from sessions.models import Commission, Forum, ForumItem, Participant

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
    if "forumday" in args.only:
        print("\nHari forum sekabupaten (gunicorn + wrk dengan jeda berpikir):", flush=True)
        if args.no_load:
            record_skipped("Hari forum", "dilewati atas permintaan (--no-load)")
        else:
            forum_day()
    if "load" in args.only:
        print("\nBeban (gunicorn + wrk, 50 klien, 60 s):", flush=True)
        if args.no_load:
            record_skipped("Uji beban", "dilewati atas permintaan (--no-load)")
        else:
            load(forum, camat, staff2)


def _forget_everything() -> None:
    """Empty every cache layer (this process's and the shared one): the next request is the
    first after a change, which makes new keys that no layer holds."""
    from django.core.cache import caches

    for layer in caches.all():
        layer.clear()


def pages(forum, camat, staff2, bappeda, scorer) -> None:
    measure_page(
        _client(staff2),
        "Daftar usulan masuk (1.000 usulan di kecamatan, 40.000 total)",
        reverse("proposals:incoming") + f"?tahun={YEAR}",
        20,
    )
    measure_page(
        _client(camat),
        "Daftar hadir forum (400 peserta)",
        reverse("forum:attendance", args=[forum.pk]),
        20,
    )
    measure_page(
        _client(camat),
        "Komisi forum (1.000 usulan)",
        reverse("forum:commissions", args=[forum.pk]),
        60,
    )
    # The first request after a change renders the cached fragment again: its own figure.
    measure_page(
        _client(camat),
        "Komisi forum (1.000 usulan), setelah perubahan",
        reverse("forum:commissions", args=[forum.pk]),
        None,
        before=_forget_everything,
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
        "Peringkat / hasil skoring (100 baris)",
        reverse("scoring:results", args=[forum.pk]),
        40,
    )
    measure_page(
        _client(camat),
        "Peringkat / hasil skoring (100 baris), setelah perubahan",
        reverse("scoring:results", args=[forum.pk]),
        None,
        before=_forget_everything,
    )
    measure_page(
        _client(camat),
        "Layar proyektor (isi yang di-poll)",
        reverse("forum:projector_body", args=[forum.pk]),
        None,
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
    _record_closure(forum)
    return forum


def _record_closure(forum: Forum) -> None:
    """What sending records for proposals: the kecamatan's year is closed (setup shortcut)."""
    YearClosure.objects.get_or_create(
        subdistrict_id=forum.subdistrict_id,
        year=forum.year,
        defaults={"closed_at": timezone.now(), "reason": "Forum dikirim ke OPD."},
    )


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
        _record_closure(forum)
    return forum


def pdfs(forum, camat) -> None:
    minutes_forum = _minutes_forum(camat)
    camat2 = _user("camat.skala2", Role.CAMAT, subdistrict=minutes_forum.subdistrict)
    # The worker renders one document after another: the first render of a process also
    # imports WeasyPrint and ReportLab and reads the fonts, recorded apart; the target is the
    # median of three renders after it.
    started = time.perf_counter()
    rendered = documents.render("berita-acara", minutes_forum)
    record(
        "PDF Berita Acara: render pertama proses (dengan impor)", time.perf_counter() - started, "s"
    )
    times = []
    for _ in range(3):
        started = time.perf_counter()
        rendered = documents.render("berita-acara", minutes_forum)
        times.append(time.perf_counter() - started)
    record("PDF Berita Acara (500 prioritas + 20 cadangan)", statistics.median(times), "s", 3)
    record("PDF Berita Acara: halaman", len(PdfReader(io.BytesIO(rendered.content)).pages), "hlm")
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
local tags = {%(tags)s}
local cookie = "%(cookie)s"
request = function()
  local i = math.random(#paths)
  local headers = {["Cookie"] = cookie}
  if tags[i] ~= "" then headers["If-None-Match"] = tags[i] end
  return wrk.format("GET", paths[i], headers)
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
    port, server = _start_gunicorn()
    try:
        _wait(port)
        session = _session_cookie(camat)
        pages = [
            reverse("forum:attendance", args=[forum.pk]),
            reverse("forum:detail", args=[forum.pk]),
            reverse("scoring:results", args=[forum.pk]),
            reverse("subdistrict_dashboard", args=[forum.subdistrict.code]),
        ]
        trivial = _wrk(
            port, [reverse("health")], "", f"View sepele /sehat/ ({workers} worker, batas atas)"
        )
        mix = _wrk(
            port, pages, session, f"Campuran halaman utama ({workers} worker)", p95_target=300
        )
        if trivial and mix:
            record(
                "Campuran halaman utama / view sepele",
                mix[0] / trivial[0],
                "rasio",
                0.15,
                at_least=True,
            )
        # Polls that found nothing new: the projector's body and /lacak/, with the ETag the
        # client got from its previous answer.
        body = reverse("forum:projector_body", args=[forum.pk])
        codes = list(
            Proposal.objects.filter(forum_item__forum=forum).values_list(
                "tracking_code", flat=True
            )[:50]
        )
        polls = [(body, _etag(port, body, session))]
        polls += [(reverse("proposals:track", args=[c]), "") for c in codes]
        polls = [(path, tag or _etag(port, path, "")) for path, tag in polls]
        for (path, tag), cookie in zip(polls[:2], [session, ""], strict=True):
            if _status(port, path, cookie, tag) != 304:
                record_failure(f"Poll {path} tanpa perubahan", "tidak menjawab 304")
                return
        projector = _wrk(
            port,
            [polls[0][0]],
            session,
            "Poll layar proyektor tanpa perubahan (304)",
            tags=[polls[0][1]],
        )
        tracking = _wrk(
            port,
            [p for p, _ in polls[1:]],
            "",
            "Poll /lacak/ tanpa perubahan (304)",
            tags=[t for _, t in polls[1:]],
        )
        if trivial and projector:
            record(
                "Poll layar proyektor (304) / view sepele",
                projector[0] / trivial[0],
                "rasio",
                0.5,
                at_least=True,
            )
        if trivial and tracking:
            record(
                "Poll /lacak/ (304) / view sepele",
                tracking[0] / trivial[0],
                "rasio",
                0.5,
                at_least=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def _status(port: int, path: str, cookie: str, tag: str, *, method="GET", body="") -> int:
    import urllib.error
    import urllib.request

    headers = {"Cookie": cookie, "If-None-Match": tag}
    if method == "POST":
        headers.update(
            {"X-CSRFToken": BENCH_CSRF, "HX-Request": "true",
             "Content-Type": "application/x-www-form-urlencoded"}
        )  # fmt: skip
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers=headers, method=method,
        data=body.encode() if method == "POST" else None,
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:  # urllib raises on 304
        return error.code


FORUMS_ON_THE_DAY = 30
THINK_SCRIPT = """
local paths = {%(paths)s}
local tags = {%(tags)s}
local cookies = {%(cookies)s}
local methods = {%(methods)s}
local bodies = {%(bodies)s}
delay = function()
  return math.random(%(low)d, %(high)d)
end
request = function()
  local i = math.random(#paths)
  local headers = {}
  if cookies[i] ~= "" then headers["Cookie"] = cookies[i] end
  if tags[i] ~= "" then headers["If-None-Match"] = tags[i] end
  if methods[i] == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = "%(csrf)s"
    headers["HX-Request"] = "true"
    return wrk.format("POST", paths[i], headers, bodies[i])
  end
  return wrk.format("GET", paths[i], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %%f %%f %%d %%d %%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(95) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests, summary.duration))
end
"""
# The staff's htmx actions send Django's CSRF secret as cookie and header (what the page's
# JavaScript does with the token it was given); a fixed secret of the right form.
BENCH_CSRF = "benchCsrfSecret0123456789abcdefg"


def _forums_of_the_day() -> list[Forum]:
    """30 running forums of the kecamatan after the seeded forum's and its neighbour's (99.01.03
    on), each with its 1,000 proposals loaded, two commissions and 400 participants (setup, not
    measured; kept by --reuse). The seeded forum is left alone: its staff's marks and scores
    would leave its sheets incomplete for the other scenarios of a --reuse run."""
    forums = []
    codes = [f"99.01.{n:02d}" for n in range(3, 3 + FORUMS_ON_THE_DAY)]
    for subdistrict in Subdistrict.objects.filter(code__in=codes).order_by("code"):
        forum, created = Forum.objects.get_or_create(
            subdistrict=subdistrict,
            year=YEAR,
            defaults={
                "state": Forum.State.RUNNING,
                "date": dt.date(YEAR - 1, 3, 2),
                "venue": "Aula",
                "data_loaded_at": timezone.now(),
                "started_at": timezone.now(),
            },
        )
        if created:
            commissions = [
                Commission.objects.create(forum=forum, name=f"Komisi {n}", order=n) for n in (1, 2)
            ]
            proposals = Proposal.objects.filter(subdistrict=subdistrict, year=YEAR)
            ForumItem.objects.bulk_create(
                ForumItem(forum=forum, proposal=p, commission=commissions[p.pk % 2])
                for p in proposals.only("pk")
            )
            Participant.objects.bulk_create(
                Participant(
                    forum=forum,
                    name=f"Peserta {i:04d}",
                    gender="P" if i % 5 < 2 else "L",
                    present_at=timezone.now() if i % 2 else None,
                )
                for i in range(400)
            )
        forums.append(forum)
    return forums


STAFF_ACTIONS = 40  # distinct attendance marks and score cells per forum (writes, each once)


def _staff_requests(forum: Forum, port: int) -> list[tuple]:
    """What a forum's staff do, in equal parts (the issue's list): mark a participant present
    (htmx POST), save a score cell (htmx POST, by the camat: single scoring mode), open the
    ranking, open the forum home. Half of the requests write, and each write moves the forum's
    version, so the pages after it are rendered anew. Setup (not measured): two criteria, and
    the participants to be marked made absent again (a --reuse run marks them once more), and
    the first Hitung of the day (`_first_hitung`)."""
    staff = _user(f"staf.hari.{forum.subdistrict.code}", Role.STAFF, subdistrict=forum.subdistrict)
    camat = _user(f"camat.hari.{forum.subdistrict.code}", Role.CAMAT, subdistrict=forum.subdistrict)
    criteria = [
        Criterion.objects.get_or_create(forum=forum, name=f"Kriteria {n}", defaults={"order": n})[0]
        for n in (1, 2)
    ]
    _first_hitung(forum, camat, criteria)
    absent = list(forum.participants.order_by("pk").values_list("pk", flat=True)[:STAFF_ACTIONS])
    Participant.objects.filter(pk__in=absent).update(present_at=None)
    items = list(forum.items.order_by("pk").values_list("pk", flat=True)[:STAFF_ACTIONS])
    csrf = f"csrftoken={BENCH_CSRF}"
    staff_cookie = f"{_session_cookie(staff)}; {csrf}"
    camat_cookie = f"{_session_cookie(camat)}; {csrf}"
    score = reverse("scoring:score_cell", args=[forum.pk])
    rows = []
    for index in range(min(STAFF_ACTIONS, len(absent), len(items))):  # --small data has fewer
        mark = reverse("forum:attendance_mark", args=[forum.pk, absent[index]])
        value = f"item={items[index]}&criterion={criteria[index % 2].pk}&value={index % 5 + 1}"
        rows += [
            (mark, staff_cookie, "", "POST", ""),
            (score, camat_cookie, "", "POST", value),
            (reverse("scoring:results", args=[forum.pk]), staff_cookie, "", "GET", ""),
            (reverse("forum:detail", args=[forum.pk]), staff_cookie, "", "GET", ""),
        ]
    for path, cookie, _tag, method, body in rows[:2]:  # the writes answer before the run
        if _status(port, path, cookie, "", method=method, body=body) != 200:
            record_failure(f"Hari forum: {method} {path}", "tidak menjawab 200")
    return rows


def _first_hitung(forum: Forum, camat: User, criteria: list[Criterion]) -> None:
    """The morning's first round: every proposal scored by the camat and Hitung run once, so
    the ranking the staff open shows its 100 rows of 1,000 results (and, after the day's score
    saves, the "nilai berubah" banner), as in a hall in the afternoon. Setup, kept by --reuse."""
    if Result.objects.filter(item__forum=forum).exists():
        return
    items = list(forum.items.values_list("pk", flat=True))
    Score.objects.bulk_create(
        (
            Score(item_id=item, criterion=criterion, scorer=camat, value=(item + n) % 5 + 1)
            for item in items
            for n, criterion in enumerate(criteria)
        ),
        ignore_conflicts=True,
        batch_size=2000,
    )
    forum_compute(forum=forum, actor=camat)


def forum_day() -> None:
    """30 forums at once: per forum 1 projector polling every 5 s, 4 staff every 3 s (half of
    their requests write: attendance marks and score saves), 100 citizens every 10 s on
    /lacak/. wrk with a Lua ``delay()`` (think time), two processes so that staff and public
    requests each get their own p95."""
    if shutil.which("wrk") is None:
        record_failure("Hari forum", "wrk tidak terpasang (apt-get install wrk)")
        return
    forums = _forums_of_the_day()
    # Threads, not sync workers: a client thinking between requests keeps its connection
    # open, and a sync worker would sit idle on it (in production nginx in front buffers
    # requests). Still 3 worker processes on 2 cores.
    port, server = _start_gunicorn("-k", "gthread", "--threads", "4", "--keep-alive", "10")
    try:
        _wait(port)
        staff, public = [], []
        for forum in forums:
            staff += _staff_requests(forum, port)
            cookie = staff[-1][1]
            body = reverse("forum:projector_body", args=[forum.pk])
            public.append((body, cookie, _etag(port, body, cookie)))
            codes = Proposal.objects.filter(forum_item__forum=forum).values_list(
                "tracking_code", flat=True
            )[:100]
            for code in codes:
                path = reverse("proposals:track", args=[code])
                public.append((path, "", _etag(port, path, "")))
        n = len(forums)
        # connections = people who wait for an answer; rate = connections / think time
        groups = [
            ("staf", staff, 4 * n, (2000, 4000), 300),
            ("publik", public, 101 * n // 10, (500, 1500), 100),
        ]
        # The day has been going on: every hall's pages were opened before the minute that is
        # measured (each server process renders a page once per change and keeps it). The
        # first request after a change is measured on its own ("setelah perubahan" rows).
        started = time.perf_counter()
        warm_up = min(WARM_UP_SECONDS, int(os.environ.get("BENCH_LOAD_SECONDS", "60")))
        _wrk_parallel(port, groups, duration=str(warm_up), measure=False)
        record("Hari forum: pemanasan (tidak diukur)", time.perf_counter() - started, "s")
        before = _cpu_seconds(server.pid)
        started = time.perf_counter()
        _wrk_parallel(port, groups)
        _record_cpu(before, _cpu_seconds(server.pid), time.perf_counter() - started)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


WARM_UP_SECONDS = 20


def _cpu_seconds(gunicorn_pid: int) -> dict[tuple, float] | None:
    """CPU seconds used so far per process of the server (its session: the gunicorn master and
    workers) and of PostgreSQL on this machine, from /proc: {(kind, pid, start): seconds};
    None without /proc."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    used = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        name, fields = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        fields = fields.split()
        if int(fields[3]) == gunicorn_pid:  # session id: started with start_new_session
            kind = "gunicorn"
        elif name == "postgres":
            kind = "postgres"
        else:
            continue
        # utime + stime, and cutime + cstime: what its ended children used (PostgreSQL's
        # postmaster reaps the backends of connections closed by CONN_MAX_AGE); the start time
        # tells a reused pid from the process that had it
        used[(kind, entry.name, fields[19])] = sum(int(x) for x in fields[11:15]) / ticks
    return used


def _record_cpu(before: dict | None, after: dict | None, seconds: float) -> None:
    """The measured minute's CPU: how much of the machine the day takes (its headroom). A
    process that ended during the minute was counted in ``before`` up to its start and is in
    its parent's children's time in ``after`` (its whole life): the difference of the sums
    is the minute's. PostgreSQL: every cluster of this machine (others are idle here)."""
    if before is None or after is None:
        record_failure("Hari forum: CPU server", "/proc tidak ada: CPU tidak terukur")
        return
    cores = os.cpu_count() or 1
    for label, kind in (("gunicorn", "gunicorn"), ("PostgreSQL", "postgres")):
        used = sum(v for k, v in after.items() if k[0] == kind) - sum(
            v for k, v in before.items() if k[0] == kind
        )
        record(f"Hari forum: CPU {label} (% dari {cores} inti)", used / seconds / cores * 100, "%")


def _wrk_parallel(port: int, groups: list, *, duration=None, measure: bool = True) -> list:
    """Run one wrk per group at the same time: (label, [(path, cookie, etag[, method, body])],
    connections,
    (min, max) think ms, p95 target). ``measure=False``: a warm-up, nothing recorded."""
    duration = duration or os.environ.get("BENCH_LOAD_SECONDS", "60")
    running = []
    for label, rows, connections, (low, high), target in groups:
        script = Path(tempfile.mkstemp(suffix=".lua")[1])
        quoted = lambda values: ", ".join('"' + v.replace('"', '\\"') + '"' for v in values)  # noqa: E731
        script.write_text(
            THINK_SCRIPT
            % {
                "paths": quoted([r[0] for r in rows]),
                "cookies": quoted([r[1] for r in rows]),
                "tags": quoted([r[2] for r in rows]),
                "methods": quoted([r[3] if len(r) > 3 else "GET" for r in rows]),
                "bodies": quoted([r[4] if len(r) > 4 else "" for r in rows]),
                "csrf": BENCH_CSRF,
                "low": low,
                "high": high,
            },
            encoding="utf-8",
        )
        process = subprocess.Popen(
            ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
             "-s", str(script), f"http://127.0.0.1:{port}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        running.append((label, process, script, target))
    out = []
    for label, process, script, target in running:
        stdout, _ = process.communicate()
        script.unlink()
        if not measure:
            continue
        name = f"Hari forum ({FORUMS_ON_THE_DAY} forum), {label}"
        line = next((x for x in stdout.splitlines() if x.startswith("BENCH ")), None)
        if line is None:
            record_failure(f"{name}: wrk gagal", stdout)
            continue
        _, rps, p95, errors, requests, _duration = line.split()
        if int(requests) == 0:
            record_failure(f"{name}: tidak ada permintaan yang selesai", stdout)
            continue
        record(f"{name}: permintaan/detik", float(rps), "req/s")
        record(f"{name}: p95", float(p95), "ms", target)
        record(f"{name}: galat dari {int(requests)} permintaan", int(errors), "galat", 0)
        out.append((float(rps), float(p95)))
    return out


def _start_gunicorn(*extra: str):
    workers = int(os.environ.get("BENCH_WORKERS", "3"))
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": bench_database_url(), "SECURE_COOKIES": "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen(
        [gunicorn, "musrenbang.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return port, server


def _etag(port: int, path: str, cookie: str) -> str:
    import urllib.request

    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        return response.headers.get("ETag", "")


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


def _wrk(
    port: int,
    paths: list[str],
    cookie: str,
    name: str,
    *,
    tags: list[str] | None = None,
    p95_target: float | None = None,
) -> tuple[float, float] | None:
    """Run wrk (50 connections) on ``paths``; record and return (requests/s, p95 ms)."""
    tags = tags or [""] * len(paths)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(f'"{p}"' for p in paths),
            "tags": ", ".join('"' + t.replace('"', '\\"') + '"' for t in tags),
            "cookie": cookie,
        },
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
        return None
    _, rps, p95, errors, requests, _duration = line.split()
    record(f"{name}: permintaan/detik", float(rps), "req/s")
    record(f"{name}: p95", float(p95), "ms", p95_target)
    record(f"{name}: galat dari {int(requests)} permintaan", int(errors), "galat", 0)
    return float(rps), float(p95)
