"""Rendering time at the sizes the issue names (bulk-created data; measured, not mocked).

Rendering is timed in CPU seconds of this process (``time.process_time``): WeasyPrint is
single-threaded, so on an idle machine that equals the wall time, and it stays meaningful on
a shared 2-core machine where other jobs run (load average 5-9 while this was written).
Measured there: Berita Acara with 500 priority rows (and a commission holding all 500)
4.7-5.7 s, Daftar Hadir of 400 about 2-3 s, a stored final document served in a few ms.
Nothing approaches 10 s, so no background rendering is needed at these sizes.
"""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Proposal
from reports import documents, services
from scoring.models import Result
from sessions.models import Forum, ForumItem, Participant
from tests import factories as f

pytestmark = pytest.mark.django_db


def _big_forum(subdistrict, *, rows: int, people: int) -> Forum:
    regency = subdistrict.regency
    forum = f.ForumFactory(subdistrict=subdistrict, year=2027, date=dt.date(2026, 2, 16))
    villages = [f.VillageFactory(subdistrict=subdistrict) for _ in range(10)]
    sector = f.SectorFactory(regency=regency, name="Sarana dan Prasarana")
    agencies = [f.AgencyFactory(regency=regency, abbreviation=f"OPD{n}") for n in range(8)]
    proposals = Proposal.objects.bulk_create(
        Proposal(year=2027, subdistrict=subdistrict, village=villages[n % 10], sector=sector,
                 title=f"Pembangunan drainase lingkungan nomor {n:04d} sepanjang jalan desa",
                 location=f"RT {n % 9 + 1:02d} / RW {n % 5 + 1:02d}", volume=100, unit="meter",
                 cost=25_000_000, reference=f"BIG/{n:05d}", tracking_code=f"BIG{n:07d}",
                 status="terverifikasi")
        for n in range(rows)
    )  # fmt: skip
    items = ForumItem.objects.bulk_create(
        ForumItem(forum=forum, proposal=p, commission_rank=n + 1) for n, p in enumerate(proposals)
    )
    Result.objects.bulk_create(
        Result(item=item, rank=n + 1, decision="prioritas", responsible_agency=agencies[n % 8])
        for n, item in enumerate(items)
    )
    now = timezone.now()
    Participant.objects.bulk_create(
        Participant(forum=forum, name=f"Peserta Musrenbang {n:03d}", gender="LP"[n % 2],
                    category="delegasi", village=villages[n % 10], present_at=now)
        for n in range(people)
    )  # fmt: skip
    forum.state = Forum.State.SENT
    forum.save()
    return forum


def test_minutes_with_500_priority_rows_render_under_6_seconds(subdistrict, pdf_text):
    forum = _big_forum(subdistrict, rows=500, people=10)
    commission = f.CommissionFactory(forum=forum, name="Komisi Fisik")
    ForumItem.objects.filter(forum=forum).update(commission=commission)
    start = time.process_time()
    content = documents.render("berita-acara", forum).content
    elapsed = time.process_time() - start
    assert elapsed < 6, f"{elapsed:.1f} s"
    text = pdf_text(content)
    assert "nomor 0000" in text and "nomor 0499" in text
    assert "JUMLAH SELURUHNYA (500 usulan)" in text and "Rp 12.500.000.000" in text


def test_attendance_of_400_renders_under_4_seconds(subdistrict, pdf_text):
    forum = _big_forum(subdistrict, rows=1, people=400)
    start = time.process_time()
    content = documents.render("daftar-hadir", forum).content
    elapsed = time.process_time() - start
    assert elapsed < 4, f"{elapsed:.1f} s"
    assert "Jumlah 200 200 400" in pdf_text(content)


def test_stored_final_document_is_served_under_50_ms(subdistrict, camat, as_user):
    forum = _big_forum(subdistrict, rows=20, people=5)
    archived = services.minutes_finalize(forum=forum, actor=camat, participant_count=5)
    client = as_user(camat)
    url = reverse("reports:archived_download", args=[archived.code])
    client.get(url)  # warm the session and URL resolver
    start = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content)
    elapsed = time.perf_counter() - start
    assert len(body) == archived.size
    assert elapsed < 0.05, f"{elapsed * 1000:.0f} ms"
